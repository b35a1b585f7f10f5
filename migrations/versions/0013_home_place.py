"""The group's own place (Settings.home_place_id): the routes maps name it first. Empty until
an organiser chooses one (the demo chooses Calais); deleting the place clears it.

Revision ID: 0013_home_place
Revises: 0012_volunteer_page
Create Date: 2026-11-28 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_home_place"
down_revision = "0012_volunteer_page"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("settings") as batch:
        batch.add_column(sa.Column("home_place_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_settings_home_place_id_places"),
            "places",
            ["home_place_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("settings") as batch:
        batch.drop_constraint(batch.f("fk_settings_home_place_id_places"), type_="foreignkey")
        batch.drop_column("home_place_id")
