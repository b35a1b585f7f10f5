"""What the group needs: categories, items, and the urgency vocabulary.

The urgency vocabulary is defined here once; templates, forms, the admin and
the plain-text list all take it from this module.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cached_property
from itertools import groupby
from typing import ClassVar, NamedTuple

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from app.extensions import db
from app.models.history import Versioned
from app.models.ordering import Ordered
from app.models.translations import Translated
from app.models.types import UTCDateTime, enum_column_type, utcnow


class Urgency(StrEnum):
    """How much a need matters now. Member names equal their stored values."""

    urgent = "urgent"
    needed = "needed"
    plenty = "plenty"
    do_not_send = "do_not_send"

    @property
    def label(self) -> str:
        return _URGENCY_WORDS[self].label

    @property
    def heading(self) -> str:
        return _URGENCY_WORDS[self].heading

    @property
    def paused_heading(self) -> str:
        """The heading while donations are paused: nothing reads as a call to send now."""
        return _URGENCY_WORDS[self].paused_heading

    @property
    def note(self) -> str:
        """What the public list says under the section's heading, or nothing."""
        return _URGENCY_WORDS[self].note

    @property
    def lists_categories(self) -> bool:
        """Whether the plain-text list names the categories in this section. The sections
        of what we have enough of or cannot use read as one short list each."""
        return _URGENCY_WORDS[self].lists_categories

    @property
    def rank(self) -> int:
        return list(Urgency).index(self)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(urgency.value, urgency.label) for urgency in cls]


class _UrgencyWords(NamedTuple):
    """Lazy strings (Flask-Babel): each reads in the language of the page showing it."""

    label: str
    heading: str
    paused_heading: str
    note: str = ""
    lists_categories: bool = False


_URGENCY_WORDS = {
    Urgency.urgent: _UrgencyWords(
        _l("Urgent"),
        _l("Urgently needed"),
        _l("Urgent once donations open again"),
        lists_categories=True,
    ),
    Urgency.needed: _UrgencyWords(
        _l("Needed"),
        _l("Also needed"),
        _l("Needed once donations open again"),
        lists_categories=True,
    ),
    Urgency.plenty: _UrgencyWords(
        _l("Plenty"),
        _l("We have plenty of these for now"),
        _l("We have plenty of these"),
        note=_l(
            "We have enough of these for now. Please send something from the lists above instead."
        ),
    ),
    Urgency.do_not_send: _UrgencyWords(
        _l("Do not send"),
        _l("Please do not send"),
        _l("Please do not send"),
        note=_l("We cannot use these, and sorting and disposing of them takes volunteers’ time."),
    ),
}


class Category(Translated, Versioned, db.Model):
    __tablename__ = "categories"
    TRANSLATED = ("name", "description")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(String(200), default="")

    needs: Mapped[list["Need"]] = relationship(back_populates="category")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def choices(cls) -> list[tuple[int, str]]:
        """(id, name) pairs, for filters and menus."""
        return [(row.id, row.name) for row in db.session.scalars(select(cls).order_by(cls.name))]


