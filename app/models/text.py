"""Stored text is clean text, whichever way it arrives.

Text pasted from a PDF or a word processor can carry control characters (a
form feed, an escape) that no reader sees but that no XML document may hold:
one of them in a title would make the feeds and the sitemap unreadable for
every subscriber. They are removed here, in one place, as a value is set on any
text column of any model, so forms, one-tap buttons, the CLI and restores from
the history all store the same clean text; backups are cleaned on import with
the same function (app/backup.py), and migration 0009 cleaned what was stored
before. Tabs and line breaks are kept.
"""

import re

from sqlalchemy import Enum, String, event
from sqlalchemy.orm import Mapper

# Everything XML 1.0 refuses: C0 controls other than tab, line feed and carriage
# return, the non-characters U+FFFE and U+FFFF, and halves of surrogate pairs.
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean_text(value):
    """The value without characters that cannot be stored; anything not text as it is."""
    if isinstance(value, str) and UNSTORABLE.search(value):
        return UNSTORABLE.sub("", value)
    return value


def is_text_column(column) -> bool:
    return isinstance(column.type, String) and not isinstance(column.type, Enum)


@event.listens_for(Mapper, "mapper_configured")
def clean_text_as_it_is_set(mapper, cls):
    for attribute in mapper.column_attrs:
        if any(is_text_column(column) for column in attribute.columns):
            event.listen(attribute.class_attribute, "set", _cleaned, retval=True)


def _cleaned(target, value, oldvalue, initiator):
    return clean_text(value)
