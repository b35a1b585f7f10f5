"""docs/deploy.md works as written: its environment, gunicorn line and nginx block, for real."""

import http.client
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from flask_migrate import upgrade

from app.extensions import db
from app.mirror import build_mirror
from tests.conftest import make_app, unavailable
from tests.servers import free_port, is_serving

REPOSITORY = Path(__file__).resolve().parents[1]
DEPLOY = REPOSITORY / "docs" / "deploy.md"


def snippet(name: str) -> str:
    text = DEPLOY.read_text()
    match = re.search(rf"<!-- snippet: {name} -->\n```\w*\n(.*?)```", text, re.S)
    assert match, f"docs/deploy.md has no {name} snippet"
    return match.group(1)


def request(port: int, path: str, **headers) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path, headers={"Host": "needs.example.org", **headers})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


@pytest.fixture
def nginx_binary():
    binary = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if binary is None:
        unavailable("nginx is not installed (Debian package nginx-light)")
    return binary


def production_environment(tmp_path: Path) -> dict:
    env = dict(line.split("=", 1) for line in snippet("environment").split() if "=" in line)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'site.sqlite'}"
    env["MIRROR_DIR"] = str(tmp_path / "mirror")
    env["MEDIA_DIR"] = str(tmp_path / "media")
    try:
        redis.Redis.from_url(env["REDIS_URL"]).ping()
    except redis.RedisError:
        env.pop("REDIS_URL")
    return env


def test_the_documented_deployment_serves_the_mirror_and_falls_back_to_the_app(
    nginx_binary, tmp_path
):
    env = production_environment(tmp_path)
    assert env["APP_ENV"] == "production" and env["TRUSTED_PROXIES"] == "1"
    app = make_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"]}, MEDIA_DIR=env["MEDIA_DIR"])
    with app.app_context():
        upgrade()
    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    started = time.monotonic()
    with app.app_context():
        build_mirror(Path(env["MIRROR_DIR"]))
        db.engine.dispose()
    print(f"mirror build took {time.monotonic() - started:.2f} s")

    app_port, web_port = free_port(), free_port()
    command = shlex.split(snippet("gunicorn").strip())
    command[command.index("--bind") + 1] = f"127.0.0.1:{app_port}"
    gunicorn = subprocess.Popen([sys.executable, "-m", *command], cwd=REPOSITORY,
                                env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)  # fmt: skip
    server_block = (
        snippet("nginx")
        .replace("listen 80;", f"listen 127.0.0.1:{web_port};")
        .replace("root /srv/needs-now/mirror;", f"root {env['MIRROR_DIR']};")
        .replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    )
    prefix = tmp_path / "nginx"
    (prefix / "logs").mkdir(parents=True)
    # As root, nginx's workers would run as nobody, who cannot read pytest's private
    # temporary folder; in production the mirror is readable by nginx's user.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"{user}pid {prefix}/nginx.pid;\nerror_log {prefix}/logs/error.log;\n"
        "events { worker_connections 64; }\n"
        f"http {{\n include /etc/nginx/mime.types;\n access_log off;\n"
        f" client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy;\n"
        f" fastcgi_temp_path {prefix}/fastcgi; uwsgi_temp_path {prefix}/uwsgi;\n"
        f" scgi_temp_path {prefix}/scgi;\n{server_block}\n}}\n"
    )
    nginx = subprocess.Popen([nginx_binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
                              "-g", "daemon off;"], stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        for port in (web_port, app_port):
            if not is_serving(f"http://127.0.0.1:{port}/robots.txt"):
                pytest.fail(f"nothing answered on port {port}")

        page = request(web_port, "/needs/", **{"Accept-Encoding": "gzip"})
        assert page.status == 200 and page.getheader("Content-Encoding") == "gzip"
        assert "script-src 'none'" in page.getheader("Content-Security-Policy")
        assert page.getheader("X-Frame-Options") is None  # from the mirror, not the app
        text = request(web_port, "/needs.txt")
        assert text.getheader("Content-Type").startswith("text/plain")
        assert b"URGENTLY NEEDED" in text.body
        admin = request(web_port, "/admin/")
        assert admin.status == 302 and admin.getheader("Location").startswith("/login")
        assert request(web_port, "/login").getheader("Cache-Control") == "no-store"
        assert request(web_port, "/.version").status == 403

        gunicorn.terminate()
        gunicorn.wait(timeout=10)
        offline = request(web_port, "/routes/western-balkans/")
        assert offline.status == 200 and b"Western Balkans" in offline.body
        assert request(web_port, "/admin/").status == 502
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        if gunicorn.poll() is None:
            gunicorn.terminate()
            gunicorn.wait(timeout=10)
