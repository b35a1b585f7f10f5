"""The site's volunteering page (Settings.volunteer_page_id): the routes pages' "What you can
do" links to it. Empty until an organiser chooses one (the demo chooses "Get involved").

Revision ID: 0012_volunteer_page
Revises: 0011_route_palette
Create Date: 2026-11-27 18:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_volunteer_page"
down_revision = "0011_route_palette"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("settings") as batch:
        batch.add_column(sa.Column("volunteer_page_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_settings_volunteer_page_id_pages"),
            "pages",
            ["volunteer_page_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("settings") as batch:
        batch.drop_constraint(batch.f("fk_settings_volunteer_page_id_pages"), type_="foreignkey")
        batch.drop_column("volunteer_page_id")
