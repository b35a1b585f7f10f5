"""Routes' colours from a colour-blind-safe palette (Okabe and Ito's, app/maps.py): each
existing route's colour moves onto it. The demo's old colours go to the colours the demo now
gives the same routes; any other colour to the palette's nearest (by distance in RGB). The
admin offers only the palette's colours from now on. Data only: the column is unchanged.

Downgrade does nothing: the old colours are not kept, and the palette's are valid colours
for the old code too.

Revision ID: 0011_route_palette
Revises: 0010_translations
Create Date: 2026-11-27 18:30:00
"""

import math

import sqlalchemy as sa
from alembic import op

revision = "0011_route_palette"
down_revision = "0010_translations"
branch_labels = None
depends_on = None

# As app/maps.py had it when this was written.
PALETTE = (
    "#0072b2",
    "#d55e00",
    "#009e73",
    "#cc79a7",
    "#e69f00",
    "#56b4e9",
    "#000000",
    "#f0e442",
)
# The demo routes' colours before, and the palette colours the demo gives them now (two old
# blues that nearly matched go to two colours far apart).
DEMO_COLOURS = {
    "#7b3294": "#cc79a7",  # Afghanistan to Iran
    "#c2185b": "#e69f00",  # Iran to Türkiye
    "#1f78b4": "#0072b2",  # Eastern Mediterranean
    "#33a02c": "#009e73",  # Western Balkans
    "#e66101": "#f0e442",  # Sahara Desert crossing
    "#2c7fb8": "#56b4e9",  # Central Mediterranean
    "#b15928": "#000000",  # Italy to France
    "#b3261e": "#d55e00",  # English Channel to the UK
}


def rgb(colour: str) -> tuple[int, int, int] | None:
    text = (colour or "").strip().lower().removeprefix("#")
    if len(text) == 3:
        text = "".join(digit * 2 for digit in text)
    try:
        return tuple(bytes.fromhex(text)) if len(text) == 6 else None
    except ValueError:
        return None


def palette_colour(colour: str) -> str:
    """The palette colour an old colour becomes; the first (blue) for one that is no colour."""
    value = (colour or "").strip().lower()
    if value in PALETTE:
        return value
    if value in DEMO_COLOURS:
        return DEMO_COLOURS[value]
    old = rgb(value)
    if old is None:
        return PALETTE[0]
    return min(PALETTE, key=lambda new: math.dist(old, rgb(new)))


def upgrade():
    connection = op.get_bind()
    routes = sa.table("routes", sa.column("id", sa.Integer), sa.column("colour", sa.String))
    for id_, colour in connection.execute(sa.select(routes.c.id, routes.c.colour)).all():
        new = palette_colour(colour)
        if new != colour:
            connection.execute(routes.update().where(routes.c.id == id_).values(colour=new))


def downgrade():
    pass  # the old colours are not kept; the palette's are valid colours for the old code
