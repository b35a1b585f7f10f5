"""Backups: everything (content, users, history, uploaded images) in one JSON file.

    flask --app wsgi backup export FILE
    flask --app wsgi backup import FILE     # into an empty database

The file is written readable by its owner only: it holds password hashes. An
export taken from SQLite imports into PostgreSQL and the other way round; a
round trip (export, import into a fresh database, export) gives the same file.

An export replaces FILE in one rename or leaves it as it was. An import checks
the whole file against the tables' own description (types, lengths, choices,
keys) before it writes anything, and names a problem by table, row and column,
never by value. Translations (each translatable record's `translations`) are
checked too: their shape, their fields, and each text's length against its
field's column; their texts are cleaned as any text is. Logins (EPHEMERAL_TABLES)
are not content: they are never exported, imported or counted.
"""

import base64
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import DataError, DBAPIError, SQLAlchemyError
from sqlalchemy.types import TypeDecorator

from app.dates import FIRST_YEAR, LAST_YEAR, is_showable
from app.extensions import db
from app.models import Image, Settings
from app.models.history import json_value, python_value
from app.models.settings import SETTINGS_ID
from app.models.text import clean_text
from app.models.translations import Translated, clean_translations, translations_problem
from app.models.types import UTCDateTime

FORMAT = "needs-now-backup"
FORMAT_VERSION = 1
# Models kept out of the history (open logins, failed-login counters) are kept briefly and
# are never content: never in a backup either.
EPHEMERAL_TABLES = frozenset(
    mapper.class_.__tablename__
    for mapper in db.Model.registry.mappers
    if not getattr(mapper.class_, "in_history", True)
)
# How many of a file's problems an import names; the rest are counted.
PROBLEMS_SHOWN = 5
# Each translatable table's model, for its translations column: which fields it translates.
TRANSLATED_MODELS = {
    mapper.class_.__tablename__: mapper.class_
    for mapper in db.Model.registry.mappers
    if issubclass(mapper.class_, Translated)
}


class BackupError(ValueError):
    """The backup cannot be written or read; the message says why, for a person."""


def backed_up_tables() -> list[Table]:
    """Every table, parents before children, except the logins."""
    return [table for table in db.metadata.sorted_tables if table.name not in EPHEMERAL_TABLES]


def schema_revision() -> str | None:
    if not inspect(db.engine).has_table("alembic_version"):
        return None
    return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()


def database_reason(error: SQLAlchemyError) -> str:
    """What the database objected to, without the values of the rows it was given.

    SQLAlchemy's own message lists the statement's parameters (password hashes
    among them) and PostgreSQL's detail repeats the failing row: neither is shown.
    """
    original = error.orig if isinstance(error, DBAPIError) else None
    if original is None or isinstance(error, DataError):
        return "it could not store a value"
    constraint = getattr(getattr(original, "diag", None), "constraint_name", None)
    if constraint:
        return f"constraint {constraint}"
    return (str(original).strip().splitlines() or [type(original).__name__])[0]


@contextmanager
def database_errors_explained(consequence: str) -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as error:
        db.session.rollback()
        raise BackupError(
            f"The database failed ({database_reason(error)}); {consequence}"
        ) from error


# ---- Export ----


def export_data() -> dict:
    tables = {}
    for table in backed_up_tables():
        primary_key = list(table.primary_key.columns)
        rows = db.session.execute(select(table).order_by(*primary_key)).mappings()
        tables[table.name] = [
            {column: json_value(value) for column, value in row.items()} for row in rows
        ]
    media = Path(current_app.config["MEDIA_DIR"])
    images = {}
    for row in tables.get(Image.__tablename__, []):
        try:
            images[row["filename"]] = base64.b64encode((media / row["filename"]).read_bytes())
        except FileNotFoundError:
            continue
        except OSError as error:
            raise BackupError(
                f"The image {row['filename']} could not be read ({error.strerror}); "
                "nothing was written."
            ) from error
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": schema_revision(),
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tables": tables,
        "media": {name: encoded.decode() for name, encoded in images.items()},
    }


def write_backup(path: Path) -> dict:
    """Write the backup beside PATH and move it into place: private, and never half-written."""
    path = Path(path)
    refuse_unusual_target(path)
    with database_errors_explained("nothing was written."):
        db.session.rollback()
        if db.engine.dialect.name == "postgresql":
            # One snapshot for every table, even while organisers keep editing.
            db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        try:
            data = export_data()
        finally:
            db.session.rollback()
    payload = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    existed = path.exists()
    try:
        write_beside_and_rename(path, payload)
    except OSError as error:
        outcome = "the file that was there is unchanged" if existed else "nothing was written"
        raise BackupError(
            f"Could not write {path}: {error.strerror or error}; {outcome}."
        ) from error
    return {name: len(rows) for name, rows in data["tables"].items()}


