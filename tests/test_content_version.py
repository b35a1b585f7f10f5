"""The content version: one definition of "the public site changed", for every copy of it."""

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import Date, DateTime

from app.config import settings_from_environment
from app.content_version import TIME_COLUMNS, ContentVersion, current_version, list_updated_at
from app.dates import zone_named
from app.extensions import db
from app.models import Need, Role, Urgency
from tests import builders
from tests.apps import create_database, drop_database, make_app

PARIS = ZoneInfo("Europe/Paris")


def version_of(app, now: datetime | None = None) -> ContentVersion:
    with app.app_context():
        return current_version(now)


def test_every_date_and_time_column_says_how_it_changes_what_the_public_sees(app):
    """A new column such as "visible_from" must be classified in TIME_COLUMNS, so that the
    content version (and with it the page cache and the mirror) follows it."""
    with app.app_context():
        timed = {
            f"{table.name}.{column.name}"
            for table in db.metadata.sorted_tables
            for column in table.columns
            if isinstance(column.type, Date | DateTime)
            or isinstance(getattr(column.type, "impl", None), Date | DateTime)
        }

    assert timed - TIME_COLUMNS.keys() == set(), "classify these in app/content_version.py"
    assert TIME_COLUMNS.keys() - timed == set(), "these columns no longer exist"


def test_a_commit_from_another_process_changes_the_version(database_config, tmp_path):
    if database_config["SQLALCHEMY_DATABASE_URI"] == "sqlite://":
        database_config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shared.sqlite'}"}
    app, other = make_app(database_config), make_app(database_config)
    create_database(app)
    builders.need(app, builders.category(app), "Sleeping bags")
    before = version_of(app)
    with other.app_context():
        db.session.scalar(db.select(Need)).urgency = Urgency.urgent
        db.session.commit()
        db.engine.dispose()

    assert version_of(app) > before
    drop_database(app)


def test_a_save_changes_the_version_and_a_login_does_not(app, auth):
    need_id = builders.need(app, builders.category(app), "Sleeping bags")
    before = version_of(app)
    auth.login_as(Role.organiser)
    assert version_of(app) == before

    with app.app_context():
        db.session.get(Need, need_id).urgency = Urgency.urgent
        db.session.commit()

    assert version_of(app) > before


def test_a_scheduled_post_changes_the_version_at_its_time_and_says_so_in_advance(app):
    now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    due = now + timedelta(minutes=20)
    builders.post(app, "later", "Later", published_at=due)

    before = version_of(app, now)
    at_its_time = version_of(app, due)

    assert before.next_boundary == due
    assert not before.expired(due - timedelta(seconds=1)) and before.expired(due)
    assert at_its_time > before and at_its_time.commit_number == before.commit_number
    assert version_of(app, due + timedelta(minutes=5)) == at_its_time


def test_local_midnight_changes_the_version(app):
    evening = datetime(2026, 11, 27, 22, 59, tzinfo=UTC)  # 23:59 in Paris
    midnight = datetime.combine(date(2026, 11, 28), time(0), tzinfo=PARIS).astimezone(UTC)

    before = version_of(app, evening)

    assert before.next_boundary == midnight
    assert version_of(app, midnight) > before
    assert version_of(app, midnight + timedelta(hours=3)) == version_of(app, midnight)


def test_versions_are_ordered_in_time(app):
    category = builders.category(app)
    seen = [version_of(app)]
    builders.need(app, category, "Socks")
    seen.append(version_of(app))
    seen.append(version_of(app, datetime.now(UTC) + timedelta(days=1)))
    assert seen == sorted(seen) and len(set(seen)) == 3


def test_list_last_updated_follows_items_categories_and_sites_only(app):
    need_id = builders.need(app, builders.category(app), "Socks")
    with app.app_context():
        updated = list_updated_at()
    builders.post(app, "news", "News", published_at=datetime.now(UTC))
    with app.app_context():
        assert list_updated_at() == updated
        db.session.get(Need, need_id).name = "Warm socks"
        db.session.commit()
        assert list_updated_at() > updated


def test_the_page_cache_shows_a_scheduled_post_at_its_time_not_its_next_look(
    database_config, tmp_path
):
    app = make_app(database_config, PAGE_CACHE_REFRESH=3600, MEDIA_DIR=str(tmp_path))
    create_database(app)
    start = datetime.now(UTC).replace(microsecond=0)
    builders.post(app, "on-time", "Right on time", published_at=start + timedelta(minutes=10))
    client = app.test_client()
    try:
        with time_machine.travel(start, tick=False):
            assert "Right on time" not in client.get("/news").get_data(as_text=True)
        with time_machine.travel(start + timedelta(minutes=10), tick=False):
            assert "Right on time" in client.get("/news").get_data(as_text=True)
    finally:
        drop_database(app)


@pytest.mark.parametrize(
    ("setting", "offset"),
    [
        ("UTC+01:00", timedelta(hours=1)),
        ("-03:30", -timedelta(hours=3, minutes=30)),
        ("UTC+05:59:30", timedelta(hours=5, minutes=59, seconds=30)),
    ],
)
def test_the_time_zone_may_be_a_fixed_offset(setting, offset):
    zone = zone_named(setting)
    assert isinstance(zone, timezone) and zone.utcoffset(None) == offset


@pytest.mark.parametrize("setting", ["Europe/Nowhere", "UTC+25:00", "+1", "../../etc/passwd"])
def test_an_unknown_time_zone_stops_the_app_with_a_clear_message(setting, tmp_path):
    with pytest.raises(RuntimeError, match="TIMEZONE"):
        settings_from_environment(str(tmp_path), {"SECRET_KEY": "x", "TIMEZONE": setting})
