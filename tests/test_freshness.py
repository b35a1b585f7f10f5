"""After a change, every worker of every app process serves it within one second."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from app.extensions import db
from app.models import Need, Urgency
from tests import builders
from tests.conftest import create_database, make_app
from tests.servers import free_port, is_serving

REPOSITORY = Path(__file__).resolve().parents[1]
FRESHNESS_BOUND = 1.0


class Gunicorn:
    """The site as production runs it: gunicorn, several workers, the default cache."""

    def __init__(self, database_url: str, workers: int):
        self.port = free_port()
        env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "fresh"}
        env.pop("PAGE_CACHE_REFRESH", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers),
             "--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=REPOSITORY, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        if not is_serving(f"http://127.0.0.1:{self.port}/needs.txt", self.process):
            self.stop()
            pytest.fail("gunicorn did not start")

    def get(self, path: str) -> str:
        # A new connection each time, so requests spread over the workers.
        url = f"http://127.0.0.1:{self.port}{path}"
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
            return response.read().decode()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def urgent_section(text: str) -> str:
    return text.split("ALSO NEEDED")[0]


def prepare(app):
    create_database(app)
    return builders.need(app, builders.category(app, "Shelter"), "Sleeping bags", Urgency.needed)


def change_and_check(app, servers, need_id):
    for server in servers:  # every worker has the old list in its cache
        for _ in range(12):
            assert "Sleeping bags" not in urgent_section(server.get("/needs.txt"))
    with app.app_context():
        db.session.get(Need, need_id).urgency = Urgency.urgent
        db.session.commit()
    time.sleep(FRESHNESS_BOUND)
    for server in servers:
        for _ in range(30):
            assert "Sleeping bags" in urgent_section(server.get("/needs.txt"))


def test_every_gunicorn_worker_serves_a_change_within_one_second(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    app = make_app({"SQLALCHEMY_DATABASE_URI": url})
    need_id = prepare(app)
    server = Gunicorn(url, workers=3)
    try:
        change_and_check(app, [server], need_id)
    finally:
        server.stop()
        with app.app_context():
            db.engine.dispose()


def test_two_app_processes_sharing_postgresql_serve_a_change_within_one_second(postgres_server):
    schema = postgres_server.fresh_schema()
    app = make_app(postgres_server.config(schema))
    need_id = prepare(app)
    url = f"{postgres_server.url}?options=-csearch_path%3D{schema}"
    servers = [Gunicorn(url, workers=2), Gunicorn(url, workers=2)]
    try:
        change_and_check(app, servers, need_id)
    finally:
        for server in servers:
            server.stop()
        with app.app_context():
            db.engine.dispose()
        postgres_server.drop_schema(schema)
