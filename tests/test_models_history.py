"""Every model joins the history and the version check, including models added later."""

import pytest

from app.extensions import db
from app.models.history import tracked_class
from tests.apps import make_app


def tracked_models():
    return [m.class_ for m in db.Model.registry.mappers if tracked_class(m.class_)]


@pytest.mark.parametrize("model", tracked_models(), ids=lambda model: model.__name__)
def test_every_model_has_a_checked_version(model):
    assert model.__mapper__.version_id_col is not None, (
        f"{model.__name__} must mix in app.models.history.Versioned"
    )


def test_sqlite_waits_for_locks_and_lets_readers_and_a_writer_work_at_once(tmp_path):
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'wal.sqlite'}"})
    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            timeout = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
            foreign_keys = cursor.execute("PRAGMA foreign_keys").fetchone()[0]
        finally:
            connection.close()
        db.engine.dispose()

    assert (journal, timeout, foreign_keys) == ("wal", 5000, 1)
