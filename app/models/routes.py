"""The routes people take across "Fortress Europe": places, stages, dangers, figures.

The danger vocabulary is defined here once; the admin's checkboxes, the
public pages and the demo content all take it from this module.
"""

from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from app.extensions import db
from app.maps import DEFAULT_COLOUR
from app.models.history import Versioned
from app.models.ordering import Ordered
from app.models.translations import Translated


class Danger(StrEnum):
    drowning = "drowning"
    detention = "detention"
    police_violence = "police_violence"
    pushbacks = "pushbacks"
    cold = "cold"
    desert = "desert"
    mountains = "mountains"
    armed_forces = "armed_forces"
    smugglers = "smugglers"

    @property
    def label(self) -> str:
        return _DANGER_LABELS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(danger.value, danger.label) for danger in cls]


_DANGER_LABELS = {
    Danger.drowning: _l("Drowning"),
    Danger.detention: _l("Detention"),
    Danger.police_violence: _l("Police violence"),
    Danger.pushbacks: _l("Pushbacks"),
    Danger.cold: _l("Cold and exposure"),
    Danger.desert: _l("Desert crossing"),
    Danger.mountains: _l("Mountains"),
    Danger.armed_forces: _l("Violence by armed forces"),
    Danger.smugglers: _l("Smugglers’ abuse"),
}


class Place(Translated, Versioned, db.Model):
    __tablename__ = "places"
    TRANSLATED = ("name", "country")
    __table_args__ = (
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(80), default="")
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)

    def __str__(self) -> str:
        return f"{self.name}, {self.country}" if self.country else self.name


class Route(Translated, Versioned, db.Model):
    __tablename__ = "routes"
    TRANSLATED = ("name", "summary", "body")

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    colour: Mapped[str] = mapped_column(String(7), default=DEFAULT_COLOUR)
    position: Mapped[int] = mapped_column(default=0)
    is_published: Mapped[bool] = mapped_column(default=False)

    stages: Mapped[list["Stage"]] = relationship(
        back_populates="route",
        order_by="(Stage.position, Stage.id)",
        cascade="all, delete-orphan",
    )
    figures: Mapped[list["Figure"]] = relationship(
        back_populates="route",
        order_by="(Figure.position, Figure.id)",
        cascade="all, delete-orphan",
    )

    def __str__(self) -> str:
        return self.name

    @classmethod
    def published(cls) -> list["Route"]:
        query = (
            select(cls)
            .where(cls.is_published)
            .order_by(cls.position, cls.name)
            .options(
                selectinload(cls.stages).selectinload(Stage.from_place),
                selectinload(cls.stages).selectinload(Stage.to_place),
                selectinload(cls.stages).selectinload(Stage.figures),
                selectinload(cls.figures),
            )
        )
        return list(db.session.scalars(query))


class Stage(Translated, Ordered, Versioned, db.Model):
    __tablename__ = "stages"
    TRANSLATED = ("travel", "narrative")
    sibling_keys = ("route_id",)

    id: Mapped[int] = mapped_column(primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("routes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    from_place_id: Mapped[int] = mapped_column(ForeignKey("places.id", ondelete="RESTRICT"))
    to_place_id: Mapped[int] = mapped_column(ForeignKey("places.id", ondelete="RESTRICT"))
    travel: Mapped[str] = mapped_column(String(160), default="")
    # A list of Danger values; JSON behaves the same on SQLite and PostgreSQL.
    dangers: Mapped[list[str]] = mapped_column(JSON, default=list)
    narrative: Mapped[str] = mapped_column(Text, default="")

    route: Mapped[Route] = relationship(back_populates="stages")
    from_place: Mapped[Place] = relationship(foreign_keys=[from_place_id])
    to_place: Mapped[Place] = relationship(foreign_keys=[to_place_id])
    figures: Mapped[list["Figure"]] = relationship(
        back_populates="stage",
        order_by="(Figure.position, Figure.id)",
        cascade="all, delete-orphan",
    )

    def __str__(self) -> str:
        # Places may not be loaded yet on a stage just created from ids.
        start = (
            self.from_place.name if self.from_place else _("place %(id)s", id=self.from_place_id)
        )
        end = self.to_place.name if self.to_place else _("place %(id)s", id=self.to_place_id)
        return f"{start} → {end}"

    @property
    def danger_list(self) -> list[Danger]:
        return [Danger(value) for value in self.dangers or [] if value in Danger.__members__]


class Figure(Translated, Versioned, db.Model):
    """A number with its source: belongs to exactly one route or one stage."""

    __tablename__ = "figures"
    TRANSLATED = ("label", "unit", "period", "source_name")
    __table_args__ = (
        CheckConstraint(
            "(route_id IS NULL AND stage_id IS NOT NULL)"
            " OR (route_id IS NOT NULL AND stage_id IS NULL)",
            name="one_owner",
        ),
        CheckConstraint("source_name <> '' AND source_url <> ''", name="has_source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    route_id: Mapped[int | None] = mapped_column(ForeignKey("routes.id", ondelete="CASCADE"))
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(200))
    value: Mapped[int]
    unit: Mapped[str] = mapped_column(String(40), default="")
    period: Mapped[str] = mapped_column(String(60), default="")
    source_name: Mapped[str] = mapped_column(String(200))
    source_url: Mapped[str] = mapped_column(String(500))
    is_minimum: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    route: Mapped[Route | None] = relationship(back_populates="figures")
    stage: Mapped[Stage | None] = relationship(back_populates="figures")

    def __str__(self) -> str:
        return self.label
