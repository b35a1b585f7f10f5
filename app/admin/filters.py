"""List filters and search: what a value in a list's address may ask of the database.

Flask-Admin ignores a filter whose `validate()` says no (with a message), but its own
checks only catch ValueError and know nothing of the column: an unknown choice raised
KeyError, a number beyond the column's range overflowed, and `%` or `_` in a search or a
"contains" filter matched every row. `guard_filter` closes that for every filter of every
view (SecureModelView applies it); `like_pattern` is the one way a term becomes a pattern.
"""

from flask import has_app_context
from flask_admin.contrib.sqla.filters import FilterEqual, FilterInList, FilterLike, FilterNotLike
from sqlalchemy import BigInteger, SmallInteger

LIKE_ESCAPE = "\\"


class ChoiceFilter(FilterEqual):
    """Equals one of the (id, name) pairs `choices()` returns when the list is shown.

    Flask-Admin reads filter options once, when the view is built; a view that
    uses this filter calls `_refresh_filters_cache()` before showing its list.
    A value that is not one of the choices is ignored, never sent to the database.
    """

    def __init__(self, column, name, choices):
        super().__init__(column, name)
        self.choices = choices

    def get_options(self, view):
        if not has_app_context():
            return []
        return [(str(value), label) for value, label in self.choices()]

    def validate(self, value):
        return has_app_context() and value in {str(value) for value, _ in self.choices()}

    def clean(self, value):
        # The ids arrive as text; PostgreSQL will not compare integer = text.
        return int(value)


def guard_filter(flt, view) -> None:
    """Make `flt` refuse values its column cannot compare, and match LIKE wildcards literally."""
    if getattr(flt, "is_guarded", False):  # views may rebuild their filters on every list
        return
    validate = flt.validate

    def validate_for_column(value) -> bool:
        try:
            return bool(validate(value)) and _fits(flt, view, value)
        except (ValueError, LookupError, TypeError, OverflowError):
            return False

    flt.validate = validate_for_column
    if type(flt).apply in (FilterLike.apply, FilterNotLike.apply):
        flt.apply = _literal_like(flt, negate=isinstance(flt, FilterNotLike))
    flt.is_guarded = True


def _fits(flt, view, value: str) -> bool:
    options = flt.get_options(view)
    if options:
        allowed = {str(key) for key, _ in options}
        given = _list_items(value) if isinstance(flt, FilterInList) else [value]
        if not set(given) <= allowed:
            return False
    cleaned = flt.clean(value)
    column_type = getattr(flt.column, "type", None)
    items = cleaned if isinstance(cleaned, list) else [cleaned]
    return all(_column_can_take(column_type, item) for item in items)


def _list_items(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _column_can_take(column_type, item) -> bool:
    if isinstance(item, int) and not isinstance(item, bool):
        least, most = integer_range(column_type)
        return least <= item <= most
    return True


def integer_range(column_type) -> tuple[int, int]:
    """The values an integer column holds on PostgreSQL (SQLite's are wider)."""
    bits = 32
    if isinstance(column_type, BigInteger):
        bits = 64
    elif isinstance(column_type, SmallInteger):
        bits = 16
    return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1


def like_pattern(term: str) -> str:
    """Flask-Admin's search syntax (^ starts with, = exactly, else contains) with `%`, `_`
    and the escape character itself matching literally; use with `escape=LIKE_ESCAPE`."""
    literal = (
        term.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    if term.startswith("^"):
        return f"{literal[1:]}%"
    if term.startswith("="):
        return literal[1:]
    return f"%{literal}%"


def _literal_like(flt, negate: bool):
    def apply(query, value, alias=None):
        matches = flt.get_column(alias).ilike(like_pattern(value), escape=LIKE_ESCAPE)
        return query.filter(~matches if negate else matches)

    return apply
