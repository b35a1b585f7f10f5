"""Backups: one JSON file with everything; a round trip changes nothing, across databases too."""

import json
import os
from datetime import timedelta
from io import BytesIO

import pytest
from flask_migrate import upgrade
from PIL import Image as PILImage

from app.extensions import db
from app.models import Change, Need, Role
from app.models.types import utcnow
from tests import builders
from tests.conftest import AuthActions, create_user, csrf_token_from, make_app


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
    picture = BytesIO()
    PILImage.new("RGB", (40, 30), (10, 120, 60)).save(picture, format="JPEG")
    token = csrf_token_from(client.get("/admin/images/new/").get_data(as_text=True))
    client.post("/admin/images/new/", content_type="multipart/form-data",
                data={"upload": (BytesIO(picture.getvalue()), "p.jpg"), "alt_text": "A tent",
                      "csrf_token": token})  # fmt: skip
    builders.post(app, "scheduled", "Tomorrow", published_at=utcnow() + timedelta(days=1))


def export(app, path):
    result = app.test_cli_runner().invoke(args=["backup", "export", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(path.read_text())
    data.pop("exported_at")
    return data


def import_(app, path):
    return app.test_cli_runner().invoke(args=["backup", "import", str(path)])


@pytest.mark.parametrize(("source", "target"), [
    ("sqlite", "sqlite"), ("postgresql", "postgresql"), ("sqlite", "postgresql"),
    ("postgresql", "sqlite"),
])  # fmt: skip
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
        ('{"format": "needs-now-backup", "format_version": 1, "schema_revision": "9999_future",'
         ' "tables": {}}', "database revision 9999_future"),
    ],
)  # fmt: skip
def test_import_refuses_files_it_cannot_trust_with_a_clear_message(tmp_path, request, content,
                                                                   message):  # fmt: skip
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
        from app.backup import database_is_empty

        assert database_is_empty()
