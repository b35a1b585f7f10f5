"""The commands that serve the site (`make run`, docs/deploy.md) log no visitor's address."""

import os
import re
import shlex
import socket
import time
import urllib.request

import pytest

from app.extensions import db
from app.serving import without_addresses
from tests.apps import create_database, make_app
from tests.nginx import REPOSITORY, documented_command
from tests.servers import Gunicorn


def make_run_command() -> list[str]:
    """The gunicorn line of the Makefile's `run` target, as arguments."""
    makefile = (REPOSITORY / "Makefile").read_text()
    line = re.search(r"^\t\$\(BIN\)/(gunicorn .*)$", makefile, re.M).group(1)
    return shlex.split(line.replace("$(HOST)", "127.0.0.1").replace("$(PORT)", "8000"))


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Invalid request from ip=192.0.2.17: Invalid HTTP method", "Invalid HTTP method"),
        ("from ::1, 2001:db8::7, ::ffff:192.0.2.1 and [fe80::1]:80", "from [address], "),
        ("2001:0db8:0000:0000:0000:ff00:0042:8329 left", "[address] left"),
        ("a request from 192.0.2.17.", "a request from [address]."),
        ("Booting worker with pid: 4242 at 12:30:45, version 23.0.1", "version 23.0.1"),
    ],
)
def test_addresses_are_taken_out_of_log_lines(text, kept):
    private = without_addresses(text)
    assert kept in private and "192.0.2" not in private and "db8" not in private
    assert "::1" not in private and "fe80" not in private


@pytest.mark.parametrize("source", ["Makefile", "docs/deploy.md"])
def test_malformed_requests_leave_no_client_address_in_the_log(source, tmp_path):
    command = make_run_command() if source == "Makefile" else documented_command("gunicorn")
    database = f"sqlite:///{tmp_path / 'site.sqlite'}"
    app = make_app({"SQLALCHEMY_DATABASE_URI": database})
    create_database(app)
    with app.app_context():
        db.engine.dispose()
    log = tmp_path / "gunicorn.log"
    env = {**os.environ, "DATABASE_URL": database, "SECRET_KEY": "serving"}
    env.pop("REDIS_URL", None)
    with Gunicorn(env=env, command=command, log=log) as server:
        for raw in (
            b"GARBAGE\r\n\r\n",
            b"GET /needs HTTP/9.9\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost\r\n\r\n",
        ):
            with socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
                connection.sendall(raw)
                connection.recv(1024)
        urllib.request.urlopen(f"{server.url}/needs", timeout=5).close()  # noqa: S310 (loopback)
        time.sleep(0.3)  # let the workers write their lines

    lines = log.read_text().splitlines()
    assert any("Invalid request from ip=[address]" in line for line in lines), lines
    leaks = [line for line in lines if "127.0.0.1" in line and "Listening at" not in line]
    assert leaks == []
