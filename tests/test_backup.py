"""Backups: one JSON file with everything; a round trip changes nothing, across databases too."""

import base64
import copy
import errno
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, insert, select
from sqlalchemy.exc import OperationalError

from app.backup import EPHEMERAL_TABLES, database_is_empty
from app.extensions import db
from app.models import Change, Need, Role, User
from app.models.types import utcnow
from tests import builders
from tests.accounts import AuthActions, create_user
from tests.apps import make_app


def fresh_app(kind, tmp_path, request):
    """An app on a brand-new database built by the migrations, as in production."""
    media = str(tmp_path / f"media-{kind}-{os.urandom(3).hex()}")
    if kind == "sqlite":
        app = make_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / (os.urandom(4).hex() + '.db')}"},
            MEDIA_DIR=media,
        )
    else:
        server = request.getfixturevalue("postgres_server")
        schema = server.fresh_schema()
        app = make_app(server.config(schema), MEDIA_DIR=media)
        request.addfinalizer(lambda: server.drop_schema(schema))
    with app.app_context():
        upgrade()
    request.addfinalizer(lambda: _dispose(app))
    return app


def _dispose(app):
    with app.app_context():
        db.engine.dispose()


def fill_with_content(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    create_user(app, Role.admin, email="boss@example.org", display_name="Boss")
    client = app.test_client()
    AuthActions(app, client).login("boss@example.org")
    builders.uploaded_picture(client)
    builders.post(app, "scheduled", "Tomorrow", published_at=utcnow() + timedelta(days=1))


def export(app, path):
    result = app.test_cli_runner().invoke(args=["backup", "export", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(path.read_text())
    data.pop("exported_at")
    return data


def import_(app, path):
    return app.test_cli_runner().invoke(args=["backup", "import", str(path)])


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("sqlite", "sqlite"),
        ("postgresql", "postgresql"),
        ("sqlite", "postgresql"),
        ("postgresql", "sqlite"),
    ],
)
def test_a_round_trip_gives_back_exactly_what_was_exported(tmp_path, request, source, target):
    original = fresh_app(source, tmp_path, request)
    fill_with_content(original)
    first = export(original, tmp_path / "first.json")

    restored = fresh_app(target, tmp_path, request)
    result = import_(restored, tmp_path / "first.json")
    second = export(restored, tmp_path / "second.json")

    assert result.exit_code == 0, result.output
    assert second == first
    assert first["tables"]["users"] and first["tables"]["changes"] and first["media"]
    assert all(row["translations"]["fr"] for row in first["tables"]["needs"])  # the demo's French


def test_an_imported_site_works_and_keeps_counting_from_the_imported_ids(tmp_path, request):
    original = fresh_app("sqlite", tmp_path, request)
    fill_with_content(original)
    export(original, tmp_path / "backup.json")
    kind = "postgresql"
    restored = fresh_app(kind, tmp_path, request)
    import_(restored, tmp_path / "backup.json")
    client = restored.test_client()

    assert "Sleeping bags" in client.get("/needs").get_data(as_text=True)
    assert client.get("/news/scheduled").status_code == 404  # still scheduled, not published
    with restored.app_context():
        bags = db.session.scalar(select(Need).where(Need.name == "Sleeping bags"))
        assert bags.translation("fr", "name") == "Sacs de couchage"
        assert not bags.is_outdated("fr", "name")
    image = json.loads((tmp_path / "backup.json").read_text())["tables"]["images"][0]
    with client.get(f"/media/{image['filename']}") as response:
        assert response.status_code == 200
    AuthActions(restored, client).login("boss@example.org")  # the password still works
    assert client.get("/admin/").status_code == 200
    with restored.app_context():
        highest = max(need.id for need in db.session.scalars(db.select(Need)))
        category = db.session.scalars(db.select(Need)).first().category_id
        db.session.add(Need(category_id=category, name="New after import"))
        db.session.commit()
        newest = db.session.scalar(db.select(Need).where(Need.name == "New after import"))
        assert newest.id > highest
        assert db.session.scalar(db.select(db.func.count()).select_from(Change)) > 0


def test_the_backup_file_is_private(tmp_path, request):
    app = fresh_app("sqlite", tmp_path, request)

    export(app, tmp_path / "backup.json")

    assert (tmp_path / "backup.json").stat().st_mode & 0o077 == 0


def test_an_existing_backup_file_is_replaced_by_a_private_one(tmp_path, request):
    app = fresh_app("sqlite", tmp_path, request)
    (tmp_path / "backup.json").write_text("old")
    (tmp_path / "backup.json").chmod(0o644)

    export(app, tmp_path / "backup.json")

    assert (tmp_path / "backup.json").stat().st_mode & 0o077 == 0


def test_import_refuses_a_database_that_has_content(tmp_path, request):
    app = fresh_app("sqlite", tmp_path, request)
    fill_with_content(app)
    export(app, tmp_path / "backup.json")

    result = import_(app, tmp_path / "backup.json")

    assert result.exit_code == 1
    assert "already has content" in result.output and "nothing was changed" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json at all", "is not a readable backup file"),
        ('{"format": "something-else"}', "is not a Needs Now backup"),
        ('{"format": "needs-now-backup", "format_version": 99}', "format 99"),
        (
            '{"format": "needs-now-backup", "format_version": 1, "schema_revision": "9999_future",'
            ' "tables": {}}',
            "database revision 9999_future",
        ),
    ],
)
def test_import_refuses_files_it_cannot_trust_with_a_clear_message(
    tmp_path, request, content, message
):
    app = fresh_app("sqlite", tmp_path, request)
    (tmp_path / "bad.json").write_text(content)

    result = import_(app, tmp_path / "bad.json")

    assert result.exit_code == 1
    assert message in result.output


