"""How dates and times are shown: the group's local time zone and relative days.

Relative dates are whole days ("today", "yesterday", "3 days ago"), always
beside the absolute date and time, so a page stays true for the whole day.

Dates are written by Babel in the page's language (CLDR: "Tue, 25 Nov 2026",
"mar. 25 nov. 2026"), after converting to the group's time zone here: Babel is given
the local date or time, never asked to convert it again.
"""

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_interval, format_skeleton, format_time
from flask import Flask, current_app
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from app.page_dependencies import note_local_date

FIXED_OFFSET = re.compile(r"^(?:UTC)?([+-])(\d{2}):(\d{2})(?::(\d{2}))?$")
# The English the group's donors read writes dates the British way ("17 Nov", a 24-hour clock).
DATE_LOCALES = {"en": "en_GB"}
# A range of two numbers takes no spaces around its dash ("17–27 Nov"); Babel's thin
# spaces elsewhere become plain ones, as people type them.
NUMBER_RANGE = re.compile(r"(\d)\s*–\s*(\d)")
# Languages that write the first day of a month as an ordinal: "1er déc." in French.
FIRST_OF_MONTH = {"fr": "1er"}
LONE_ONE = re.compile(r"(?<!\d)1(?!\d)")


# The years a stored date may fall in: every page can show them in every time zone
# (year 9999, shifted by a time zone, is past the last date Python knows).
FIRST_YEAR, LAST_YEAR = 1900, 2999


def is_showable(moment: date | datetime) -> bool:
    return FIRST_YEAR <= moment.year <= LAST_YEAR


@lru_cache
def zone_named(name: str) -> tzinfo:
    """A time zone from the TIMEZONE setting: an IANA name ("Europe/Paris") or a fixed
    offset from UTC ("UTC+01:00", "-03:30", seconds allowed: "+05:59:30")."""
    match = FIXED_OFFSET.match(name)
    if match:
        sign, hours, minutes, seconds = match.groups()
        offset = timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds or 0))
        if offset >= timedelta(hours=24) or int(minutes) > 59 or int(seconds or 0) > 59:
            raise ValueError(f"TIMEZONE={name!r}: an offset must be under 24 hours")
        return timezone(-offset if sign == "-" else offset, name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"TIMEZONE={name!r} is not a time zone: use a name such as Europe/Paris, "
            "or an offset from UTC such as UTC+01:00"
        ) from None


def local_zone() -> tzinfo:
    return zone_named(current_app.config["TIMEZONE"])


def local_now() -> datetime:
    note_local_date()  # a page showing or filtering by the local date changes at midnight
    return datetime.now(UTC).astimezone(local_zone())


def local_today() -> date:
    return local_now().date()


def date_locale() -> Locale:
    """The locale dates are written in: the page's language (English outside a request)."""
    language = str(get_locale() or "en")
    return Locale.parse(DATE_LOCALES.get(language, language))


def first_of_month(text: str, days: tuple[int, ...], locale: Locale) -> str:
    """A written date with the first of the month as the language writes it ("1er déc."):
    `days` are the days of the month the text shows (years have four digits, so a lone
    "1" in it is the day)."""
    first = FIRST_OF_MONTH.get(locale.language)
    return LONE_ONE.sub(first, text) if first and 1 in days else text


def plain_spaces(text: str, days_only: bool = False) -> str:
    text = text.replace("\u2009", " ").replace("\u202f", " ")
    return NUMBER_RANGE.sub(r"\1–\2", text) if days_only else text


def relative_day(moment: datetime | date | None, today: date | None = None) -> str:
    if moment is None:
        return _("never")
    day = moment.astimezone(local_zone()).date() if isinstance(moment, datetime) else moment
    days = ((today or local_today()) - day).days
    if days <= 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    if days < 14:
        return ngettext("%(num)d day ago", "%(num)d days ago", days)
    if days < 60:
        return ngettext("%(num)d week ago", "%(num)d weeks ago", days // 7)
    return ngettext("%(num)d month ago", "%(num)d months ago", days // 30)


def local_datetime(moment: datetime | None) -> str:
    """ "Tue, 25 Nov 2026, 14:05" ("mar. 25 nov. 2026 à 14:05") in the group's time zone."""
    if moment is None:
        return ""
    local = moment.astimezone(local_zone())
    locale = date_locale()
    return _(
        "%(date)s, %(time)s",
        date=long_date(local.date()),
        time=format_time(local.time(), "short", locale=locale),
    )


def long_date(day: date | None) -> str:
    """ "Tue, 25 Nov 2026" ("mar. 25 nov. 2026", "mar. 1er déc. 2026")."""
    if day is None:
        return ""
    locale = date_locale()
    return first_of_month(format_skeleton("yMMMEd", day, locale=locale), (day.day,), locale)


def long_date_time(moment: datetime | None) -> str:
    """ "Wed, 25 Nov 2026" in the group's time zone."""
    return "" if moment is None else long_date(moment.astimezone(local_zone()).date())


def day_month(day: date) -> str:
    """ "17 Nov" ("17 nov.", "1er déc.")."""
    locale = date_locale()
    return first_of_month(format_skeleton("MMMd", day, locale=locale), (day.day,), locale)


def date_window(start: date | None, end: date | None) -> str:
    """A window as people write it: "17–27 Nov", "28 Nov – 3 Dec", "from 3 Dec",
    "until 9 Jan" ("17–27 nov.", "à partir du 3 déc.", "jusqu'au 1er janv.")."""
    if start and end:
        skeleton = "MMMd" if start.year == end.year else "yMMMd"
        locale = date_locale()
        interval = format_interval(start, end, skeleton, locale=locale)
        interval = first_of_month(interval, (start.day, end.day), locale)
        return plain_spaces(interval, days_only=(start.year, start.month) == (end.year, end.month))
    if start:
        return _("from %(date)s", date=day_month(start))
    if end:
        return _("until %(date)s", date=day_month(end))
    return ""


def now_utc() -> datetime:
    return datetime.now(UTC)


def iso_datetime(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(UTC).isoformat(timespec="seconds")


def register_date_filters(app: Flask) -> None:
    app.add_template_filter(relative_day)
    app.add_template_filter(local_datetime)
    app.add_template_filter(long_date)
    app.add_template_filter(iso_datetime)
    app.add_template_filter(long_date_time)
    app.add_template_global(now_utc)