def refuse_unusual_target(path: Path) -> None:
    """Replace only a regular file: not a device (/dev/full), a pipe, a directory or a link."""
    if str(path) == "-":
        raise BackupError(
            "Give the backup a file name: it holds password hashes, so it is never written "
            'to the terminal or a pipe ("-"); nothing was written.'
        )
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise BackupError(f"Could not write {path}: {error.strerror}.") from error
    if stat.S_ISLNK(mode):
        what = "is a symbolic link"
    elif stat.S_ISDIR(mode):
        what = "is a directory"
    elif not stat.S_ISREG(mode):
        what = "is not a regular file (a device, a pipe or a socket)"
    else:
        return
    raise BackupError(
        f"{path} {what}: give the path of a regular file or a new one; nothing was written."
    )


def write_beside_and_rename(path: Path, payload: bytes) -> None:
    """PATH ends up holding PAYLOAD, or stays as it was.

    The temporary file is created beside PATH (mkstemp: O_EXCL, owner only), synced
    to the disk before the rename, and removed whatever goes wrong.
    """
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        write_and_sync(descriptor, payload)
        os.replace(temporary, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def write_and_sync(descriptor: int, payload: bytes) -> None:
    try:
        remaining = memoryview(payload)
        while remaining:
            remaining = remaining[os.write(descriptor, remaining) :]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# ---- Import ----


def read_backup(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise BackupError(f"{path} is not a readable backup file ({reason}).") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Needs Now backup.")
    if data.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is a backup in format {data.get('format_version')}, "
            f"this version reads format {FORMAT_VERSION}."
        )
    with database_errors_explained("nothing was imported."):
        revision = schema_revision()
    if data.get("schema_revision") and revision and data["schema_revision"] != revision:
        raise BackupError(
            f"The backup was taken at database revision {data['schema_revision']}, this "
            f"database is at {revision}: run `flask db upgrade` on a database at that "
            "revision first, or use the same version of Needs Now."
        )
    return data


def database_is_empty() -> bool:
    for table in backed_up_tables():
        count = db.session.scalar(select(func.count()).select_from(table))
        if table.name == Settings.__tablename__:
            if count > 1:
                return False
            continue
        if count:
            return False
    return True


def import_data(data: dict) -> dict:
    """Load a backup into an empty database, all in one transaction, or change nothing."""
    with database_errors_explained("nothing was imported."):
        if not database_is_empty():
            raise BackupError(
                "The database already has content. Import only into an empty "
                "database (a fresh `flask db upgrade`); nothing was changed."
            )
    tables, media = checked_content(data)
    placed: list[Path] = []
    try:
        with database_errors_explained("nothing was imported."):
            insert_rows(tables)
            reset_sequences()
            put_media_in_place(media, placed)
            db.session.commit()
    except BaseException:
        db.session.rollback()
        for path in placed:
            with suppress(FileNotFoundError):
                path.unlink()
        raise
    return {name: len(rows) for name, rows in tables.items()}


def insert_rows(tables: dict[str, list[dict]]) -> None:
    settings = db.metadata.tables[Settings.__tablename__]
    if tables.get(settings.name):  # the migration's default row gives way to the backup's
        db.session.execute(settings.delete().where(settings.c.id == SETTINGS_ID))
    for table in backed_up_tables():
        if not tables[table.name]:
            continue
        try:
            db.session.execute(insert(table), tables[table.name])
        except SQLAlchemyError as error:
            raise BackupError(
                f"The database refused the rows of “{table.name}” ({database_reason(error)}); "
                "nothing was imported."
            ) from error


def reset_sequences() -> None:
    """PostgreSQL hands out ids from sequences: move them past the imported rows."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in backed_up_tables():
        if "id" in table.columns:
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )


def put_media_in_place(files: dict[str, bytes], placed: list[Path]) -> None:
    """Write each image under a temporary name, then rename it; PLACED lists those in place."""
    media = Path(current_app.config["MEDIA_DIR"])
    try:
        media.mkdir(parents=True, exist_ok=True)
        for filename, content in files.items():
            descriptor, temporary = tempfile.mkstemp(dir=media, prefix=".import-", suffix=".tmp")
            try:
                write_and_sync(descriptor, content)
                os.replace(temporary, media / filename)
            except BaseException:
                with suppress(FileNotFoundError):
                    os.unlink(temporary)
                raise
            placed.append(media / filename)
    except OSError as error:
        raise BackupError(
            f"Could not write the images to {media}: {error.strerror or error}; "
            "nothing was imported."
        ) from error


# ---- Checking a file before anything is written ----


def checked_content(data: dict) -> tuple[dict[str, list[dict]], dict[str, bytes]]:
    """The file's rows in Python types and its images decoded, or a BackupError that names
    the first problems; checked against the tables' own description, not per table."""
    problems: list[str] = []
    tables = data.get("tables")
    if not isinstance(tables, dict):
        problems.append("“tables” is not a record of tables")
        tables = {}
    known = backed_up_tables()
    names = {table.name for table in known} | EPHEMERAL_TABLES
    problems += [
        f"“{shown(name)}” is not a table of this database" for name in tables if name not in names
    ]
    numbered = {
        table.name: checked_rows(table, tables.get(table.name, []), problems) for table in known
    }
    for table in known:
        problems += duplicate_keys(table, numbered[table.name])
        problems += dangling_references(table, numbered)
    for number, row in numbered[Image.__tablename__]:
        # The next export reads the file this names: it must stay inside the media folder.
        if "filename" in row and not is_safe_file_name(row["filename"]):
            problems.append(f"row {number} of “images”: “filename” is an unsafe name for a file")
    media = checked_media(data.get("media", {}), problems)
    if problems:
        more = len(problems) - PROBLEMS_SHOWN
        rest = f"; and {more} more problem{'s' if more > 1 else ''}" if more > 0 else ""
        raise BackupError(
            f"The backup cannot be imported: {'; '.join(problems[:PROBLEMS_SHOWN])}{rest}. "
            "Nothing was imported."
        )
    rows = {name: [row for _, row in rows] for name, rows in numbered.items()}  # all complete
    return rows, media


def checked_rows(table: Table, rows, problems: list[str]) -> list[tuple[int, dict]]:
    """The table's rows numbered from 1 as in the file, each with its valid values in Python
    types; PROBLEMS gets the others. Keys are checked on valid values only, so one bad value
    is reported once, not again by every row that refers to its row."""
    if not isinstance(rows, list):
        problems.append(f"“{table.name}” is not a list of rows")
        return []
    numbered = []
    for number, row in enumerate(rows, start=1):
        where = f"row {number} of “{table.name}”"
        if not isinstance(row, dict):
            problems.append(f"{where} is not a record")
            continue
        problems += [
            f"{where}: this table has no column “{shown(name)}”"
            for name in row
            if name not in table.columns
        ]
        values = {}
        for column in table.columns:
            # Text is stored clean however it arrives (app/models/text.py), and so is a backup's.
            value = clean_value(column, row.get(column.name))
            if column.name not in row:
                problems.append(f"{where}: the “{column.name}” column is missing")
            elif problem := value_problem(column, value):
                problems.append(f"{where}: “{column.name}” {problem}")
            else:
                values[column.name] = python_value(column, value)
        numbered.append((number, values))
    return numbered


def is_translations(column: Column) -> bool:
    return column.name == "translations" and column.table.name in TRANSLATED_MODELS


def clean_value(column: Column, value):
    """Text without the characters no text is stored with, translations' texts too."""
    return clean_translations(value) if is_translations(column) else clean_text(value)


def value_problem(column: Column, value) -> str | None:
    """Why VALUE cannot go in COLUMN, in words that never repeat the value; None if it can."""
    kind = column.type
    if value is None:
        return None if column.nullable else "is empty (null), which this column does not allow"
    if is_translations(column):
        return translations_value_problem(column.table, value)
    if isinstance(kind, UTCDateTime):
        return time_problem(value, needs_zone=True)
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, Enum):  # before String: an Enum is a String
        return None if value in kind.enums else f"is not one of {', '.join(kind.enums)}"
    if isinstance(kind, String):
        return text_problem(value, kind.length)
    if isinstance(kind, Boolean):
        return None if isinstance(value, bool) else "should be true or false"
    if isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            return "should be a whole number"
        bits = 64 if isinstance(kind, BigInteger) else 16 if isinstance(kind, SmallInteger) else 32
        return None if -(2 ** (bits - 1)) <= value < 2 ** (bits - 1) else "is too large"
    if isinstance(kind, Float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "should be a number"
        return None if abs(value) <= sys.float_info.max else "is not a finite number"
    if isinstance(kind, DateTime):
        return time_problem(value, needs_zone=False)
    if isinstance(kind, Date):
        try:
            day = date.fromisoformat(value)
        except (TypeError, ValueError):
            return "is not a date (YYYY-MM-DD)"
        return None if is_showable(day) else f"is not between {FIRST_YEAR} and {LAST_YEAR}"
    if isinstance(kind, JSON):
        return None  # anything the file could hold
    return f"has a type this import does not know ({type(kind).__name__})"


def translations_value_problem(table: Table, value) -> str | None:
    """Why VALUE cannot be a record's translations: not their shape (a language's fields, each
    a text and the original's fingerprint), or a text longer than its field's column allows."""
    problem = translations_problem(value, TRANSLATED_MODELS[table.name].TRANSLATED)
    if problem is not None:
        return shown(problem, limit=120)
    for language, fields in value.items():
        for field, entry in fields.items():
            length = getattr(table.columns[field].type, "length", None)
            if length and len(entry["text"]) > length:
                return f"{language}.{field}: is longer than {length} characters"
    return None


def text_problem(value, length: int | None) -> str | None:
    if not isinstance(value, str):
        return "should be text"
    if length and len(value) > length:
        return f"is longer than {length} characters"
    return None


def time_problem(value, needs_zone: bool) -> str | None:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return "is not a date and time (ISO 8601)"
    if needs_zone and moment.utcoffset() is None:
        return "has no time zone"
    return None if is_showable(moment) else f"is not between {FIRST_YEAR} and {LAST_YEAR}"


def duplicate_keys(table: Table, rows: list[tuple[int, dict]]) -> list[str]:
    """Rows that repeat the primary key, or the values of a unique constraint, of another."""
    problems = []
    for columns in unique_column_sets(table):
        first_row_with = {}
        for number, row in rows:
            key = key_of(row, columns)
            if key is None or any(isinstance(value, dict | list) for value in key):
                continue
            if key in first_row_with:
                problems.append(
                    f"row {number} of “{table.name}” has the same {quoted(columns)} as "
                    f"row {first_row_with[key]}"
                )
            else:
                first_row_with[key] = number
    return problems


def unique_column_sets(table: Table) -> list[tuple[str, ...]]:
    sets = [tuple(column.name for column in table.primary_key.columns)]
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            sets.append(tuple(column.name for column in constraint.columns))
    for index in table.indexes:
        if index.unique and index.columns:
            sets.append(tuple(column.name for column in index.columns))
    return list(dict.fromkeys(sets))


def dangling_references(table: Table, numbered: dict[str, list[tuple[int, dict]]]) -> list[str]:
    """Foreign keys that point at no row of the file (the database they go into is empty)."""
    problems = []
    for constraint in table.foreign_key_constraints:
        local = tuple(element.parent.name for element in constraint.elements)
        target = tuple(element.column.name for element in constraint.elements)
        referred = constraint.referred_table.name
        present = {key_of(row, target) for _, row in numbered.get(referred, [])}
        for number, row in numbered[table.name]:
            key = key_of(row, local)
            if key is not None and key not in present:
                problems.append(
                    f"row {number} of “{table.name}”: {quoted(local)} points to no row of "
                    f"“{referred}” in the file"
                )
    return problems


def key_of(row: dict, columns: tuple[str, ...]) -> tuple | None:
    """The row's values in COLUMNS; None when one is missing, invalid or null (no key)."""
    key = tuple(row.get(name) for name in columns)
    return None if None in key else key


def checked_media(media, problems: list[str]) -> dict[str, bytes]:
    """The images decoded (strict base64) under safe names; PROBLEMS gets the others."""
    if not isinstance(media, dict):
        problems.append("“media” is not a record of files")
        return {}
    decoded = {}
    for filename, encoded in media.items():
        if not is_safe_file_name(filename):
            problems.append(f"the image file “{shown(filename)}” has an unsafe name")
            continue
        try:
            decoded[filename] = base64.b64decode(encoded, validate=True)
        except (TypeError, ValueError):  # binascii.Error is a ValueError
            problems.append(f"the image file “{shown(filename)}” is not valid base64")
    return decoded


def is_safe_file_name(name) -> bool:
    """A plain name inside the media folder: no folders, no way up, not hidden."""
    return (
        isinstance(name, str)
        and name != ""
        and not name.startswith(".")
        and not any(part in name for part in ("/", "\\", "..", "\x00"))
    )


def shown(name: str, limit: int = 60) -> str:
    """A name from the file (never a value), printable on one line and not too long."""
    printable = "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)
    return printable if len(printable) <= limit else printable[: limit - 3] + "…"


def quoted(columns: tuple[str, ...]) -> str:
    return ", ".join(f"“{name}”" for name in columns)