def test_a_failed_import_leaves_the_database_empty(tmp_path, request):
    app = fresh_app("sqlite", tmp_path, request)
    fill_with_content(app)
    data = export(app, tmp_path / "backup.json")
    data["tables"]["needs"][-1]["category_id"] = 999999  # points at nothing
    (tmp_path / "broken.json").write_text(json.dumps(data))
    empty = fresh_app("sqlite", tmp_path, request)

    result = import_(empty, tmp_path / "broken.json")

    assert result.exit_code != 0
    with empty.app_context():
        assert database_is_empty()


# ---- Every failure is one line on stderr, and leaves nothing behind ----


def refused(result) -> str:
    """The command stopped as a person should see it: exit 1, one line on stderr, no traceback."""
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def leftovers(folder, name="backup.json"):
    """Files in FOLDER that a write of NAME left beside it (temporary copies)."""
    return sorted(path.name for path in folder.iterdir() if name in path.name and path.name != name)


def app_with_a_password(tmp_path, request):
    app = fresh_app("sqlite", tmp_path, request)
    create_user(app, Role.admin, email="boss@example.org")
    return app


def test_export_onto_a_full_disk_says_so_and_leaves_no_partial_file(tmp_path, request, monkeypatch):
    app = app_with_a_password(tmp_path, request)
    (tmp_path / "backup.json").write_text("the last good backup")
    real_write = os.write
    written = []

    def full_disk(descriptor, data):
        if written:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written.append(real_write(descriptor, data[:512]))  # the disk fills up part-way
        return written[0]

    monkeypatch.setattr(os, "write", full_disk)
    result = app.test_cli_runner().invoke(args=["backup", "export", str(tmp_path / "backup.json")])

    assert "No space left on device" in refused(result)
    assert written, "the export never wrote"
    assert (tmp_path / "backup.json").read_text() == "the last good backup"
    assert leftovers(tmp_path) == []


