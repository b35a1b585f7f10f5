"""Whole numbers read from requests: the one rule for what counts as one.

A number in an address (a page, an id, a sort column) is plain ASCII digits that fit
the database's integer columns, which are 32-bit on every database we support. Anything
else is not a number at all, so it never reaches the database: Python's int() also
reads "-1", " 1", "1_000" and "١٢", and a value beyond the range overflowed SQLite's
integers or PostgreSQL's OFFSET.
"""

import re

LARGEST_INTEGER = 2**31 - 1  # PostgreSQL INTEGER; SQLite's are wider

_PLAIN_DIGITS = re.compile(r"[0-9]{1,10}")  # str.isdigit() also accepts "²"
_TYPED_INTEGER = re.compile(r"-?[0-9]{1,30}")


def whole_number(value, least: int = 0, most: int = LARGEST_INTEGER) -> int | None:
    """The number `value` spells in plain digits, when it is from `least` to `most`; else None."""
    if value is None or not _PLAIN_DIGITS.fullmatch(str(value)):
        return None
    number = int(value)
    return number if least <= number <= most else None


def typed_integer(value: str) -> int | None:
    """A whole number an organiser typed in a form, sign included, in plain digits (not
    "1_000", "+3" or "١٢"), however large, so that the caller can say what is wrong with
    it ("too large", "fewer than none"); None when it is not a number at all."""
    text = value.strip()
    return int(text) if _TYPED_INTEGER.fullmatch(text) else None
