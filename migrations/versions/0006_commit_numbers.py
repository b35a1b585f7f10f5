"""Commit numbers in the change history: the content version follows commit order.

A change's id is handed out when it is written, not when its transaction
commits, so on PostgreSQL a change can commit after one with a higher id and
be missed by anything that remembers "the newest id". Each history entry now
also carries the number of the commit that made it, given in commit order.
Existing entries take their id (they are all committed).

Revision ID: 0006_commit_numbers
Revises: 0005_history
Create Date: 2026-11-27 06:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_commit_numbers"
down_revision = "0005_history"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("commit_number", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_changes_commit_number"), ["commit_number"], unique=False
        )
    op.execute("UPDATE changes SET commit_number = id")


def downgrade():
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_changes_commit_number"))
        batch_op.drop_column("commit_number")