def test_export_that_fails_to_reach_the_disk_keeps_the_last_backup(tmp_path, request, monkeypatch):
    app = app_with_a_password(tmp_path, request)
    (tmp_path / "backup.json").write_text("the last good backup")

    def failing_sync(descriptor):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", failing_sync)
    result = app.test_cli_runner().invoke(args=["backup", "export", str(tmp_path / "backup.json")])

    assert "Input/output error" in refused(result)
    assert (tmp_path / "backup.json").read_text() == "the last good backup"
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs POSIX file size limits")
def test_export_that_really_runs_out_of_room_says_so_in_one_line(tmp_path, request):
    app = app_with_a_password(tmp_path, request)
    category = builders.category(app)
    builders.need(app, category, details="warm and dry " * 20_000)  # a file far over the limit
    (tmp_path / "backup.json").write_text("the last good backup")

    def room_for_64_kib():
        # Writing past the limit fails with EFBIG, as a full disk fails with ENOSPC.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, hard))

    environment = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "MEDIA_DIR": app.config["MEDIA_DIR"],
        "SECRET_KEY": "test-secret",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    result = subprocess.run(
        [*flask, "backup", "export", str(tmp_path / "backup.json")],
        cwd=Path(__file__).parent.parent,
        env=environment,
        preexec_fn=room_for_64_kib,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "File too large" in result.stderr, result.stderr
    assert (tmp_path / "backup.json").read_text() == "the last good backup"
    assert leftovers(tmp_path) == []


def test_export_to_standard_output_is_refused(tmp_path, request, monkeypatch):
    app = app_with_a_password(tmp_path, request)
    monkeypatch.chdir(tmp_path)

    result = app.test_cli_runner().invoke(args=["backup", "export", "-"])

    assert "Give the backup a file name" in refused(result)
    assert not (tmp_path / "-").exists() and "$argon2" not in result.output


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_export_to_a_device_is_refused_and_the_device_left_alone(tmp_path, request):
    app = app_with_a_password(tmp_path, request)
    before = set(os.listdir("/dev"))

    result = app.test_cli_runner().invoke(args=["backup", "export", "/dev/full"])

    assert "/dev/full is not a regular file" in refused(result)
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)
    assert set(os.listdir("/dev")) == before


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("pipe", "is not a regular file"),
        ("directory", "is a directory"),
        ("link to a file", "is a symbolic link"),
        ("link to nowhere", "is a symbolic link"),
    ],
)
def test_export_refuses_a_target_that_is_not_a_regular_file(tmp_path, request, kind, message):
    app = app_with_a_password(tmp_path, request)
    target = tmp_path / "backup.json"
    elsewhere = tmp_path / "elsewhere.txt"
    if kind == "pipe":
        os.mkfifo(target)
    elif kind == "directory":
        target.mkdir()
    else:
        if kind == "link to a file":
            elsewhere.write_text("not a backup")
        target.symlink_to(elsewhere)

    result = app.test_cli_runner().invoke(args=["backup", "export", str(target)])

    assert message in refused(result)
    if kind == "pipe":
        assert stat.S_ISFIFO(target.lstat().st_mode)
    elif kind == "directory":
        assert target.is_dir()
    else:
        assert target.is_symlink()
        assert elsewhere.exists() == (kind == "link to a file")
        assert kind == "link to nowhere" or elsewhere.read_text() == "not a backup"
    assert leftovers(tmp_path) == []


def test_export_from_a_database_without_tables_says_so_in_one_line(tmp_path):
    app = make_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'never-migrated.db'}"},
        MEDIA_DIR=str(tmp_path / "media"),
    )

    result = app.test_cli_runner().invoke(args=["backup", "export", str(tmp_path / "backup.json")])

    assert "database" in refused(result)
    assert leftovers(tmp_path) == [] and not (tmp_path / "backup.json").exists()


@pytest.fixture(scope="module")
def backup_data(tmp_path_factory, request):
    """One full export (demo content, accounts, history, an image), made once for these tests."""
    folder = tmp_path_factory.mktemp("source")
    app = fresh_app("sqlite", folder, request)
    fill_with_content(app)
    create_user(app, Role.organiser, email="second@example.org")
    return export(app, folder / "backup.json")


def nothing_was_imported(app) -> bool:
    media = Path(app.config["MEDIA_DIR"])
    with app.app_context():
        return database_is_empty() and (not media.exists() or not any(media.iterdir()))


def import_broken(app, tmp_path, data):
    (tmp_path / "broken.json").write_text(json.dumps(data))
    return import_(app, tmp_path / "broken.json")


def with_media(data, name, content):
    data["media"][name] = content  # after the backup's own image, which is valid


