"""The mirror keeps itself current: after saves, at publication times, through outages.

These run the watcher threads in this process (several apps stand for several
workers of one host); tests/test_freshness.py runs real gunicorn hosts.
"""

import logging
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import pytest

from app.extensions import db
from app.mirror import build as mirror_build
from app.mirror import watcher
from app.models import Need, Role, Urgency
from tests import builders
from tests.accounts import AuthActions
from tests.apps import create_database, drop_database, make_app
from tests.pages import form_fields
from tests.servers import SwitchableProxy, mirror_text, seconds_until

WITHIN = 2.0  # seconds from a change to the mirror, the promise


def shared_database(database_config: dict, tmp_path: Path) -> dict:
    if database_config["SQLALCHEMY_DATABASE_URI"] == "sqlite://":
        # Watchers run in threads of their own: they need a database they can share.
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shared.sqlite'}"}
    return database_config


def mirrored_app(config: dict, tmp_path: Path):
    return make_app(config, MIRROR_DIR=str(tmp_path / "site"), MEDIA_DIR=str(tmp_path / "media"))


def migrated_then_mirrored(config: dict, tmp_path: Path):
    """As in production: the database is made first, then the site is served."""
    maker = make_app(config)
    create_database(maker)
    with maker.app_context():
        db.engine.dispose()
    return mirrored_app(config, tmp_path)


def stop(*apps):
    """Stop the apps' watchers and close their database connections."""
    for app in apps:
        app.extensions["mirror"].stop()
        with app.app_context():
            db.engine.dispose()


def mirrored(tmp_path: Path, name: str, text: str) -> bool:
    return text in mirror_text(tmp_path / "site", name)


@pytest.fixture
def watched(database_config, tmp_path):
    config = shared_database(database_config, tmp_path)
    app = migrated_then_mirrored(config, tmp_path)
    yield app
    stop(app)
    drop_database(app)


def test_an_organisers_save_reaches_the_mirror_within_two_seconds(watched, tmp_path):
    client = watched.test_client()
    AuthActions(watched, client).login_as(Role.organiser)
    need_id = builders.need(watched, builders.category(watched), "Woolly hats", Urgency.needed)
    assert seconds_until(lambda: mirrored(tmp_path, "needs.txt", "Woolly hats"), 10) is not None
    action = f"/admin/needs/{need_id}/urgency"
    shown = form_fields(client.get("/admin/needs/").get_data(as_text=True), action)

    client.post(action, data={**shown, "urgency": "urgent"})
    waited = seconds_until(lambda: "Woolly hats" in urgent_part(tmp_path), WITHIN)

    assert waited is not None, "the change did not reach the mirror within two seconds"


def urgent_part(tmp_path: Path) -> str:
    return mirror_text(tmp_path / "site", "needs.txt").split("ALSO NEEDED")[0]


def test_a_scheduled_report_back_reaches_the_mirror_at_its_time(watched, tmp_path):
    assert seconds_until(lambda: (tmp_path / "site").exists(), 10) is not None
    due = datetime.now(UTC) + timedelta(seconds=2)
    builders.post(watched, "on-time", "Right on time", published_at=due)
    assert not mirrored(tmp_path, "news/index.html", "Right on time")

    time.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()))
    waited = seconds_until(lambda: mirrored(tmp_path, "news/index.html", "Right on time"), WITHIN)

    assert waited is not None, "the report-back did not reach the mirror at its time"


def test_one_worker_watches_and_another_takes_over_when_it_stops(database_config, tmp_path):
    config = shared_database(database_config, tmp_path)
    first = migrated_then_mirrored(config, tmp_path)
    second = mirrored_app(config, tmp_path)
    workers = [first, second]
    try:
        assert seconds_until(
            lambda: any(w.extensions["mirror"].watching.is_set() for w in workers), 5
        )
        time.sleep(1.5)  # the other had time to try
        watching = [w for w in workers if w.extensions["mirror"].watching.is_set()]
        assert len(watching) == 1
        stop(watching[0])
        other = next(w for w in workers if w is not watching[0])

        assert seconds_until(lambda: other.extensions["mirror"].watching.is_set(), 3) is not None
        builders.need(other, builders.category(other), "Tarpaulins", Urgency.urgent)
        assert seconds_until(lambda: mirrored(tmp_path, "needs.txt", "Tarpaulins"), WITHIN)
    finally:
        stop(*workers)
        drop_database(first)


