"""Who changed what, when; restoring earlier versions; and no lost updates.

Every insert, update and delete of a tracked model (every model except
Change itself) is recorded as a Change in the same transaction, by one flush
listener, whichever way the change is made: admin forms, one-tap buttons, bulk
actions, the CLI, a restore. A Change holds the record's fields before and
after (never a password hash or session token).

Each Change also gets the number of the commit that made it, given in commit
order (a change's id is handed out when it is written, which on PostgreSQL is
not commit order): the content version (app/content_version.py) and the
mirror count commits by it.

Versioned gives each tracked model a version column that SQLAlchemy checks on
every UPDATE, and that forms carry, so a save based on an outdated copy is
refused instead of overwriting someone else's edit.
"""

import enum
from datetime import date, datetime
from decimal import Decimal

from flask import g, has_app_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow

# Never recorded: a change history must not become a store of secrets.
SECRET_FIELDS = {"password_hash", "session_token"}
# Bookkeeping that is not an edit: an update touching only these is not listed,
# and they are not named among a change's fields.
QUIET_FIELDS = {"last_login_at", "version"}
BOOKKEEPING_FIELDS = QUIET_FIELDS | {"updated_at", "updated_by_id", "checked_at"}
# An update that changes only this is an organiser confirming an item ("still right").
CHECK_FIELDS = {"checked_at"}


class Versioned:
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}


class ChangeAction(enum.StrEnum):
    create = "create"
    update = "update"
    delete = "delete"
    restore = "restore"
    login = "login"
    login_failed = "login_failed"
    logout = "logout"

    @property
    def label(self) -> str:
        """What happened, in the admin's language ("Change", "Modification")."""
        return _ACTION_LABELS[self.value]


# Lazy: the history's filter is made once, and shown in each organiser's language.
_ACTION_LABELS = {
    "create": _l("Creation"),
    "update": _l("Change"),
    "delete": _l("Deletion"),
    "restore": _l("Restore"),
    "login": _l("Login"),
    "login_failed": _l("Failed login"),
    "logout": _l("Logout"),
}

# Summaries and names are stored in the language the code is written in, whoever's language
# the admin speaks, and translated when they are shown (app/admin/history.py).
STORED_LANGUAGE = "en"
CHECKED_SUMMARY = "{}: checked, still right"
COMMAND_LINE = "command line"


