"""Backups: everything (content, users, history, uploaded images) in one JSON file.

    flask --app wsgi backup export FILE
    flask --app wsgi backup import FILE     # into an empty database

The file is written readable by its owner only: it holds password hashes. An
export taken from SQLite imports into PostgreSQL and the other way round; a
round trip (export, import into a fresh database, export) gives the same file.
"""

import base64
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import func, insert, inspect, select, text

from app.extensions import db
from app.models import Settings
from app.models.history import json_value, python_value
from app.models.settings import SETTINGS_ID

FORMAT = "needs-now-backup"
FORMAT_VERSION = 1


class BackupError(ValueError):
    """The backup cannot be written or read; the message says why, for a person."""


def schema_revision() -> str | None:
    if not inspect(db.engine).has_table("alembic_version"):
        return None
    return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()


def export_data() -> dict:
    tables = {}
    for table in db.metadata.sorted_tables:
        primary_key = list(table.primary_key.columns)
        rows = db.session.execute(select(table).order_by(*primary_key)).mappings()
        tables[table.name] = [
            {column: json_value(value) for column, value in row.items()} for row in rows
        ]
    media = Path(current_app.config["MEDIA_DIR"])
    images = {
        row["filename"]: base64.b64encode((media / row["filename"]).read_bytes()).decode()
        for row in tables.get("images", [])
        if (media / row["filename"]).exists()
    }
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": schema_revision(),
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tables": tables,
        "media": images,
    }


def write_backup(path: Path) -> dict:
    """Write the backup beside PATH and move it into place: private, and never half-written."""
    db.session.rollback()
    if db.engine.dialect.name == "postgresql":
        # One snapshot for every table, even while organisers keep editing.
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    try:
        data = export_data()
    finally:
        db.session.rollback()
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1, sort_keys=True)
    os.replace(temporary, path)
    return {name: len(rows) for name, rows in data["tables"].items()}


def read_backup(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{path} is not a readable backup file ({error}).") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Needs Now backup.")
    if data.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{path} is a backup in format {data.get('format_version')}, "
                          f"this version reads format {FORMAT_VERSION}.")  # fmt: skip
    revision = schema_revision()
    if data.get("schema_revision") and revision and data["schema_revision"] != revision:
        raise BackupError(
            f"The backup was taken at database revision {data['schema_revision']}, this "
            f"database is at {revision}: run `flask db upgrade` on a database at that "
            "revision first, or use the same version of Needs Now."
        )
    return data


def database_is_empty() -> bool:
    for table in db.metadata.sorted_tables:
        count = db.session.scalar(select(func.count()).select_from(table))
        if table.name == Settings.__tablename__:
            if count > 1:
                return False
            continue
        if count:
            return False
    return True


def import_data(data: dict) -> dict:
    """Load a backup into an empty database, all in one transaction."""
    if not database_is_empty():
        raise BackupError(
            "The database already has content. Import only into an empty "
            "database (a fresh `flask db upgrade`); nothing was changed."
        )
    tables = data["tables"]
    counts = {}
    try:
        settings = db.metadata.tables[Settings.__tablename__]
        if tables.get(settings.name):  # the migration's default row gives way to the backup's
            db.session.execute(settings.delete().where(settings.c.id == SETTINGS_ID))
        for table in db.metadata.sorted_tables:
            rows = [restored_row(table, row) for row in tables.get(table.name, [])]
            if rows:
                db.session.execute(insert(table), rows)
            counts[table.name] = len(rows)
        reset_sequences()
        write_media(data.get("media", {}))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return counts


def restored_row(table, row: dict) -> dict:
    """A row from the file, with dates and times back in Python types."""
    return {
        column.name: python_value(column, row[column.name])
        for column in table.columns
        if column.name in row
    }


def reset_sequences() -> None:
    """PostgreSQL hands out ids from sequences: move them past the imported rows."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.columns:
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )  # fmt: skip
            )


def write_media(files: dict[str, str]) -> None:
    media = Path(current_app.config["MEDIA_DIR"])
    media.mkdir(parents=True, exist_ok=True)
    for filename, encoded in files.items():
        if "/" in filename or filename.startswith("."):
            raise BackupError(f"The backup names an unsafe file: {filename!r}.")
        (media / filename).write_bytes(base64.b64decode(encoded))
