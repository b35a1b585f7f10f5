"""Needs: when an organiser last confirmed each item, and how many have arrived; the setting
for how old a confirmation may get before the board asks for a look.

Revision ID: 0007_checked_and_received
Revises: 0006_commit_numbers
Create Date: 2026-11-27 06:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_checked_and_received"
down_revision = "0006_commit_numbers"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checked_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("received", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_check_constraint(op.f("ck_needs_received_not_negative"), "received >= 0")
    # Until now an item was last confirmed when it was last changed.
    op.execute("UPDATE needs SET checked_at = updated_at")
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.alter_column("checked_at", existing_type=sa.DateTime(), nullable=False)
    with op.batch_alter_table("settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("check_after_days", sa.Integer(), nullable=False, server_default="7")
        )
        batch_op.create_check_constraint(
            op.f("ck_settings_check_after_days_range"), "check_after_days BETWEEN 1 AND 365"
        )


def downgrade():
    with op.batch_alter_table("settings", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_settings_check_after_days_range"), type_="check")
        batch_op.drop_column("check_after_days")
    with op.batch_alter_table("needs", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_needs_received_not_negative"), type_="check")
        batch_op.drop_column("received")
        batch_op.drop_column("checked_at")
