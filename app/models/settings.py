"""The group's own settings: one row, edited by organisers in the admin."""

from flask_babel import gettext as _
from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.content import Page
from app.models.history import Versioned
from app.models.routes import Place
from app.models.translations import Translated

SETTINGS_ID = 1


class Settings(Translated, Versioned, db.Model):
    __tablename__ = "settings"
    TRANSLATED = ("tagline", "donate_line", "pause_message", "routes_intro")
    CURRENT_ONLY = ("pause_message",)  # an old reason to pause would mislead donors
    __table_args__ = (
        CheckConstraint("check_after_days BETWEEN 1 AND 365", name="check_after_days_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=SETTINGS_ID)
    group_name: Mapped[str] = mapped_column(String(80), default="Needs Now")
    tagline: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    donate_url: Mapped[str] = mapped_column(String(500), default="")
    donate_line: Mapped[str] = mapped_column(String(200), default="")
    pause_enabled: Mapped[bool] = mapped_column(default=False)
    pause_message: Mapped[str] = mapped_column(Text, default="")
    routes_intro: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The board asks for a look at items nobody has confirmed for longer than this.
    check_after_days: Mapped[int] = mapped_column(default=7, server_default="7")
    # The page that tells people how to come and help: "What you can do" links to it, in the
    # reader's language, while it is published (a page, not a typed address, so the link
    # follows its slug and is never dead).
    volunteer_page_id: Mapped[int | None] = mapped_column(
        ForeignKey("pages.id", ondelete="SET NULL")
    )

    # The group's own place (e.g. Calais): the routes maps name it first, so it is never the
    # name that gives way to another. Deleting the place clears it.
    home_place_id: Mapped[int | None] = mapped_column(ForeignKey("places.id", ondelete="SET NULL"))

    volunteer_page: Mapped[Page | None] = relationship()
    home_place: Mapped[Place | None] = relationship()

    def __str__(self) -> str:
        return _("Site settings")

    @classmethod
    def current(cls) -> "Settings":
        """The settings row; an unsaved default when the database has none yet."""
        return db.session.get(cls, SETTINGS_ID) or cls.defaults()

    @classmethod
    def defaults(cls) -> "Settings":
        return cls(
            id=SETTINGS_ID,
            group_name="Needs Now",
            tagline="",
            contact_email="",
            donate_url="",
            donate_line="",
            pause_enabled=False,
            pause_message="",
            routes_intro="",
            check_after_days=7,
            volunteer_page_id=None,
            home_place_id=None,
            translations={},
        )
