"""The one Alembic history builds the schema the models describe, on both databases."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app.extensions import db
from app.models import Settings
from tests.apps import make_app


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_app(request, tmp_path):
    if request.param == "sqlite":
        yield make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.sqlite'}"})
        return
    server = request.getfixturevalue("postgres_server")
    schema = server.fresh_schema()
    app = make_app(server.config(schema))
    yield app
    with app.app_context():
        db.engine.dispose()
    server.drop_schema(schema)


def test_upgrade_builds_an_empty_database_that_matches_the_models(empty_app):
    with empty_app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        assert db.session.get(Settings, 1) is not None


def test_downgrade_to_base_removes_every_table(empty_app):
    with empty_app.app_context():
        upgrade()
        downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names())
        assert tables <= {"alembic_version"}


def test_upgrading_a_database_with_items_keeps_them_and_fills_the_new_columns(empty_app):
    with empty_app.app_context():
        upgrade(revision="0006_commit_numbers")
        db.session.execute(
            text(
                "INSERT INTO categories (id, name, slug, position, description, version) "
                "VALUES (1, 'Shelter', 'shelter', 0, '', 1)"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO needs (id, category_id, name, details, quantity, unit, urgency, "
                "is_visible, position, created_at, updated_at, version) VALUES (1, 1, 'Tents', '', "
                "10, '', 'urgent', true, 0, '2026-11-01 09:00:00', '2026-11-20 09:00:00', 1)"
            )
        )
        db.session.commit()

        upgrade()

        row = db.session.execute(text("SELECT checked_at, received FROM needs")).one()
        assert str(row.checked_at).startswith("2026-11-20 09:00:00") and row.received == 0
        assert db.session.get(Settings, 1).check_after_days == 7


def test_upgrading_forgets_what_was_typed_in_failed_logins(empty_app):
    with empty_app.app_context():
        upgrade(revision="0007_checked_and_received")
        db.session.execute(
            text(
                "INSERT INTO users (id, email, display_name, password_hash, role, is_active, "
                "session_token, created_at, version) VALUES (1, 'maya@example.org', 'Maya', 'x', "
                "'organiser', true, 't', '2026-11-01 09:00:00', 1)"
            )
        )
        for number, (record_id, typed) in enumerate(
            [(None, "my secret passphrase"), (1, "MAYA@example.org "), (None, "x@y.z")], start=1
        ):
            db.session.execute(
                text(
                    "INSERT INTO changes (id, at, user_name, action, record_type, record_id, "
                    "summary) VALUES (:id, '2026-11-01 09:00:00', '', 'login_failed', 'users', "
                    ":record_id, :summary)"
                ),
                {"id": number, "record_id": record_id, "summary": f"Failed login as {typed}"},
            )
        db.session.commit()

        upgrade()

        summaries = db.session.execute(text("SELECT summary FROM changes ORDER BY id")).scalars()
        assert list(summaries) == [
            "Failed login (no such account)",
            "Failed login as Maya",
            "Failed login (no such account)",
        ]
