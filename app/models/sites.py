"""Places where donations go: drop-off and collection points, warehouses."""

from datetime import date
from enum import StrEnum
from typing import ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, Text, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from app.dates import date_window
from app.extensions import db
from app.models.history import Versioned
from app.models.translations import Translated
from app.models.types import enum_column_type


class SiteKind(StrEnum):
    collection = "collection"
    drop_off = "drop_off"
    warehouse = "warehouse"

    @property
    def label(self) -> str:
        return _SITE_KIND_LABELS[self.value]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(kind.value, kind.label) for kind in cls]


_SITE_KIND_LABELS = {
    "collection": _l("Collection point"),
    "drop_off": _l("Drop-off point"),
    "warehouse": _l("Warehouse"),
}


class Site(Translated, Versioned, db.Model):
    __tablename__ = "sites"
    TRANSLATED = ("name", "address", "opening_hours", "booking_rule", "ship_to", "notes")

    # What the fields are called wherever people read them: the public page, the
    # plain-text list and the admin.
    LABELS: ClassVar[dict[str, str]] = {
        "address": _l("Address"),
        "opening_hours": _l("Opening hours"),
        "open_from": _l("Open from"),
        "open_until": _l("Open until"),
        "booking_rule": _l("Before you come"),
        "ship_to": _l("Sending by post or courier"),
        "notes": _l("Good to know"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[SiteKind] = mapped_column(
        enum_column_type(SiteKind, "site_kind"), default=SiteKind.drop_off
    )
    address: Mapped[str] = mapped_column(Text, default="")
    opening_hours: Mapped[str] = mapped_column(Text, default="")
    open_from: Mapped[date | None]
    open_until: Mapped[date | None]
    booking_rule: Mapped[str] = mapped_column(Text, default="")
    ship_to: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    def __str__(self) -> str:
        return self.name

    @classmethod
    def choices(cls) -> list[tuple[int, str]]:
        """(id, name) pairs, for filters and menus."""
        return [(row.id, row.name) for row in db.session.scalars(select(cls).order_by(cls.name))]

    @property
    def date_window(self) -> str:
        """The window as people write it, in the page's language: "17–27 Nov", "from 3 Dec"."""
        return date_window(self.open_from, self.open_until)

    @classmethod
    def public_list(cls, today: date) -> list["Site"]:
        query = (
            select(cls)
            .where(cls.is_active, or_(cls.open_until.is_(None), cls.open_until >= today))
            .order_by(cls.position, cls.name)
        )
        return list(db.session.scalars(query))