def test_a_watcher_taking_over_a_current_mirror_looks_once_a_second(
    database_config, tmp_path, monkeypatch
):
    config = shared_database(database_config, tmp_path)
    first = migrated_then_mirrored(config, tmp_path)
    assert seconds_until(lambda: mirrored(tmp_path, "needs.txt", "what we need now"), 10)
    stop(first)
    mirror_build._manifests.clear()  # as in a new process: the manifest is read from disk
    looks = []
    real_build = watcher.build_mirror
    monkeypatch.setattr(
        watcher, "build_mirror", lambda target: looks.append(1) or real_build(target)
    )
    second = mirrored_app(config, tmp_path)
    try:
        time.sleep(3)
    finally:
        stop(second)
        drop_database(second)

    assert 2 <= len(looks) <= 5, f"{len(looks)} looks in three seconds"


def test_a_watcher_taking_over_a_current_mirror_compiles_the_public_templates(
    database_config, tmp_path
):
    # A template is compiled on first use: compiled as the watcher starts, the first change
    # after a restart is rendered as quickly as the next (it took twice as long).
    config = shared_database(database_config, tmp_path)
    first = migrated_then_mirrored(config, tmp_path)
    assert seconds_until(lambda: mirrored(tmp_path, "needs.txt", "what we need now"), 10)
    stop(first)
    mirror_build._manifests.clear()  # as in a new process: the manifest is read from disk
    second = mirrored_app(config, tmp_path)

    def compiled() -> set[str]:
        return {name for _, name in list(second.jinja_env.cache.keys())}

    try:
        assert seconds_until(lambda: "public/poster.html" in compiled(), 5) is not None
    finally:
        stop(second)
        drop_database(second)
    assert {"public/needs.html", "feeds/needs.atom.xml", "errors/error.html"} <= compiled()
    assert not any(name.startswith("bootstrap4/") for name in compiled())


def test_flask_commands_do_not_start_a_watcher(tmp_path):
    with click.Context(click.Command("demo")):
        app = mirrored_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}, tmp_path)

    assert app.extensions["mirror"].thread is None


def test_an_outage_leaves_the_mirror_alone_and_is_logged_once(postgres_server, tmp_path, caplog):
    proxy = SwitchableProxy()
    schema = postgres_server.fresh_schema()
    config = postgres_server.config(schema)
    config["SQLALCHEMY_DATABASE_URI"] = config["SQLALCHEMY_DATABASE_URI"].replace(
        "127.0.0.1:5432", f"127.0.0.1:{proxy.port}"
    )
    app = migrated_then_mirrored(config, tmp_path)
    need_id = builders.need(app, builders.category(app), "Sleeping bags", Urgency.needed)
    caplog.set_level(logging.WARNING, logger="app.mirror")
    try:
        assert seconds_until(lambda: mirrored(tmp_path, "needs.txt", "Sleeping bags"), 10)
        live = (tmp_path / "site").resolve()

        proxy.cut()
        time.sleep(5)  # several attempts: 1, 2… seconds apart
        during = [record.getMessage() for record in caplog.records]
        assert (tmp_path / "site").resolve() == live and live.exists()
        proxy.restore()
        with app.app_context():
            db.session.get(Need, need_id).name = "Warm sleeping bags"
            db.session.commit()
        assert seconds_until(lambda: mirrored(tmp_path, "needs.txt", "Warm sleeping bags"), 35)
    finally:
        stop(app)
        proxy.close()
        postgres_server.drop_schema(schema)

    assert len([line for line in during if "cannot reach" in line]) == 1, during
    assert any("up to date again" in record.getMessage() for record in caplog.records)
