"""The one Alembic history builds the schema the models describe, on both databases, and
upgrades and downgrades a database that holds content.

The rule for new columns (docs/architecture.md): a NOT NULL column added to an existing table
has a server default, or the upgrade fails on any table with rows. `flask db migrate` refuses
to write such a migration, and the scripts already written are checked here.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import BatchOperations, Operations
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, revision, upgrade
from sqlalchemy import CheckConstraint, func, inspect, select, table, text
from sqlalchemy.exc import IntegrityError

from app.demo import load_demo_content
from app.extensions import db
from app.maps import PALETTE
from app.models import Category, Need, Role, Settings, SiteKind, Urgency
from tests.accounts import create_user
from tests.apps import make_app

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    """The configuration of an empty database."""
    if request.param == "sqlite":
        yield {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.sqlite'}"}
        return
    server = request.getfixturevalue("postgres_server")
    schema = server.fresh_schema()
    yield server.config(schema)
    server.drop_schema(schema)


@pytest.fixture
def empty_app(empty_database):
    app = make_app(empty_database)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def revisions() -> list[str]:
    """The revision ids, oldest first (inside an app context)."""
    config = current_app.extensions["migrate"].migrate.get_config()
    script = ScriptDirectory.from_config(config)
    return [each.revision for each in reversed(list(script.walk_revisions()))]


def row_counts() -> dict[str, int]:
    """How many rows each table holds, in its own connection (a migration must not wait)."""
    with db.engine.connect() as connection:
        names = set(inspect(connection).get_table_names()) - {"alembic_version"}
        return {
            name: connection.execute(select(func.count()).select_from(table(name))).scalar_one()
            for name in names
        }


def differences_from_the_models() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def load_demo() -> None:
    load_demo_content()
    db.session.commit()
    db.session.remove()


def test_upgrade_builds_an_empty_database_that_matches_the_models(empty_app):
    with empty_app.app_context():
        upgrade()
        assert differences_from_the_models() == []
        assert db.session.get(Settings, 1) is not None


@pytest.mark.parametrize(
    ("table", "column", "vocabulary"),
    [("sites", "kind", SiteKind), ("users", "role", Role), ("needs", "urgency", Urgency)],
)
def test_a_vocabulary_column_has_the_check_the_migrations_made(
    empty_app, table, column, vocabulary
):
    # compare_metadata leaves CHECK constraints out: the vocabularies' are compared here.
    with empty_app.app_context():
        upgrade()
        inspector = inspect(db.engine)
        model_checks = {
            constraint.name
            for constraint in db.metadata.tables[table].constraints
            if isinstance(constraint, CheckConstraint)
        }
        checks = {
            check["name"]: check["sqltext"] for check in inspector.get_check_constraints(table)
        }
        assert set(checks) == model_checks
        (vocabulary_check,) = [checks[name] for name in checks if name.endswith(column)]
        assert re.findall(r"'([^']*)'", vocabulary_check) == [member.value for member in vocabulary]
        columns = {found["name"]: found for found in inspector.get_columns(table)}
        assert columns[column]["type"].length == db.metadata.tables[table].c[column].type.length
        assert columns[column]["type"].length == 16


def test_downgrade_to_base_removes_every_table(empty_app):
    with empty_app.app_context():
        upgrade()
        downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names())
        assert tables <= {"alembic_version"}


def insert(*statements: str) -> None:
    """Rows written in SQL, as an older schema had them (the models describe the newest)."""
    for statement in statements:
        db.session.execute(text(statement))


def test_upgrading_a_database_with_items_keeps_them_and_fills_the_new_columns(empty_app):
    with empty_app.app_context():
        upgrade(revision="0006_commit_numbers")
        insert(
            "INSERT INTO categories (id, name, slug, position, description, version) "
            "VALUES (1, 'Shelter', 'shelter', 0, '', 1)",
            "INSERT INTO needs (id, category_id, name, details, quantity, unit, urgency, "
            "is_visible, position, created_at, updated_at, version) VALUES (1, 1, 'Tents', '', "
            "10, '', 'urgent', true, 0, '2026-11-01 09:00:00', '2026-11-20 09:00:00', 1)",
        )
        db.session.commit()

        upgrade()

        row = db.session.execute(text("SELECT checked_at, received FROM needs")).one()
        assert str(row.checked_at).startswith("2026-11-20 09:00:00") and row.received == 0
        assert db.session.get(Settings, 1).check_after_days == 7


def test_upgrading_forgets_what_was_typed_in_failed_logins(empty_app):
    with empty_app.app_context():
        upgrade(revision="0007_checked_and_received")
        insert(
            "INSERT INTO users (id, email, display_name, password_hash, role, is_active, "
            "session_token, created_at, version) VALUES (1, 'maya@example.org', 'Maya', 'x', "
            "'organiser', true, 't', '2026-11-01 09:00:00', 1)"
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


def test_upgrading_moves_every_route_colour_onto_the_palette(empty_app):
    old_demo = {"afghanistan-to-iran": "#7b3294", "central-mediterranean": "#2c7fb8"}
    others = {"red": "#ff0000", "short": "#123", "upper": "#1F78B4", "no-colour": "red"}
    with empty_app.app_context():
        upgrade(revision="0010_translations")
        for id_, (slug, colour) in enumerate({**old_demo, **others}.items(), start=1):
            db.session.execute(
                text(
                    "INSERT INTO routes (id, slug, name, summary, body, colour, position, "
                    "is_published, version, translations) "
                    "VALUES (:id, :slug, :slug, '', '', :colour, 0, true, 1, '{}')"
                ),
                {"id": id_, "slug": slug, "colour": colour},
            )
        db.session.commit()

        upgrade()

        colours = dict(db.session.execute(text("SELECT slug, colour FROM routes")).all())
        assert colours == {
            # As the demo gives these routes now: the two near-identical blues far apart.
            "afghanistan-to-iran": "#cc79a7",
            "central-mediterranean": "#56b4e9",
            # Any other colour: the palette's nearest; one that is no colour: the default.
            "red": "#d55e00",
            "short": "#000000",
            "upper": "#0072b2",
            "no-colour": "#0072b2",
        }
        assert set(colours.values()) <= set(PALETTE)


def test_every_revision_upgrades_and_downgrades_a_database_holding_the_demo_content(empty_app):
    """For each revision, newest first: down to the one before it and up again, with all the
    demo content that the one before can hold; then up to the head, which matches the models."""
    with empty_app.app_context():
        upgrade()
        load_demo()
        organiser = create_user(empty_app)
        with db.engine.begin() as connection:
            # Rows that refer to others keep referring: SQLite's batch mode rebuilds tables.
            connection.execute(text("UPDATE needs SET updated_by_id = :id"), {"id": organiser})
        full = row_counts()
        assert full["needs"] > 0 and full["routes"] > 0 and full["posts"] > 0

        history = revisions()
        for previous, current in reversed(list(zip(history, history[1:], strict=False))):
            downgrade(revision=previous)
            before = row_counts()
            assert before == {name: full[name] for name in before}, f"down to {previous}"
            upgrade(revision=current)
            # The tables this revision creates are empty; every other keeps its rows.
            after = row_counts()
            assert after == {name: before.get(name, 0) for name in after}, f"up to {current}"
            if current == history[-1]:
                assert differences_from_the_models() == []
            downgrade(revision=previous)
            assert row_counts() == before, f"down to {previous} again"

        kept = row_counts()
        upgrade()
        assert differences_from_the_models() == []
        counts = row_counts()
        assert {name: counts[name] for name in kept} == kept
        # The models read every row of the oldest tables, new columns included.
        needs = db.session.scalars(select(Need)).all()
        assert len(needs) == full["needs"]
        assert {need.updated_by_id for need in needs} == {organiser}
        assert len(db.session.scalars(select(Category)).all()) == full["categories"]


@pytest.fixture
def added_columns(monkeypatch):
    """Every column that op.add_column and batch_op.add_column add, as (table, column)."""
    added = []
    add_column, batch_add_column = Operations.add_column, BatchOperations.add_column

    def record(self, table_name, column, **options):
        added.append((table_name, column))
        return add_column(self, table_name, column, **options)

    def batch_record(self, column, **options):
        added.append((self.impl.table_name, column))
        return batch_add_column(self, column, **options)

    monkeypatch.setattr(Operations, "add_column", record)
    monkeypatch.setattr(BatchOperations, "add_column", batch_record)
    return added


def test_no_revision_adds_a_not_null_column_without_a_server_default(tmp_path, added_columns):
    # A column added nullable, filled, then made NOT NULL (0007's needs.checked_at) is safe too;
    # the demo content test above shows it is filled.
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'rule.sqlite'}"})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    assert len(added_columns) > 10
    unsafe = [
        f"{table_name}.{column.name}"
        for table_name, column in added_columns
        if not column.nullable and column.server_default is None
    ]
    assert unsafe == [], (
        f"These migrations add NOT NULL columns with no server default, so they fail on a table "
        f"with rows: {unsafe}. Give each a server_default= (docs/architecture.md, The rules)."
    )


def migrations_copy(tmp_path) -> Path:
    directory = tmp_path / "migrations"
    shutil.copytree(ROOT / "migrations", directory, ignore=shutil.ignore_patterns("__pycache__"))
    return directory


def next_number() -> int:
    return max(int(revision_id.split("_")[0]) for revision_id in revisions()) + 1


def test_a_new_revision_is_numbered_and_named_from_its_message(tmp_path):
    directory = migrations_copy(tmp_path)
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'numbered.sqlite'}"})
    with app.app_context():
        number = next_number()
        revision(directory=str(directory), message="Add a thing: the thing's colour!")
        revision(directory=str(directory), message="x", rev_id="chosen_id")
        with pytest.raises(SystemExit):
            revision(directory=str(directory))  # no message
        db.engine.dispose()

    new = {path.name for path in (directory / "versions").glob("*.py")} - {
        path.name for path in (ROOT / "migrations" / "versions").glob("*.py")
    }
    name = f"{number:04d}_add_a_thing_the_thing_s_colour"
    assert new == {f"{name}.py", "chosen_id.py"}
    assert f'revision = "{name}"' in (directory / "versions" / f"{name}.py").read_text()


def migrate_with_extra_column(directory: Path, database: dict, message: str, *server_default):
    return subprocess.run(
        [sys.executable, "-W", "error", "-m", "tests.migrate_extra_column"]
        + [str(directory), message, *server_default],
        cwd=ROOT,
        env={**os.environ, "NEEDS_NOW_TEST_DATABASE": json.dumps(database)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def assert_in_the_project_style(script: Path) -> None:
    """Written as `make lint` wants it (alembic.ini's post-write hooks run ruff)."""
    for check in (["check", "--no-fix"], ["format", "--check"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *check, str(script)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def assert_refused(result, directory: Path, versions: set[str], *phrases: str) -> None:
    """`flask db migrate` exited 1 with one error line saying all of `phrases`, and wrote
    no revision."""
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1
    assert all(phrase in errors[0] for phrase in phrases), errors[0]
    assert {path.name for path in (directory / "versions").glob("*.py")} == versions


@pytest.fixture
def demo_and_migrations(empty_app, tmp_path) -> tuple[Path, set[str]]:
    """A database at head holding the demo content, and a copy of migrations/ to add to."""
    directory = migrations_copy(tmp_path)
    with empty_app.app_context():
        upgrade()
        load_demo()
    return directory, {path.name for path in (directory / "versions").glob("*.py")}


def test_migrate_refuses_to_make_a_column_with_empty_rows_not_null(
    empty_database, demo_and_migrations
):
    directory, versions = demo_and_migrations

    refused = migrate_with_extra_column(
        directory, empty_database, "Open from required", "--require", "sites.open_from"
    )

    assert_refused(
        refused,
        directory,
        versions,
        "sites.open_from becomes NOT NULL",
        "filling the column before making it NOT NULL",
    )


def test_migrate_refuses_a_not_null_column_without_a_server_default(
    empty_database, empty_app, demo_and_migrations
):
    directory, versions = demo_and_migrations
    with empty_app.app_context():
        number = next_number()
        categories = row_counts()["categories"]

    refused = migrate_with_extra_column(directory, empty_database, "Add a nickname")
    assert_refused(
        refused,
        directory,
        versions,
        "categories.nickname is NOT NULL with no server default",
        "add server_default= to the model (docs/architecture.md",
    )

    written = migrate_with_extra_column(directory, empty_database, "Add a nickname", "")
    assert written.returncode == 0, written.stderr
    new = {path.name for path in (directory / "versions").glob("*.py")} - versions
    assert new == {f"{number:04d}_add_a_nickname.py"}
    assert_in_the_project_style(directory / "versions" / new.pop())

    with empty_app.app_context():
        upgrade(directory=str(directory))
        with db.engine.connect() as connection:
            nicknames = connection.execute(text("SELECT nickname FROM categories")).scalars()
            assert list(nicknames) == [""] * categories
            current = MigrationContext.configure(connection).get_current_revision()
        assert current == f"{number:04d}_add_a_nickname"


HALF_WAY = '''"""Add a rule that existing rows break, after a change that succeeds.

Revision ID: {revision}
Revises: {down_revision}
"""

import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{down_revision}"


def upgrade():
    with op.batch_alter_table("sites") as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(40), server_default="", nullable=False))
    with op.batch_alter_table("sites") as batch_op:
        batch_op.alter_column("open_from", existing_type=sa.Date(), nullable=False)


def downgrade():
    pass
'''


def test_an_upgrade_that_fails_half_way_leaves_the_database_as_it_was(empty_app, tmp_path):
    directory = migrations_copy(tmp_path)
    with empty_app.app_context():
        head = revisions()[-1]
        revision_id = f"{next_number():04d}_half_way"
        (directory / "versions" / f"{revision_id}.py").write_text(
            HALF_WAY.format(revision=revision_id, down_revision=head)
        )
        upgrade()
        load_demo()
        before = row_counts()
        columns = {column["name"] for column in inspect(db.engine).get_columns("sites")}

        for _attempt in range(2):  # and the next attempt fails for the same reason
            with pytest.raises(IntegrityError):
                upgrade(directory=str(directory))

            assert row_counts() == before
            inspector = inspect(db.engine)
            assert {column["name"] for column in inspector.get_columns("sites")} == columns
            assert not [name for name in inspector.get_table_names() if "alembic_tmp" in name]
            with db.engine.connect() as connection:
                assert MigrationContext.configure(connection).get_current_revision() == head
