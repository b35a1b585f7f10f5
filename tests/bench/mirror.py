"""Benchmark: from an organiser's tap to the static mirror, on the demo site and a scaled one.

    make bench            (or: .venv/bin/python -m tests.bench.mirror [--changes N])

Starts the site with gunicorn (3 workers, SQLite, MIRROR_DIR set) on loopback,
logs an organiser in, and taps an item's urgency N times (10 by default)
through the admin, timing each tap from the moment it is sent until the
mirror's /needs and /fr/needs both show the item in its new section. Then the same with a
change saved by another process (as another host would: seen by the watcher's
once-a-second look, or on PostgreSQL by the commit's NOTIFY). Then all again
on a database scaled up by 600 items and 400 report-backs. Prints the median
and the slowest; the target is a median of at most 1 s on the scaled site.

On SQLite, as `make run` has it; with --postgresql URL (the Makefile passes the
test database) also on PostgreSQL, in a schema of its own that is dropped
afterwards. Bounded in time; stops what it started.
"""

import argparse
import http.cookiejar
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.config import normalise_database_url
from app.extensions import db
from app.models import Need, Urgency
from tests.bench.throughput import create_organiser, demo_database, start
from tests.pages import csrf_token_from, form_fields
from tests.servers import REPOSITORY

ITEM = "Sleeping bags"
# The item as each language's needs page in the mirror names it (its French name, from the demo).
PAGES_OF_ITEM = {"needs": ITEM, "fr/needs": "Sacs de couchage"}
PASSWORD = "bench password for one run only"
TARGET_SECONDS = 1.0


def scale_up(env: dict, needs: int, posts: int) -> None:
    """Add items and report-backs to the benchmark's database, as months of use would."""
    code = f"""
from datetime import UTC, datetime, timedelta
from app import create_app
from app.extensions import db
from app.models import Category, Need, Post, Urgency
app = create_app()
with app.app_context():
    categories = db.session.scalars(db.select(Category)).all()
    urgencies = list(Urgency)
    for number in range({needs}):
        db.session.add(Need(name=f"Item {{number}}", category=categories[number % len(categories)],
                            urgency=urgencies[number % 4], details="Any size, clean and dry."))
    now = datetime.now(UTC)
    for number in range({posts}):
        db.session.add(Post(slug=f"report-{{number}}", title=f"Report-back {{number}}",
                            summary="What happened this week.", body="A week at the border. " * 40,
                            published_at=now - timedelta(hours=number + 1)))
    db.session.commit()
"""
    subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPOSITORY,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


def section_of_item(mirror: Path) -> str | None:
    """The section the item is in on every language's needs page; None until they agree."""
    sections = {section_on(mirror, page, name) for page, name in PAGES_OF_ITEM.items()}
    return sections.pop() if len(sections) == 1 else None


def section_on(mirror: Path, page: str, name: str) -> str | None:
    try:
        html = (mirror / page / "index.html").read_text()
    except OSError:
        return None
    # Its name, or the English one while it has no translation (marked with its language).
    shown = re.compile(rf"<strong>(?:<span lang=\"\w+\">)?(?:{re.escape(name)}|{ITEM})<")
    for match in re.finditer(r'<section id="(\w+)"(.*?)</section>', html, re.S):
        if shown.search(match.group(2)):
            return match.group(1)
    return None


def wait_for_section(mirror: Path, section: str, limit: float = 20) -> float:
    started = time.perf_counter()
    while section_of_item(mirror) != section:
        if time.perf_counter() - started > limit:
            raise SystemExit(f"the mirror did not show the change within {limit:g} s")
        time.sleep(0.005)
    return time.perf_counter() - started


class Organiser:
    def __init__(self, base: str, email: str):
        self.base = base
        self.browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = self.open("/login")
        self.open(
            "/login", {"email": email, "password": PASSWORD, "csrf_token": csrf_token_from(page)}
        )

    def open(self, path: str, form: dict | None = None) -> str:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        with self.browser.open(self.base + path, data, timeout=30) as response:
            return response.read().decode()

    def form(self, need_id: int) -> dict:
        """The one-tap form as the list shows it (its token, the version it was shown)."""
        listed = self.open(f"/admin/needs/?{urllib.parse.urlencode({'search': ITEM})}")
        return form_fields(listed, f"/admin/needs/{need_id}/urgency")

    def tap(self, need_id: int, urgency: str, form: dict) -> None:
        """The one-tap form's POST alone (the page it redirects to is not waited for)."""
        request = urllib.request.Request(  # noqa: S310 (http on loopback)
            f"{self.base}/admin/needs/{need_id}/urgency",
            urllib.parse.urlencode({**form, "urgency": urgency}).encode(),
        )
        no_redirect = urllib.request.build_opener(
            *[
                handler
                for handler in self.browser.handlers
                if not isinstance(handler, urllib.request.HTTPRedirectHandler)
            ],
        )
        try:
            no_redirect.open(request, timeout=30).close()
        except urllib.error.HTTPError as answer:
            if answer.code != 302:
                raise


