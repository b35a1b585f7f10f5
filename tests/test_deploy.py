"""docs/deploy.md works as written: its environment, gunicorn line and nginx block, for real.

nginx serves the mirror over TLS with the app's own security headers, sends the
precompressed copies, keeps no record of visitors, redirects plain HTTP, and
falls back to the app; the app's workers keep the mirror current by themselves.
"""

import gzip
import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from flask_migrate import upgrade

from app.extensions import db
from app.mirror import build_mirror
from app.models import Need, Urgency
from tests import builders
from tests.apps import make_app, unavailable
from tests.nginx import (
    REPOSITORY,
    SERVER_NAME,
    Ports,
    client_context,
    documented_block,
    documented_command,
    nginx_binary,
    self_signed_certificate,
    snippet,
    start_nginx,
)
from tests.servers import free_port, is_serving

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
)

MIRRORED_FILES = [
    ("/needs", "needs/index.html"),
    ("/needs/", "needs/index.html"),
    ("/", "index.html"),
    ("/needs.txt", "needs.txt"),
    ("/fr/needs.csv", "fr/needs.csv"),
    ("/feeds/needs.atom", "feeds/needs.atom"),
    ("/sitemap.xml", "sitemap.xml"),
    ("/routes/western-balkans", "routes/western-balkans/index.html"),
]


class Deployment:
    def __init__(self, ports: Ports, certificate: Path):
        self.ports, self.certificate = ports, certificate

    def get(self, path: str, secure: bool = True, **headers) -> http.client.HTTPResponse:
        if secure:
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.ports.https, timeout=5, context=client_context(self.certificate)
            )
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.ports.http, timeout=5)
        connection.request("GET", path, headers={"Host": SERVER_NAME, **headers})
        response = connection.getresponse()
        response.body = response.read()
        connection.close()
        return response


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


@pytest.fixture
def deployment(tmp_path):
    if nginx_binary() is None:
        unavailable("nginx is not installed (Debian package nginx-light)")
    env = production_environment(tmp_path)
    assert env["APP_ENV"] == "production" and env["TRUSTED_PROXIES"] == "1"
    app = make_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"]}, MEDIA_DIR=env["MEDIA_DIR"])
    with app.app_context():
        upgrade()
    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        build_mirror(Path(env["MIRROR_DIR"]))  # as docs/deploy.md says: once, before nginx

    ports, app_port = Ports(free_port(), free_port()), free_port()
    command = documented_command("gunicorn")
    command[command.index("--bind") + 1] = f"127.0.0.1:{app_port}"
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", *command],
        cwd=REPOSITORY,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    certificate, key = self_signed_certificate(tmp_path)
    prefix = tmp_path / "nginx"
    block = documented_block(
        ports, Path(env["MIRROR_DIR"]), app_port, certificate, key, prefix / "logs"
    )
    nginx = start_nginx(prefix, block)
    try:
        if not is_serving(f"http://127.0.0.1:{app_port}/robots.txt", gunicorn):
            pytest.fail("gunicorn did not start")
        site = Deployment(ports, certificate)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                site.get("/robots.txt")
                break
            except OSError:
                time.sleep(0.1)
        yield app, site, gunicorn, prefix / "logs"
    finally:
        for process in (nginx, gunicorn):
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
        with app.app_context():
            db.engine.dispose()


def test_plain_http_only_redirects_to_https(deployment):
    _, site, _, _ = deployment

    response = site.get("/needs?x=1", secure=False)

    assert response.status == 301
    assert response.getheader("Location") == f"https://{SERVER_NAME}/needs?x=1"
    assert b"Sleeping bags" not in response.body
    assert response.getheader("Server") == "nginx"


