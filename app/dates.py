"""How dates and times are shown: the group's local time zone and relative days.

Relative dates are whole days ("today", "yesterday", "3 days ago"), always
beside the absolute date and time, so a page stays true for the whole day.
"""

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, current_app

from app.page_dependencies import note_local_date

FIXED_OFFSET = re.compile(r"^(?:UTC)?([+-])(\d{2}):(\d{2})(?::(\d{2}))?$")


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


def relative_day(moment: datetime | date | None, today: date | None = None) -> str:
    if moment is None:
        return "never"
    day = moment.astimezone(local_zone()).date() if isinstance(moment, datetime) else moment
    days = ((today or local_today()) - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    return f"{days // 30} months ago"


def local_datetime(moment: datetime | None) -> str:
    """ "Tue 25 Nov 2026, 14:05" in the group's time zone."""
    if moment is None:
        return ""
    local = moment.astimezone(local_zone())
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


def long_date(day: date | None) -> str:
    return "" if day is None else f"{day:%a} {day.day} {day:%b %Y}"


def long_date_time(moment: datetime | None) -> str:
    """ "Wed 25 Nov 2026" in the group's time zone."""
    return "" if moment is None else long_date(moment.astimezone(local_zone()).date())


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
