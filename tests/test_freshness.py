"""After a change, every copy of the site shows it: every worker of every app process within
one second, every host's static mirror within two, and at publication times and midnight.
"""

import http.cookiejar
import os
import re
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.extensions import db
from app.models import Need, Role, Urgency
from tests import builders
from tests.accounts import PASSWORD, create_user
from tests.apps import create_database, make_app
from tests.pages import csrf_token_from, form_fields
from tests.servers import Gunicorn, mirror_text, seconds_until

FRESHNESS_BOUND = 1.0
MIRROR_BOUND = 2.0


class Host(Gunicorn):
    """The site as production runs it: gunicorn, several workers, the default cache."""

    def __init__(self, database_url: str, workers: int, **settings):
        env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "fresh", **settings}
        env.pop("PAGE_CACHE_REFRESH", None)
        super().__init__("wsgi:app", env, workers=workers)

    def get(self, path: str) -> str:
        # A new connection each time, so requests spread over the workers.
        with urllib.request.urlopen(self.url + path, timeout=5) as response:  # noqa: S310
            return response.read().decode()

    def organiser(self, email: str) -> urllib.request.OpenerDirector:
        """A logged-in organiser's browser (cookies kept), through the login form."""
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = browser.open(f"{self.url}/login", timeout=5).read().decode()
        form = {"email": email, "password": PASSWORD, "csrf_token": csrf_token_from(page)}
        browser.open(f"{self.url}/login", urllib.parse.urlencode(form).encode(), timeout=5)
        return browser

    def tap_urgency(self, browser, need_id: int, urgency: str) -> None:
        page = browser.open(f"{self.url}/admin/needs/", timeout=5).read().decode()
        action = f"/admin/needs/{need_id}/urgency"
        form = {**form_fields(page, action), "urgency": urgency}
        response = browser.open(
            f"{self.url}{action}", urllib.parse.urlencode(form).encode(), timeout=5
        )
        assert "is now marked" in response.read().decode()


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
    server = Host(url, workers=3)
    try:
        change_and_check(app, [server], need_id)
    finally:
        server.stop()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def shared_postgresql(postgres_server):
    """A schema of its own, the app that fills it, its URL for hosts, and the list of hosts
    started on it (stopped afterwards)."""
    schema = postgres_server.fresh_schema()
    app = make_app(postgres_server.config(schema))
    hosts: list[Host] = []
    yield app, f"{postgres_server.url}?options=-csearch_path%3D{schema}", hosts
    for host in hosts:
        host.stop()
    with app.app_context():
        db.engine.dispose()
    postgres_server.drop_schema(schema)


def test_two_app_processes_sharing_postgresql_serve_a_change_within_one_second(shared_postgresql):
    app, url, hosts = shared_postgresql
    need_id = prepare(app)
    hosts += [Host(url, workers=2), Host(url, workers=2)]
    change_and_check(app, hosts, need_id)


def offset_with_midnight_at(moment: datetime) -> str:
    """A TIMEZONE setting (a fixed offset from UTC) in which local midnight falls at `moment`."""
    seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
    offset = -seconds if seconds < 12 * 3600 else 24 * 3600 - seconds
    sign, offset = ("-" if offset < 0 else "+"), abs(offset)
    return f"UTC{sign}{offset // 3600:02d}:{offset % 3600 // 60:02d}:{offset % 60:02d}"


def every_mirror_shows(mirrors: list[Path], name: str, text: str) -> list[str]:
    """The hosts whose mirror does not show `text` in `name` within the bound."""
    return [
        mirror.parent.name
        for mirror in mirrors
        if seconds_until(lambda m=mirror: text in mirror_text(m, name), MIRROR_BOUND) is None
    ]


def test_every_hosts_mirror_follows_saves_publications_and_midnight(shared_postgresql, tmp_path):
    """Two hosts (gunicorn, two workers each) share PostgreSQL, each with its own mirror."""
    app, url, hosts = shared_postgresql
    need_id = prepare(app)
    create_user(app, Role.organiser, email="maya@example.org")
    midnight = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=24)
    zone = offset_with_midnight_at(midnight)
    mirrors = [tmp_path / "host-a" / "mirror", tmp_path / "host-b" / "mirror"]
    hosts += [Host(url, workers=2, MIRROR_DIR=str(mirror), TIMEZONE=zone) for mirror in mirrors]
    for mirror in mirrors:  # each host builds its own first mirror
        assert seconds_until(lambda m=mirror: "Sleeping bags" in mirror_text(m, "needs.txt"), 15)

    due = datetime.now(UTC) + timedelta(seconds=4)
    builders.post(app, "on-time", "Right on time", published_at=due)
    time.sleep((due - datetime.now(UTC)).total_seconds())
    assert every_mirror_shows(mirrors, "news/index.html", "Right on time") == []

    host_a = hosts[0]
    host_a.tap_urgency(host_a.organiser("maya@example.org"), need_id, "urgent")
    waited = seconds_until(
        lambda: "Sleeping bags" in urgent_section(mirror_text(mirrors[1], "needs.txt")),
        MIRROR_BOUND,
    )
    assert waited is not None, "a save on host A did not reach host B's mirror"

    assert ">today</time>" in mirror_text(mirrors[1], "needs/index.html")
    assert datetime.now(UTC) < midnight, "the test was too slow to see midnight come"
    time.sleep((midnight - datetime.now(UTC)).total_seconds())
    assert every_mirror_shows(mirrors, "needs/index.html", ">yesterday</time>") == []


def test_a_save_in_any_worker_reaches_the_hosts_mirror_within_two_seconds(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    app = make_app({"SQLALCHEMY_DATABASE_URI": url})
    need_id = prepare(app)
    create_user(app, Role.organiser, email="maya@example.org")
    mirror = tmp_path / "mirror"
    host = Host(url, workers=3, MIRROR_DIR=str(mirror))
    try:
        assert seconds_until(lambda: "Sleeping bags" in mirror_text(mirror, "needs.txt"), 15)
        browser = host.organiser("maya@example.org")
        for urgency in ("urgent", "plenty", "urgent"):  # through whichever worker answers
            host.tap_urgency(browser, need_id, urgency)
            heading = "URGENTLY NEEDED" if urgency == "urgent" else "WE HAVE PLENTY"
            waited = seconds_until(
                lambda h=heading: (
                    "Sleeping bags" in section_of(mirror_text(mirror, "needs.txt"), h)
                ),
                MIRROR_BOUND,
            )
            assert waited is not None, f"marking {urgency} did not reach the mirror"
            print(f"{urgency}: on the mirror {waited:.2f} s after the save")
    finally:
        host.stop()
        with app.app_context():
            db.engine.dispose()


def section_of(text: str, heading: str) -> str:
    after = text.split(heading, 1)[-1] if heading in text else ""
    return re.split(r"\n[A-Z][A-Z ,]+\n", after, maxsplit=1)[0]