def test_mirror_files_come_precompressed_with_every_security_header(deployment):
    app, site, _, _ = deployment
    expected = app.test_client().get("/needs", base_url=f"https://{SERVER_NAME}").headers
    mirror = Path(app.config["MEDIA_DIR"]).parent / "mirror"

    for path, file in MIRRORED_FILES:
        response = site.get(path, **{"Accept-Encoding": "gzip"})
        assert response.status == 200, path
        # Sent as stored: a length, not chunks compressed on the fly.
        assert response.getheader("Content-Encoding") == "gzip", path
        assert response.getheader("Content-Length") is not None, path
        assert gzip.decompress(response.body) == (mirror / file).read_bytes(), path
        for name in SECURITY_HEADERS:
            assert response.getheader(name) == expected[name], (path, name)
        assert response.getheader("Strict-Transport-Security", "").startswith("max-age=")
        assert response.getheader("Cache-Control") == "public, max-age=5"
        assert response.getheader("Server") == "nginx"
    text = site.get("/needs.txt")
    assert text.getheader("Content-Type") == "text/plain; charset=utf-8"
    assert site.get("/needs.csv").getheader("Content-Type") == "text/csv; charset=utf-8"
    assert b"URGENTLY NEEDED" in text.body


def test_the_api_comes_from_the_mirror_unless_filtered_and_the_embed_may_be_framed(deployment):
    app, site, _, _ = deployment
    mirror = Path(app.config["MEDIA_DIR"]).parent / "mirror"
    client = app.test_client()
    for path, file in [
        ("/api/v1/needs", "api/v1/needs.json"),
        ("/fr/api/v1/news", "fr/api/v1/news.json"),
        ("/api/v1/openapi.json", "api/v1/openapi.json"),
    ]:
        expected = client.get(path, base_url=f"https://{SERVER_NAME}").headers
        response = site.get(path, **{"Accept-Encoding": "gzip"})
        assert response.status == 200, path
        assert gzip.decompress(response.body) == (mirror / file).read_bytes(), path
        assert response.getheader("Content-Type") == expected["Content-Type"] == "application/json"
        for name in (*SECURITY_HEADERS, "Access-Control-Allow-Origin"):
            assert response.headers.get_all(name) == [expected[name]], (path, name)
        assert response.getheader("Access-Control-Allow-Origin") == "*"
    # A filtered request, or a bad one, is the app's: never the whole list from the mirror.
    urgent = site.get("/api/v1/needs?urgency=urgent")
    assert urgent.status == 200 and urgent.body != (mirror / "api/v1/needs.json").read_bytes()
    assert {item["urgency"] for item in json.loads(urgent.body)["items"]} == {"urgent"}
    assert urgent.headers.get_all("Access-Control-Allow-Origin") == ["*"]  # once
    wrong = site.get("/api/v1/needs?colour=red")
    assert wrong.status == 400 and "colour" in json.loads(wrong.body)["error"]
    assert wrong.getheader("Access-Control-Allow-Origin") == "*"
    assert site.get("/needs").getheader("Access-Control-Allow-Origin") is None

    # The embeddable list, from the mirror: framed by any site, no X-Frame-Options, the
    # app's own headers.
    for path, file in [
        ("/embed/needs", "embed/needs/index.html"),
        ("/fr/embed/needs", "fr/embed/needs/index.html"),
    ]:
        expected = client.get(path, base_url=f"https://{SERVER_NAME}").headers
        embed = site.get(path)
        assert embed.status == 200 and embed.body == (mirror / file).read_bytes(), path
        assert embed.getheader("X-Frame-Options") is None and "X-Frame-Options" not in expected
        policy = embed.getheader("Content-Security-Policy")
        assert policy == expected["Content-Security-Policy"]
        assert policy.endswith("frame-ancestors *") and "script-src" not in policy
        assert embed.getheader("X-Content-Type-Options") == "nosniff"
    filtered = site.get("/embed/needs?category=no-such-category")  # the app's, not the file
    assert filtered.status == 404 and filtered.getheader("X-Frame-Options") is None
    assert site.get("/needs").getheader("X-Frame-Options") == "DENY"