def a_copy_of_row(data, table, **changes):
    data["tables"][table].append({**data["tables"][table][0], **changes})


def wrong_value(table, column, value, problem, id, row=0):
    """A case where one value in a table's row is wrong: the refusal names the row (counted
    from 1), the table, the column and the problem."""
    return pytest.param(
        lambda d: d["tables"][table][row].update({column: value}),
        [f"row {row + 1} of “{table}”", f"“{column}”", problem],
        id=id,
    )


VALID_PICTURE = base64.b64encode(b"\xff\xd8\xff a picture").decode()


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        wrong_value(
            "needs",
            "urgency",
            "very_urgent",
            "urgent, needed, plenty, do_not_send",
            "unknown urgency",
        ),
        wrong_value("users", "password_hash", None, "empty", "null password hash", row=1),
        pytest.param(
            lambda d: d["tables"]["needs"][2].pop("name"),
            ["row 3 of “needs”", "“name”", "missing"],
            id="missing column",
        ),
        pytest.param(
            lambda d: d["tables"]["needs"][0].update(colour="red"),
            ["row 1 of “needs”", "“colour”"],
            id="unknown column",
        ),
        wrong_value("needs", "quantity", "12", "whole number", "string for integer"),
        wrong_value("needs", "position", True, "whole number", "boolean for integer"),
        wrong_value("needs", "is_visible", "yes", "true or false", "string for boolean"),
        wrong_value("places", "latitude", "north", "number", "string for float"),
        wrong_value("categories", "name", "x" * 81, "longer than 80", "string too long"),
        wrong_value("needs", "created_at", "2024-05-01T10:00:00", "time zone", "time without zone"),
        wrong_value("needs", "created_at", "yesterday", "date and time", "not a time"),
        wrong_value(
            "needs",
            "created_at",
            "9999-12-31T23:59:59+00:00",
            "between 1900 and 2999",
            "time past what can be shown",
        ),
        wrong_value("needs", "needed_until", "2024-13-45", "date", "not a date"),
        pytest.param(lambda d: d["tables"].update(gadgets=[]), ["“gadgets”"], id="unknown table"),
        pytest.param(
            lambda d: d["tables"].update(needs={}), ["“needs”", "list"], id="table not a list"
        ),
        pytest.param(
            lambda d: d["tables"]["needs"].append([1, 2]),
            ["“needs”", "not a record"],
            id="row not a record",
        ),
        pytest.param(lambda d: d.update(tables=[]), ["tables"], id="tables not a record"),
        pytest.param(
            lambda d: d["tables"]["needs"][-1].update(category_id=999999),
            ["“needs”", "“category_id”", "“categories”"],
            id="foreign key to nowhere",
        ),
        pytest.param(
            lambda d: a_copy_of_row(d, "needs"),
            ["“needs”", "same “id” as row 1"],
            id="duplicate primary key",
        ),
        pytest.param(
            lambda d: a_copy_of_row(d, "users", id=999),
            ["“users”", "same “email” as row 1"],
            id="duplicate unique value",
        ),
        pytest.param(
            lambda d: with_media(d, "zz.jpg", "not base64 at all!"),
            ["“zz.jpg”", "base64"],
            id="invalid base64",
        ),
        pytest.param(
            lambda d: with_media(d, "zz.jpg", 12), ["“zz.jpg”", "base64"], id="media not text"
        ),
        pytest.param(
            lambda d: with_media(d, "../escaped.jpg", VALID_PICTURE),
            ["“../escaped.jpg”", "unsafe name"],
            id="media name climbing out",
        ),
        pytest.param(lambda d: with_media(d, "..", VALID_PICTURE), ["unsafe name"], id="media .."),
        pytest.param(
            lambda d: with_media(d, "a\\b.jpg", VALID_PICTURE),
            ["unsafe name"],
            id="media backslash",
        ),
        pytest.param(
            lambda d: with_media(d, ".hidden", VALID_PICTURE), ["unsafe name"], id="media hidden"
        ),
        pytest.param(
            lambda d: with_media(d, "a\x00.jpg", VALID_PICTURE), ["unsafe name"], id="media NUL"
        ),
        pytest.param(lambda d: d.update(media=[]), ["media"], id="media not a record"),
        wrong_value(
            "images", "filename", "../../secret.jpg", "unsafe name", "image row climbing out"
        ),
        wrong_value(
            "needs", "translations", ["fr"], "must be an object", "translations not an object"
        ),
        wrong_value(
            "needs",
            "translations",
            {"fr": {"colour": {"text": "Rouge", "source": "0"}}},
            "'colour' is not a translated field",
            "translation of a field that is not translated",
        ),
        wrong_value(
            "needs",
            "translations",
            {"fr": {"name": "Sacs de couchage"}},
            "fr.name: must be a text and its source",
            "translation without its source",
        ),
        wrong_value(
            "needs",
            "translations",
            {"f/r": {"name": {"text": "Sacs", "source": "0"}}},
            "language code",
            "translation in a language that is not one",
        ),
        wrong_value(
            "categories",
            "translations",
            {"fr": {"name": {"text": "x" * 81, "source": "0"}}},
            "fr.name: is longer than 80 characters",
            "translation too long for its column",
        ),
    ],
)
def test_import_checks_the_whole_file_and_writes_nothing_when_any_of_it_is_wrong(
    tmp_path, request, backup_data, breakage, expected
):
    data = copy.deepcopy(backup_data)
    breakage(data)
    app = fresh_app("sqlite", tmp_path, request)

    line = refused(import_broken(app, tmp_path, data))

    for words in expected:
        assert words in line
    assert "; " not in line  # one thing broken, one problem named: none echoed by related rows
    assert "nothing was imported" in line.lower()
    for user in backup_data["tables"]["users"]:
        assert user["password_hash"] not in line and user["email"] not in line
    assert nothing_was_imported(app)
    assert not (tmp_path / "escaped.jpg").exists()


