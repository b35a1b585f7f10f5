"""What supporters read besides the needs and the routes: pages, report-backs (news), images.

A page may not take an address the site itself uses: app/addresses.py derives them.
"""

from datetime import datetime

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.history import Versioned
from app.models.translations import Translated
from app.models.types import UTCDateTime, utcnow

NEWS_PER_PAGE = 10


class Image(Translated, Versioned, db.Model):
    """A re-encoded, metadata-free image that organisers uploaded."""

    __tablename__ = "images"
    TRANSLATED = ("alt_text",)

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(80), unique=True)
    alt_text: Mapped[str] = mapped_column(String(300))
    width: Mapped[int]
    height: Mapped[int]
    content_type: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __str__(self) -> str:
        return self.alt_text

    @property
    def path(self) -> str:
        return f"/media/{self.filename}"

    @property
    def markdown(self) -> str:
        """What an organiser pastes into a page or post to show this image."""
        return f"![{self.alt_text}]({self.path})"

    @classmethod
    def by_filename(cls, filename: str) -> "Image | None":
        return db.session.scalar(select(cls).where(cls.filename == filename))


class Page(Translated, Versioned, db.Model):
    __tablename__ = "pages"
    TRANSLATED = ("title", "description", "body")

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(150))
    description: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    is_published: Mapped[bool] = mapped_column(default=False)
    # Shown in the site's navigation, in this order, when set.
    nav_position: Mapped[int | None]
    image_id: Mapped[int | None] = mapped_column(ForeignKey("images.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    image: Mapped[Image | None] = relationship()

    def __str__(self) -> str:
        return self.title

    @classmethod
    def published(cls) -> list["Page"]:
        return list(db.session.scalars(select(cls).where(cls.is_published).order_by(cls.title)))

    @classmethod
    def published_by_slug(cls, slug: str) -> "Page | None":
        return db.session.scalar(select(cls).where(cls.slug == slug, cls.is_published))

    @classmethod
    def in_navigation(cls) -> list["NavigationLink"]:
        """The navigation's pages: only what it shows (address, title and the title's
        translations), so that editing a page's text does not change the navigation of
        every other page (the mirror). The translations column holds the other fields'
        translations too: editing those does."""
        query = (
            select(cls.slug, cls.title, cls.translations)
            .where(cls.is_published, cls.nav_position.is_not(None))
            .order_by(cls.nav_position, cls.title)
        )
        return [NavigationLink(*row) for row in db.session.execute(query)]


class NavigationLink(Translated):
    """A page as the navigation shows it, not a loaded Page: its address and its title in
    every language (`|tr("title")` reads it like a Page)."""

    TRANSLATED = ("title",)

    def __init__(self, slug: str, title: str, translations: dict | None):
        self.slug, self.title, self.translations = slug, title, translations or {}


class Post(Translated, Versioned, db.Model):
    """A report-back. Hidden while a draft (no date) or until its date arrives."""

    __tablename__ = "posts"
    TRANSLATED = ("title", "summary", "body")

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(150))
    summary: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    author_name: Mapped[str] = mapped_column(String(80), default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    image_id: Mapped[int | None] = mapped_column(ForeignKey("images.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    image: Mapped[Image | None] = relationship()

    def __str__(self) -> str:
        return self.title

    @property
    def last_changed(self) -> datetime:
        """When readers last saw this change: publication, or a later edit."""
        return max(self.updated_at, self.published_at or self.updated_at)

    @classmethod
    def visible_query(cls, now: datetime | None = None):
        now = now or utcnow()
        return (
            select(cls)
            .where(cls.published_at.is_not(None), cls.published_at <= now)
            .order_by(cls.published_at.desc(), cls.id.desc())
        )

    @classmethod
    def newest(cls, limit: int = 20) -> list["Post"]:
        return list(db.session.scalars(cls.visible_query().limit(limit)))

    @classmethod
    def page_of_news(cls, page: int) -> Pagination:
        return db.paginate(cls.visible_query(), page=page, per_page=NEWS_PER_PAGE, error_out=True)

    @classmethod
    def visible_by_slug(cls, slug: str) -> "Post | None":
        return db.session.scalar(cls.visible_query().where(cls.slug == slug))
