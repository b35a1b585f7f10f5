"""nginx as docs/deploy.md configures it, run for real on 127.0.0.1 by tests and the benchmark.

The documented block is used as written; only what must differ on a test
machine is replaced: ports, the certificate (self-signed, made here), the
mirror's folder, the app's port and the error log's path.
"""

import os
import re
import shlex
import shutil
import ssl
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
DEPLOY = REPOSITORY / "docs" / "deploy.md"
SERVER_NAME = "needs.example.org"


def snippet(name: str) -> str:
    text = DEPLOY.read_text()
    match = re.search(rf"<!-- snippet: {name} -->\n```\w*\n(.*?)```", text, re.S)
    assert match, f"docs/deploy.md has no {name} snippet"
    return match.group(1)


def documented_command(name: str) -> list[str]:
    """A shell snippet of docs/deploy.md as arguments (backslash-newline continues a line)."""
    return shlex.split(snippet(name).replace("\\\n", " "))


def nginx_binary() -> str | None:
    return shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    certificate, key = folder / "certificate.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            f"/CN={SERVER_NAME}",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return certificate, key


def client_context(certificate: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(certificate))
    context.check_hostname = False  # we connect to 127.0.0.1, the certificate names the site
    return context


@dataclass
class Ports:
    http: int
    https: int


def documented_block(
    ports: Ports, mirror: Path, app_port: int, certificate: Path, key: Path, logs: Path
) -> str:
    """The nginx snippet of docs/deploy.md, with this machine's ports and paths."""
    block = snippet("nginx")
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{ports.http};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{ports.https} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        f"/etc/letsencrypt/live/{SERVER_NAME}/fullchain.pem": str(certificate),
        f"/etc/letsencrypt/live/{SERVER_NAME}/privkey.pem": str(key),
        "/srv/needs-now/mirror": str(mirror),
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
        "/var/log/nginx/needs-now.error.log": str(logs / "needs-now.error.log"),
        "root /var/www/acme;": f"root {logs.parent / 'acme'};",
    }
    for old, new in replacements.items():
        assert old in block, f"docs/deploy.md's nginx block no longer has {old!r}"
        block = block.replace(old, new)
    return block


def start_nginx(prefix: Path, servers: str, workers: int = 1) -> subprocess.Popen:
    """nginx with Debian's defaults around `servers`: an access log and gzip on at the http
    level, as on a fresh install, so that the documented block must turn them off itself."""
    logs = prefix / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    # As root, nginx's workers would run as nobody, who cannot read pytest's private
    # temporary folder; in production the mirror is readable by nginx's user.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"{user}pid {prefix}/nginx.pid;\nerror_log {logs}/error.log;\n"
        f"worker_processes {workers};\nevents {{ worker_connections 1024; }}\n"
        f"http {{\n include /etc/nginx/mime.types;\n default_type application/octet-stream;\n"
        f" sendfile on;\n access_log {logs}/access.log;\n gzip on;\n"
        f" client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy;\n"
        f" fastcgi_temp_path {prefix}/fastcgi; uwsgi_temp_path {prefix}/uwsgi;\n"
        f" scgi_temp_path {prefix}/scgi;\n{servers}\n}}\n"
    )
    return subprocess.Popen(
        [nginx_binary(), "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