def test_import_stores_text_clean_as_every_other_way_in_does(tmp_path, request, backup_data):
    data = copy.deepcopy(backup_data)
    data["tables"]["needs"][0].update(name="Sleeping\x0c bags", details="a\x00b\x1b\ud800")
    app = fresh_app("sqlite", tmp_path, request)
    path = tmp_path / "pasted.json"
    path.write_text(json.dumps(data))

    result = app.test_cli_runner().invoke(args=["backup", "import", str(path)])

    assert result.exit_code == 0, result.output
    with app.app_context():
        need = db.session.get(Need, data["tables"]["needs"][0]["id"])
        assert (need.name, need.details) == ("Sleeping bags", "ab")


def test_import_stores_translations_clean_too(tmp_path, request, backup_data):
    data = copy.deepcopy(backup_data)
    pasted = {"text": "Sacs\x0c de couchage\x1b", "source": "0"}
    data["tables"]["needs"][0]["translations"] = {"fr": {"name": pasted}}
    app = fresh_app("sqlite", tmp_path, request)

    result = import_broken(app, tmp_path, data)

    assert result.exit_code == 0, result.output
    with app.app_context():
        need = db.session.get(Need, data["tables"]["needs"][0]["id"])
        assert need.translation("fr", "name") == "Sacs de couchage"


def test_import_names_the_first_five_problems_and_counts_the_rest(tmp_path, request, backup_data):
    data = copy.deepcopy(backup_data)
    for need in data["tables"]["needs"][:8]:
        need["urgency"] = "whenever"
    app = fresh_app("sqlite", tmp_path, request)

    line = refused(import_broken(app, tmp_path, data))

    assert line.count("“urgency”") == 5
    assert "row 5 of “needs”" in line and "row 6 of “needs”" not in line
    assert "3 more" in line
    assert nothing_was_imported(app)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_row_the_database_refuses_ends_in_one_line_and_no_media(
    tmp_path, request, backup_data, kind
):
    data = copy.deepcopy(backup_data)
    data["tables"]["needs"][0]["quantity"] = -1  # the right type, but the database's rule says no
    app = fresh_app(kind, tmp_path, request)

    line = refused(import_broken(app, tmp_path, data))

    assert "“needs”" in line and "ck_needs_quantity_positive" in line
    assert "nothing was imported" in line.lower()
    for user in backup_data["tables"]["users"]:
        assert user["password_hash"] not in line
    assert nothing_was_imported(app)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_commit_that_fails_removes_the_media_already_written(
    tmp_path, request, backup_data, monkeypatch, kind
):
    app = fresh_app(kind, tmp_path, request)
    (tmp_path / "backup.json").write_text(json.dumps(backup_data))
    media = Path(app.config["MEDIA_DIR"])
    seen = []

    def lost_connection():
        seen.extend(media.iterdir())  # the images were in place, waiting for the commit
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(db.session, "commit", lost_connection)
    line = refused(import_(app, tmp_path / "backup.json"))

    assert seen and "server closed the connection" in line
    assert "nothing was imported" in line.lower()
    assert nothing_was_imported(app)


