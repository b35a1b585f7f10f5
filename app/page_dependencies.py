"""What a public page read while it was rendered: so the mirror rewrites only what a change touches.

While a page is rendered inside ``recording()``, every SELECT the session runs
is classified, by looking at the statement itself (nothing is declared by hand):

- a **keyed read** names one table and looks rows up by its primary key or a
  unique column (``Post.visible_by_slug``, ``Settings.current()``, the lazy
  load of ``need.category``): the page depends on the rows with those key
  values, and a change to another row of the table leaves it alone;
- **any other read** (lists, joins, counts, aggregates, subqueries) makes the
  page depend on the columns it names in every table it reads: an insert or
  delete there, or an update of one of those columns (a whole row, for a read
  of whole records). So the navigation, which reads pages' titles and slugs,
  does not change when a page's text does.

Pages that used the group's local date ("updated today", items that expire at
midnight) are marked as well (``note_local_date``, called by app.dates). A
statement that cannot be read this way (textual SQL) makes the page depend on
everything: rebuilt after any change. The mirror's tests compare incremental
builds with full ones after every kind of change, to keep this honest.
"""

import enum
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Column, Table, event
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import (
    BinaryExpression,
    BindParameter,
    BooleanClauseList,
    ColumnClause,
)
from sqlalchemy.sql.selectable import Select
from sqlalchemy.sql.util import find_tables

_recording: ContextVar["PageDependencies | None"] = ContextVar("page_dependencies", default=None)


def key_value(value):
    """A value as the change history stores it (JSON), so the two compare equal."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


ANY_COLUMN = "*"  # a whole row: read as a record, or inserted or deleted


@dataclass
class PageDependencies:
    tables: dict[str, set[str]] = field(default_factory=dict)  # table → columns read
    keys: set[tuple[str, str, object]] = field(default_factory=set)  # (table, column, value)
    local_date: bool = False
    everything: bool = False

    def to_json(self) -> dict:
        return {
            "tables": {table: sorted(columns) for table, columns in sorted(self.tables.items())},
            "keys": sorted([list(key) for key in self.keys], key=repr),
            "local_date": self.local_date,
            "everything": self.everything,
        }

    @classmethod
    def from_json(cls, data: dict) -> "PageDependencies":
        return cls(
            tables={table: set(columns) for table, columns in data["tables"].items()},
            keys={tuple(key) for key in data["keys"]},
            local_date=data["local_date"],
            everything=data["everything"],
        )

    def reads(self, table: str) -> bool:
        return table in self.tables or any(key[0] == table for key in self.keys)

    def read(self, statement, parameters: dict) -> None:
        """Note what one SELECT statement depends on."""
        if not isinstance(statement, Select):
            self.everything = True
            return
        tables = {
            table
            for table in find_tables(
                statement, check_columns=True, include_aliases=True, include_joins=True
            )
            if isinstance(table, Table)
        }
        if not tables:
            if statement.get_final_froms():  # something other than a table: be safe
                self.everything = True
            return
        keyed = _keyed_lookup(statement, parameters) if len(tables) == 1 else None
        if keyed is not None:
            self.keys.update(keyed)
            return
        for table, columns in _columns_read(statement, tables).items():
            self.tables.setdefault(table, set()).update(columns)


@dataclass
class Touched:
    """What a set of changes touched: the columns changed in each table (ANY_COLUMN for a
    row inserted or deleted), and (table, column, value) of every row version before and
    after, so that a keyed read matches old and new keys alike."""

    columns: dict[str, set[str]] = field(default_factory=dict)
    keys: set[tuple[str, str, object]] = field(default_factory=set)

    def add(self, record_type: str, before: dict | None, after: dict | None) -> None:
        if before is None or after is None:
            changed = {ANY_COLUMN}
        else:
            changed = {
                key for key in before.keys() | after.keys() if before.get(key) != after.get(key)
            }
        self.columns.setdefault(record_type, set()).update(changed)
        for snapshot in (before or {}, after or {}):
            for column, value in snapshot.items():
                if isinstance(value, str | int | float | bool):
                    self.keys.add((record_type, column, value))

    def affects(self, dependencies: PageDependencies) -> bool:
        if dependencies.everything or not dependencies.keys.isdisjoint(self.keys):
            return True
        for table, read in dependencies.tables.items():
            changed = self.columns.get(table)
            if changed and (ANY_COLUMN in changed or ANY_COLUMN in read or changed & read):
                return True
        return False


def _columns_read(statement: Select, tables: set[Table]) -> dict[str, set[str]]:
    """For each table, the columns a statement selects, filters, joins or sorts on; the
    whole row when it reads a column through a subquery (which hides where it came from)."""
    read: dict[str, set[str]] = {table.name: set() for table in tables}
    for column in [*statement.selected_columns, *visitors.iterate(statement)]:
        if not isinstance(column, ColumnClause) or column.table is None:
            continue
        table = getattr(column.table, "element", column.table)  # an alias reads its table
        if isinstance(table, Table) and isinstance(column, Column):
            read.setdefault(table.name, set()).add(column.key)
        elif not isinstance(table, Table):
            return {name: {ANY_COLUMN} for name in read}
    return read


def _keyed_lookup(statement: Select, parameters: dict) -> set[tuple] | None:
    """(table, column, value) for each key looked up, or None when this is no keyed read."""
    where = statement.whereclause
    if where is None:
        return None
    clauses = (
        list(where.clauses)
        if isinstance(where, BooleanClauseList) and where.operator is operators.and_
        else [where]
    )
    for clause in clauses:
        if not isinstance(clause, BinaryExpression):
            continue
        column, value = clause.left, clause.right
        if not (isinstance(column, Column) and isinstance(value, BindParameter)):
            continue
        if not (column.primary_key or column.unique) or column.table is None:
            continue
        if clause.operator is operators.eq:
            values = [parameters.get(value.key, value.effective_value)]
        elif clause.operator is operators.in_op:
            values = list(parameters.get(value.key, value.effective_value) or [])
        else:
            continue
        return {(column.table.name, column.key, key_value(item)) for item in values}
    return None


@contextmanager
def recording():
    """Record what the code inside reads; yields the PageDependencies being filled."""
    dependencies = PageDependencies()
    token = _recording.set(dependencies)
    try:
        yield dependencies
    finally:
        _recording.reset(token)


def note_local_date() -> None:
    """The page being rendered shows or filters by the group's local date."""
    dependencies = _recording.get()
    if dependencies is not None:
        dependencies.local_date = True


@event.listens_for(Session, "do_orm_execute")
def _note_read(state) -> None:
    dependencies = _recording.get()
    if dependencies is None:
        return
    if not state.is_select:
        dependencies.everything = True
        return
    dependencies.read(state.statement, dict(state.parameters or {}))