class Change(db.Model):
    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The display name at the time: the history reads the same if the account changes.
    user_name: Mapped[str] = mapped_column(String(80), default="")
    action: Mapped[str] = mapped_column(String(20))
    record_type: Mapped[str] = mapped_column(String(40), index=True)
    record_id: Mapped[int | None] = mapped_column(index=True)
    summary: Mapped[str] = mapped_column(String(200), default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    # Given when the transaction commits (number_the_commit): None until then.
    commit_number: Mapped[int | None] = mapped_column(index=True)

    def __str__(self) -> str:
        return f"{self.action} {self.record_type} {self.record_id}"

    @property
    def changed_fields(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return sorted(
            key
            for key in set(before) | set(after)
            if key not in BOOKKEEPING_FIELDS and before.get(key) != after.get(key)
        )

    @classmethod
    def of_record(cls, record_type: str, record_id: int) -> list["Change"]:
        query = (
            select(cls)
            .where(cls.record_type == record_type, cls.record_id == record_id)
            .order_by(cls.at.desc(), cls.id.desc())
        )
        return list(db.session.scalars(query))

    @classmethod
    def since_version(cls, record_type: str, record_id: int, version: int) -> list["Change"]:
        """Changes made to a record after the given version was read."""
        return [
            change
            for change in cls.of_record(record_type, record_id)
            if (change.after or {}).get("version", 0) > version
        ]


def tracked(obj) -> bool:
    return tracked_class(type(obj))


def json_value(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(obj, which: str = "current") -> dict:
    """The record's column values, as JSON; "committed" gives those before this flush."""
    state = inspect(obj)
    values = {}
    for attr in state.mapper.column_attrs:
        if attr.key in SECRET_FIELDS:
            continue
        if which == "committed":
            history = state.attrs[attr.key].history
            value = history.deleted[0] if history.deleted else state.attrs[attr.key].value
        else:
            value = state.attrs[attr.key].value
        values[attr.key] = json_value(value)
    if which == "current" and SECRET_FIELDS & {
        attr.key for attr in state.attrs if attr.history.has_changes()
    }:
        values["password_changed"] = True
    return values


def changed_keys(obj) -> set[str]:
    """Columns changed in this flush (a collection gaining a child is no edit of the parent)."""
    state = inspect(obj)
    return {
        attr.key
        for attr in state.mapper.column_attrs
        if state.attrs[attr.key].history.has_changes()
    }


def model_for_table(table: str):
    for mapper in db.Model.registry.mappers:
        if mapper.class_.__tablename__ == table and tracked_class(mapper.class_):
            return mapper.class_
    return None


def tracked_class(cls) -> bool:
    """Every model's rows are in the history, except the history's own and those of models
    that say `in_history = False` (logins: not content, and kept only briefly)."""
    return issubclass(cls, db.Model) and cls is not Change and getattr(cls, "in_history", True)


def python_value(column, value):
    """A value from a snapshot, back in the column's Python type."""
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime | DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


class CannotRestore(ValueError):
    """This change holds no version to go back to."""


def restore(change: Change):
    """Put a record back as it was after `change` (or before it, for a deletion).

    The restore is itself recorded as a change. Returns the restored record.
    """
    model = model_for_table(change.record_type)
    state = change.before if change.action == ChangeAction.delete else change.after
    if model is None or state is None or change.record_id is None:
        raise CannotRestore("There is no earlier version in this entry to restore.")
    record = db.session.get(model, change.record_id)
    if change.action == ChangeAction.delete and record is not None:
        raise CannotRestore(
            "A record with this number exists again, so the deleted one cannot take its "
            "place. Nothing was changed."
        )
    if record is None:
        record = model()
        db.session.add(record)
    for column in model.__table__.columns:
        key = model.__mapper__.get_property_by_column(column).key
        if key in ("version", *SECRET_FIELDS) or key not in state:
            continue
        setattr(record, key, python_value(column, state[key]))
    db.session.info["change_action"] = ChangeAction.restore
    return record


def current_actor() -> tuple[int | None, str]:
    # Import cycle: app.models.users defines User with Versioned, from this module.
    from app.models.users import User, acting_user_id

    user_id = acting_user_id()
    if user_id is None:
        return None, g.get("acting_user_name", COMMAND_LINE) if has_app_context() else ""
    user = db.session.get(User, user_id)
    return user_id, user.display_name if user else ""


def record_event(
    action: ChangeAction,
    record_type: str,
    record_id: int | None,
    summary: str,
    user_id: int | None,
    user_name: str,
) -> None:
    """Record something that is not a change to a row: logins and logouts."""
    db.session.add(
        Change(
            action=action.value,
            record_type=record_type,
            record_id=record_id,
            summary=summary[:200],
            user_id=user_id,
            user_name=user_name,
        )
    )


@event.listens_for(Session, "before_flush")
def capture_changes(session, flush_context, instances):
    pending = session.info.setdefault("pending_changes", [])
    action = session.info.get("change_action")
    if any(isinstance(obj, Change) for obj in session.new):  # logins and logouts
        session.info["history_written"] = True
    with session.no_autoflush, force_locale(STORED_LANGUAGE):
        for obj in session.new:
            if tracked(obj):
                pending.append((action or ChangeAction.create, obj, None, str(obj)))
        for obj in session.dirty:
            changed = changed_keys(obj) - QUIET_FIELDS if tracked(obj) else set()
            if changed:
                before = snapshot(obj, "committed")
                summary = CHECKED_SUMMARY.format(obj) if changed == CHECK_FIELDS else str(obj)
                pending.append((action or ChangeAction.update, obj, before, summary))
        for obj in session.deleted:
            if tracked(obj):
                pending.append((ChangeAction.delete, obj, snapshot(obj, "committed"), str(obj)))


@event.listens_for(Session, "after_flush")
def write_changes(session, flush_context):
    pending = session.info.pop("pending_changes", [])
    if not pending:
        return
    with session.no_autoflush:
        user_id, user_name = current_actor()
    now = utcnow()
    rows = [
        {
            "at": now,
            "user_id": user_id,
            "user_name": user_name,
            "action": action.value,
            "record_type": obj.__tablename__,
            "record_id": inspect(obj).mapper.primary_key_from_instance(obj)[0],
            "summary": summary[:200],
            "before": before,
            "after": None if action == ChangeAction.delete else snapshot(obj),
        }
        for action, obj, before, summary in pending
    ]
    # Written on the same connection, in the same transaction as the change itself.
    session.connection().execute(insert(Change.__table__), rows)
    session.info["history_written"] = True
    # Read after the commit, to wake the static mirror's watcher (app/mirror/watcher.py).
    session.info.setdefault("changed_record_types", set()).update(
        row["record_type"] for row in rows
    )


# Held, on PostgreSQL, from numbering a commit until it ends, so commits are numbered in
# the order they become visible (SQLite lets one writer at a time in anyway).
COMMIT_NUMBER_LOCK = 0x6E6565645F6E6F77


@event.listens_for(Session, "before_commit")
def number_the_commit(session):
    """Give this transaction's history entries the next commit number."""
    session.flush()
    if not session.info.pop("history_written", False):
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(COMMIT_NUMBER_LOCK)))
    newest = connection.execute(select(func.max(Change.commit_number))).scalar() or 0
    connection.execute(
        update(Change.__table__)
        .where(Change.commit_number.is_(None))
        .values(commit_number=newest + 1)
    )


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def forget_change_action(session):
    session.info.pop("change_action", None)
    session.info.pop("pending_changes", None)
    session.info.pop("history_written", None)
