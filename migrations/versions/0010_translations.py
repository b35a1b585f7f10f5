"""Content in more than one language: a translations column on every translatable table
(app/models/translations.py), and each organiser's language for the admin.

A new language needs no migration: its translations go in the same columns.

Revision ID: 0010_translations
Revises: 0009_clean_text
Create Date: 2026-11-27 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_translations"
down_revision = "0009_clean_text"
branch_labels = None
depends_on = None

TRANSLATED_TABLES = (
    "categories",
    "needs",
    "sites",
    "settings",
    "images",
    "pages",
    "posts",
    "places",
    "routes",
    "stages",
    "figures",
)


def upgrade():
    for table in TRANSLATED_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("translations", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
            )
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("language", sa.String(length=8), nullable=False, server_default="")
        )


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
    for table in TRANSLATED_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("translations")