class Need(Translated, Ordered, Versioned, db.Model):
    __tablename__ = "needs"
    TRANSLATED = ("name", "details", "unit")
    __table_args__ = (
        CheckConstraint("quantity IS NULL OR quantity > 0", name="quantity_positive"),
        CheckConstraint("received >= 0", name="received_not_negative"),
    )

    # What the fields are called wherever organisers read them: the admin and the board.
    LABELS: ClassVar[dict[str, str]] = {
        "needed_until": _l("Needed until"),
        "received": _l("Received so far"),
    }

    # The board shows each category's items once per urgency section.
    sibling_keys = ("category_id", "urgency")
    sibling_order = ("position", "name", "id")

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    details: Mapped[str] = mapped_column(Text, default="")
    quantity: Mapped[int | None]  # how many are wanted, when that is known
    received: Mapped[int] = mapped_column(default=0, server_default="0")  # arrived so far
    unit: Mapped[str] = mapped_column(String(40), default="")
    urgency: Mapped[Urgency] = mapped_column(
        enum_column_type(Urgency, "urgency"), default=Urgency.needed
    )
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="SET NULL"))
    is_visible: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    needed_until: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When an organiser last confirmed the item is right: any change, or "still right".
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    category: Mapped[Category] = relationship(back_populates="needs")
    site: Mapped["Site | None"] = relationship()  # noqa: F821 (app.models.sites)
    updated_by: Mapped["User | None"] = relationship()  # noqa: F821 (app.models.users)

    def __str__(self) -> str:
        return self.name

    @property
    def quantity_text(self) -> str:
        """The wanted quantity in the original language: "100 bags" (a unit is written
        "bag | bags", in the forms app/languages.py's `plural` chooses from)."""
        if self.quantity is None:
            return ""
        from app.languages import plural  # app.languages imports the models

        unit = plural(self.unit, self.quantity, current_app.config["DEFAULT_LANGUAGE"])
        return f"{self.quantity} {unit}".strip()

    @property
    def still_needed(self) -> int | None:
        """How many are still missing, when a wanted quantity is set."""
        return None if self.quantity is None else max(self.quantity - self.received, 0)

    @property
    def wanted_reached(self) -> bool:
        return self.quantity is not None and self.received >= self.quantity

    def needs_a_look(self, now: datetime, check_after_days: int) -> bool:
        """Nobody has confirmed this item for longer than the group allows."""
        return now - self.checked_at > timedelta(days=check_after_days)

    @classmethod
    def publicly_listed(cls, today: date):
        """The query for items the public may see today, in board order, with their
        categories (in one more query, not one per category: a page lists every item
        under its category)."""
        return (
            select(cls)
            .join(cls.category)
            .options(selectinload(cls.category))
            .where(cls.is_visible, or_(cls.needed_until.is_(None), cls.needed_until >= today))
            .order_by(Category.position, Category.name, cls.position, cls.name)
        )

    @classmethod
    def public_board(cls, today: date) -> "NeedsBoard":
        return NeedsBoard.from_needs(db.session.scalars(cls.publicly_listed(today)).all())

    @classmethod
    def recently_changed(cls, today: date, limit: int) -> list["Need"]:
        """Publicly listed items, the most recently changed first (the needs feed)."""
        query = cls.publicly_listed(today).order_by(None).order_by(cls.updated_at.desc())
        return list(db.session.scalars(query.limit(limit)))

    @classmethod
    def list_checked_at(cls, today: date) -> datetime | None:
        """When an organiser last confirmed an item on today's public list."""
        query = (
            cls.publicly_listed(today).order_by(None).with_only_columns(func.max(cls.checked_at))
        )
        return db.session.scalar(query)

    @classmethod
    def most_urgent(cls, today: date, limit: int = 6) -> list["Need"]:
        query = cls.publicly_listed(today).where(cls.urgency == Urgency.urgent).limit(limit)
        return list(db.session.scalars(query))

    @classmethod
    def set_urgency(cls, ids, urgency: Urgency, unchanged_since: datetime | None = None):
        """Give these items a new urgency; return how many changed, and the items
        left alone because they changed after `unchanged_since`."""
        changed, skipped = 0, []
        for need in db.session.scalars(select(cls).where(cls.id.in_(ids))):
            if need.urgency == urgency:
                continue
            if unchanged_since is not None and need.updated_at > unchanged_since:
                skipped.append(need)
                continue
            need.urgency = urgency
            changed += 1
        return changed, skipped

    @classmethod
    def organisers_board(cls, now: datetime, check_after_days: int) -> "OrganisersBoard":
        """Every item, hidden ones too: first those nobody has confirmed for longer than
        `check_after_days` (the longest unconfirmed first), then by urgency and category."""
        query = (
            select(cls)
            .join(cls.category)
            .options(selectinload(cls.site), selectinload(cls.category))
            .order_by(Category.position, Category.name, cls.position, cls.name)
        )
        needs = list(db.session.scalars(query))
        stale = sorted(
            (need for need in needs if need.needs_a_look(now, check_after_days)),
            key=lambda need: need.checked_at,
        )
        fresh = [need for need in needs if need not in stale]
        return OrganisersBoard(stale, NeedsBoard.from_needs(fresh).sections, check_after_days)

    @classmethod
    def count_needing_a_look(cls, now: datetime, check_after_days: int) -> int:
        cutoff = now - timedelta(days=check_after_days)
        return db.session.scalar(select(func.count()).where(cls.checked_at < cutoff))

    @classmethod
    def count_by_urgency(cls) -> dict[Urgency, int]:
        """How many items of each urgency exist, shown or hidden."""
        rows = db.session.execute(select(cls.urgency, func.count()).group_by(cls.urgency))
        counts = dict.fromkeys(Urgency, 0)
        counts.update({Urgency(urgency): count for urgency, count in rows})
        return counts


@dataclass
class BoardSection:
    urgency: Urgency
    groups: list[tuple[Category, list[Need]]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(needs) for _, needs in self.groups)


@dataclass
class NeedsBoard:
    """The public needs list: one section per urgency, grouped by category."""

    sections: list[BoardSection]

    @classmethod
    def from_needs(cls, needs: list[Need]) -> "NeedsBoard":
        sections = []
        for urgency in Urgency:
            of_urgency = [need for need in needs if need.urgency == urgency]
            groups = [
                (category, list(items))
                for category, items in groupby(of_urgency, key=lambda need: need.category)
            ]
            sections.append(BoardSection(urgency, groups))
        return cls(sections)

    def section(self, urgency: Urgency) -> BoardSection:
        return next(section for section in self.sections if section.urgency == urgency)

    @cached_property  # asked once per item by the needs page: worked out once
    def checked_at(self) -> datetime | None:
        """When an organiser last confirmed an item on the list: "list checked"."""
        return max((need.checked_at for need in self.needs), default=None)

    @property
    def needs(self) -> list[Need]:
        return self.needs_of(*Urgency)

    def needs_of(self, *urgencies: Urgency) -> list[Need]:
        """The items of these sections, in the board's order: the short lists (the share
        message, the embed, the poster, the share image) name the urgent, then the needed."""
        return [
            need
            for urgency in urgencies
            for _category, needs in self.section(urgency).groups
            for need in needs
        ]

    @property
    def is_empty(self) -> bool:
        return all(section.count == 0 for section in self.sections)


@dataclass
class OrganisersBoard:
    """The phone board: the items that need a look first, then the usual sections."""

    needing_a_look: list[Need]
    sections: list[BoardSection]
    check_after_days: int