def test_import_into_a_database_without_tables_says_so_in_one_line(tmp_path, backup_data):
    (tmp_path / "backup.json").write_text(json.dumps(backup_data))
    app = make_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'never-migrated.db'}"},
        MEDIA_DIR=str(tmp_path / "media"),
    )

    line = refused(import_(app, tmp_path / "backup.json"))

    assert "database" in line
    assert not (tmp_path / "media").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "is not a readable backup file"),
        (
            '{"format": "needs-now-backup", "format_version": ' + "9" * 5000 + "}",
            "is not a readable backup file",
        ),
        (None, "is not a readable backup file"),
    ],
)
def test_import_of_an_unreadable_file_is_one_line(tmp_path, request, content, message):
    app = fresh_app("sqlite", tmp_path, request)
    if content is not None:
        (tmp_path / "backup.json").write_text(content)

    assert message in refused(import_(app, tmp_path / "backup.json"))


# ---- Logins are not content: never backed up, restored or counted ----


@pytest.fixture
def login_tables():
    """The login tables: every model kept out of the history."""
    assert {"login_sessions", "login_failures"} == EPHEMERAL_TABLES
    return [db.metadata.tables[name] for name in sorted(EPHEMERAL_TABLES)]


def fresh_app_with_logins(kind, tmp_path, request, login_tables):
    app = fresh_app(kind, tmp_path, request)
    with app.app_context():
        for table in login_tables:
            table.create(db.engine, checkfirst=True)
    return app


def made_up_row(table, user_id: int) -> dict:
    """A row for a login table, whatever its columns are by now."""
    samples = {int: 1, str: uuid.uuid4().hex[:16], bool: False}
    return {
        column.name: user_id if column.foreign_keys else samples[column.type.python_type]
        for column in table.columns
        if column.foreign_keys or not (column.primary_key or column.nullable or column.default)
    }


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_logins_are_neither_exported_nor_imported(tmp_path, request, login_tables, kind):
    source = fresh_app_with_logins(kind, tmp_path, request, login_tables)
    user_id = create_user(source, Role.admin)
    with source.app_context():
        for table in login_tables:
            db.session.execute(insert(table), [made_up_row(table, user_id)])
        db.session.commit()
    exported = export(source, tmp_path / "backup.json")
    assert not EPHEMERAL_TABLES & set(exported["tables"])
    for table in login_tables:  # as an export made before they were left out would hold them
        exported["tables"][table.name] = [{"id": 50, **made_up_row(table, user_id)}]
    (tmp_path / "with-logins.json").write_text(json.dumps(exported))
    target = fresh_app_with_logins(kind, tmp_path, request, login_tables)

    result = import_(target, tmp_path / "with-logins.json")

    assert result.exit_code == 0, result.output
    with target.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
        for table in login_tables:
            assert db.session.scalar(select(func.count()).select_from(table)) == 0


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_database_holding_only_failed_logins_counts_as_empty(
    tmp_path, request, login_tables, kind
):
    app = fresh_app_with_logins(kind, tmp_path, request, login_tables)
    failures = db.metadata.tables["login_failures"]
    with app.app_context():
        db.session.execute(insert(failures), [made_up_row(failures, 0)])
        db.session.commit()
        assert database_is_empty()