def test_static_files_are_cached_for_a_year_under_their_digest(deployment):
    _, site, _, _ = deployment
    page = site.get("/routes/western-balkans").body.decode()
    stylesheet = "/static/" + page.split('href="../../static/')[1].split('"')[0]

    response = site.get(stylesheet, **{"Accept-Encoding": "gzip"})

    assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert response.getheader("X-Content-Type-Options") == "nosniff"


def test_organisers_always_reach_the_app_and_dot_files_stay_hidden(deployment):
    _, site, _, _ = deployment

    admin = site.get("/admin/")
    login = site.get("/login")
    forged = site.get("/login", Host="evil.example")  # the app answers only its own name

    assert forged.status == 400 and b"evil" not in forged.body
    assert b'<link rel="canonical" href="https://needs.example.org/login">' in login.body

    assert admin.status == 302 and admin.getheader("Location").startswith("/login")
    assert login.status == 200 and login.getheader("Cache-Control") == "no-store"
    assert len(login.headers.get_all("Content-Security-Policy")) == 1  # the app's own, once
    assert site.get("/.manifest.json").status == 404


def test_nginx_keeps_no_record_of_visitors(deployment):
    _, site, _, logs = deployment
    for path in [
        "/",
        "/needs",
        "/needs.txt",
        "/routes",
        "/news",
        "/feeds/news.atom",
        "/no-such-page",
        "/.manifest.json",
        "/admin/",
        "/login",
    ]:
        site.get(path, **{"User-Agent": "Visitor-Browser/1.0"})
    site.get("/", secure=False)

    written = "".join(path.read_text() for path in logs.glob("*.log"))
    assert "127.0.0.1" not in written and "Visitor-Browser" not in written
    assert not (logs / "access.log").exists() or (logs / "access.log").read_text() == ""


def test_the_app_keeps_the_mirror_current_and_nginx_serves_it_when_the_app_stops(deployment):
    app, site, gunicorn, _ = deployment
    mirror = Path(app.config["MEDIA_DIR"]).parent / "mirror"
    with app.app_context():  # saved by another process: seen by the watcher's own look
        db.session.scalar(
            db.select(Need).where(Need.name == "Sleeping bags")
        ).urgency = Urgency.do_not_send
        db.session.commit()
    changed = time.monotonic()

    def on_disk() -> bool:
        return "Sleeping bags" in (mirror / "needs.txt").read_text().split("PLEASE DO NOT SEND")[-1]

    def from_nginx() -> bool:
        return b"Sleeping bags" in site.get("/needs.txt").body.split(b"PLEASE DO NOT SEND")[-1]

    while not on_disk() and time.monotonic() - changed < 10:
        time.sleep(0.02)
    rebuilt = time.monotonic() - changed
    while not from_nginx() and time.monotonic() - changed < 10:
        time.sleep(0.02)
    served = time.monotonic() - changed
    print(f"change → mirror {rebuilt:.2f} s, → served by nginx {served:.2f} s")
    assert rebuilt < 2.0
    assert served < rebuilt + 1.2  # nginx looks at an open file again after a second
    gunicorn.terminate()
    gunicorn.wait(timeout=10)

    offline = site.get("/routes/western-balkans/")
    assert offline.status == 200 and b"Western Balkans" in offline.body
    assert from_nginx()
    assert site.get("/admin/").status == 502


def test_nginx_serves_later_pages_of_news_from_the_mirror(deployment):
    app, site, gunicorn, _ = deployment
    mirror = Path(app.config["MEDIA_DIR"]).parent / "mirror"
    builders.report_backs(app, 12, slug="page")
    deadline = time.monotonic() + 10
    while not (mirror / "news" / "page=2" / "index.html").exists():
        assert time.monotonic() < deadline, "the mirror did not get a second page of news"
        time.sleep(0.05)
    time.sleep(1.1)  # nginx looks again at the files it keeps open
    gunicorn.terminate()
    gunicorn.wait(timeout=10)

    second = site.get("/news?page=2")
    assert second.status == 200 and b"Page 2 of" in second.body
    assert b"Page 1 of" in site.get("/news").body
    assert b"Report 2" in site.get("/news/page-2").body
