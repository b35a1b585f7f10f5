"""The content version: the one definition of "the public site changed".

The page cache, the static mirror and the "list last updated" that visitors
read all take it from here. The public site at a moment is decided by:

1. **Commits, from any process or host.** Every change to a public record is
   written to the change history in the same transaction
   (app/models/history.py), numbered in commit order, so the newest public
   commit number moves whenever anything public is saved, deleted or restored,
   whichever worker, host or command did it. Accounts and logins are not
   public and do not count.
2. **Moments.** A row can become public, or stop being so, at a moment stored
   in a column: a report-back's publication time. These columns are listed in
   TIME_COLUMNS as ``Visibility.moment``; the latest such moment already
   passed is part of the version.
3. **The group's local date.** Items pass their "needed until" date and sites
   their "open until" date at local midnight (``Visibility.day``), and
   relative dates ("updated yesterday") change then too; local midnight is
   part of the version.

Every date and time column of every model is classified in TIME_COLUMNS, and
a test fails when one is not: a new kind of time-based visibility cannot be
added without saying how it changes the version.

The version also says when it will next change by itself (``next_boundary``:
the next publication time or local midnight), so that waiting processes wake
exactly then instead of polling the clock.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from sqlalchemy import Connection, func, select
from sqlalchemy.engine import Row

from app.dates import local_zone
from app.extensions import db
from app.models import Change

# Change history entries that are not public: accounts, logins and logouts.
PRIVATE_RECORD_TYPES = ("users",)
# What the needs board shows: its "last updated" moves when one of these changes.
BOARD_RECORD_TYPES = ("needs", "categories", "sites")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Visibility(StrEnum):
    """How a date or time column bears on what the public sees."""

    moment = "moment"  # a row becomes (or stops being) public at this instant
    day = "day"  # a row stops being public after this local date: changes at midnight
    shown = "shown"  # only displayed (relative wording follows the local date)
    private = "private"  # never shown to the public


TIME_COLUMNS: dict[str, Visibility] = {
    "posts.published_at": Visibility.moment,
    "needs.needed_until": Visibility.day,
    "sites.open_until": Visibility.day,
    "sites.open_from": Visibility.shown,
    "needs.created_at": Visibility.shown,
    "needs.updated_at": Visibility.shown,
    "needs.checked_at": Visibility.shown,
    "posts.created_at": Visibility.shown,
    "posts.updated_at": Visibility.shown,
    "pages.updated_at": Visibility.shown,
    "images.created_at": Visibility.shown,
    "changes.at": Visibility.shown,
    "users.last_login_at": Visibility.private,
    "users.created_at": Visibility.private,
    "login_sessions.started_at": Visibility.private,
    "login_sessions.last_seen_at": Visibility.private,
    "login_failures.at": Visibility.private,
}


def columns_with(visibility: Visibility) -> list:
    """The mapped columns classified so, e.g. every publication-time column."""
    wanted = {name for name, kind in TIME_COLUMNS.items() if kind == visibility}
    return [
        column
        for table in db.metadata.sorted_tables
        for column in table.columns
        if f"{table.name}.{column.name}" in wanted
    ]


@dataclass(frozen=True, order=True)
class ContentVersion:
    """The public site's version; two moments with equal versions show the same site.

    Versions order by time: a later moment never has a smaller version.
    """

    commit_number: int  # the newest commit of a public change (0: none yet)
    boundary: datetime  # the latest moment or local midnight already passed (UTC)
    next_boundary: datetime = field(compare=False)  # when the version changes by itself

    @property
    def token(self) -> str:
        """A short stable name: in mirror build names and manifests."""
        return f"{self.commit_number:012d}-{self.boundary:%Y%m%dT%H%M%S}"

    @classmethod
    def from_token(cls, token: str) -> "ContentVersion":
        commit_number, boundary = token.split("-", 1)
        moment = datetime.strptime(boundary, "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        return cls(int(commit_number), moment, moment)

    def expired(self, now: datetime | None = None) -> bool:
        """True once the clock has passed the next boundary: read the version again."""
        return (now or datetime.now(UTC)) >= self.next_boundary


def public_changes():
    """The change history entries that count: everything but accounts and logins."""
    return Change.record_type.not_in(PRIVATE_RECORD_TYPES)


def version_query(now: datetime):
    """One statement, one round trip: the newest public commit and the moments around now."""
    newest = (
        select(Change.commit_number)
        .where(public_changes(), Change.commit_number.is_not(None))
        .order_by(Change.commit_number.desc())
        .limit(1)
    )
    columns = [newest.scalar_subquery()]
    for column in columns_with(Visibility.moment):
        columns.append(select(func.max(column)).where(column <= now).scalar_subquery())
        columns.append(select(func.min(column)).where(column > now).scalar_subquery())
    return select(*columns)


def local_midnights(now: datetime, zone: tzinfo) -> tuple[datetime, datetime]:
    """The local midnight that began today, and the next one, in UTC."""
    today = now.astimezone(zone).date()
    return _midnight(today, zone), _midnight(today + timedelta(days=1), zone)


def _midnight(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def version_from_row(row: Row, now: datetime, zone: tzinfo) -> ContentVersion:
    commit_number, *moments = row
    passed = [_utc(moment) for moment in moments[0::2] if moment is not None]
    upcoming = [_utc(moment) for moment in moments[1::2] if moment is not None]
    began_today, tomorrow = local_midnights(now, zone)
    return ContentVersion(
        commit_number=commit_number or 0,
        boundary=max([began_today, *passed]).replace(microsecond=0),
        next_boundary=min([tomorrow, *upcoming]),
    )


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive UTC, PostgreSQL aware values; UTCDateTime stores naive UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def read_version(connection: Connection, zone: tzinfo, now: datetime | None = None):
    """The content version now, read with one query on `connection`."""
    now = now or datetime.now(UTC)
    row = connection.execute(version_query(now)).one()
    return version_from_row(row, now, zone)


def current_version(now: datetime | None = None) -> ContentVersion:
    """The content version, read through the current app's session."""

    return read_version(db.session.connection(), local_zone(), now)


def last_changed_at(record_types: tuple[str, ...] | None = None) -> datetime | None:
    """When public content (of these record types, if given) last changed, deletions included."""
    query = select(Change.at).where(public_changes())
    if record_types is not None:
        query = query.where(Change.record_type.in_(record_types))
    return db.session.scalar(query.order_by(Change.at.desc()).limit(1))


def list_updated_at() -> datetime | None:
    """The needs list's "last updated": the newest change to an item, category or site."""
    return last_changed_at(BOARD_RECORD_TYPES)