class OtherHost:
    """Another app process sharing the database, as a second host would: its saves reach
    this host's watcher only through the database."""

    def __init__(self, env: dict):
        self.app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
                "SECRET_KEY": env["SECRET_KEY"],
                "PAGE_CACHE": False,
            }
        )

    def need_id(self) -> int:
        with self.app.app_context():
            return db.session.scalar(db.select(Need.id).where(Need.name == ITEM))

    def set_urgency(self, need_id: int, urgency: str) -> None:
        with self.app.app_context():
            db.session.get(Need, need_id).urgency = Urgency(urgency)
            db.session.commit()

    def close(self) -> None:
        with self.app.app_context():
            db.engine.dispose()


def measure(folder: Path, env: dict, changes: int, label: str) -> dict:
    mirror = folder / f"mirror-{label}"
    env = {**env, "MIRROR_DIR": str(mirror)}
    with start("wsgi:app", env, ready_path="/robots.txt", timeout=60) as server:
        started = time.perf_counter()
        while section_of_item(mirror) is None:
            if time.perf_counter() - started > 300:
                raise SystemExit("the first mirror was not built")
            time.sleep(0.05)
        first = time.perf_counter() - started
        files = sum(1 for _ in mirror.resolve().rglob("*.html"))
        other_host = OtherHost(env)
        need_id = other_host.need_id()
        organiser = Organiser(server.url, "bench@example.org")
        taps, elsewhere = [], []
        for number in range(changes):
            urgency = "urgent" if section_of_item(mirror) != "urgent" else "needed"
            form = organiser.form(need_id)  # the list as shown, before the tap is timed
            sent = time.perf_counter()
            organiser.tap(need_id, urgency, form)
            taps.append(time.perf_counter() - sent + wait_for_section(mirror, urgency))
            urgency = "plenty" if number % 2 else "do_not_send"
            sent = time.perf_counter()
            other_host.set_urgency(need_id, urgency)
            elsewhere.append(time.perf_counter() - sent + wait_for_section(mirror, urgency))
        other_host.close()
    return {"label": label, "pages": files, "first": first, "taps": taps, "elsewhere": elsewhere}


def report(result: dict) -> None:
    print(
        f"\n{result['label']}: {result['pages']} HTML pages; first full build "
        f"{result['first']:.1f} s"
    )
    for name, times in (
        ("tap on this host", result["taps"]),
        ("save on another host", result["elsewhere"]),
    ):
        print(
            f"  {name:22} median {statistics.median(times):5.2f} s   slowest {max(times):5.2f} s"
            f"   ({len(times)} changes)"
        )


def run(database: str, database_url: str, folder: Path, changes: int) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "benchmark",
        "MEDIA_DIR": str(folder / "media"),
    }
    demo_database(folder, env)
    create_organiser(env, "bench@example.org", PASSWORD)
    print(
        f"\nFrom a change to the static mirror's /needs and /fr/needs "
        f"(gunicorn, 3 workers, {database})"
    )
    report(measure(folder, env, changes, "demo site"))
    scale_up(env, needs=600, posts=400)
    scaled = measure(folder, env, changes, "scaled: +600 items, +400 report-backs")
    report(scaled)
    median = statistics.median(scaled["taps"])
    verdict = "met" if median <= TARGET_SECONDS else "NOT met"
    print(
        f"target: a tap on the scaled site reaches the mirror in at most {TARGET_SECONDS:g} s "
        f"(median): {verdict} ({median:.2f} s)"
    )


@contextmanager
def postgresql_schema(url: str):
    """A schema of our own in the database `url` names, dropped afterwards; None if unreachable."""
    engine = create_engine(normalise_database_url(url))
    schema = f"needs_now_bench_{uuid.uuid4().hex[:10]}"
    try:
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError:
        engine.dispose()
        yield None
        return
    try:
        separator = "&" if "?" in url else "?"
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--postgresql", metavar="URL", help="also measure on this database")
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="needs-now-mirror-bench-"))
    try:
        run("SQLite", f"sqlite:///{folder / 'bench.sqlite'}", folder / "sqlite", arguments.changes)
        if arguments.postgresql:
            with postgresql_schema(arguments.postgresql) as url:
                if url is None:
                    print(f"\nPostgreSQL is not reachable at {arguments.postgresql}: not measured.")
                else:
                    run("PostgreSQL", url, folder / "postgresql", arguments.changes)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
