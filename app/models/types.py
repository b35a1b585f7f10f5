"""Column types that behave the same on SQLite and PostgreSQL."""

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import DateTime, Enum
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend.

    SQLite has no time zones and hands back naive values; PostgreSQL hands back
    aware ones. Storing naive UTC and returning aware UTC makes both agree.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def enum_column_type(enum_class: type[StrEnum], name: str) -> Enum:
    """A vocabulary stored by value: a short string column with a CHECK constraint named
    `name`, the same on SQLite and PostgreSQL (no native enum types to migrate)."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=16,
        name=name,
        values_callable=lambda members: [member.value for member in members],
    )
