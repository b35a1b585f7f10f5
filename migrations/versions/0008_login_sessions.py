"""Logins kept on the server (logout ends a session for good) and failed logins counted in the
database (the throttle holds across workers without Redis); failed logins in the history no
longer keep what was typed as the email.

Revision ID: 0008_login_sessions
Revises: 0007_checked_and_received
Create Date: 2026-11-27 07:16:55.367406

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008_login_sessions"
down_revision = "0007_checked_and_received"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_failures_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_failures_key"), ["key"], unique=False)

    op.create_table(
        "login_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_login_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_sessions_token_hash")),
    )
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_sessions_user_id"), ["user_id"], unique=False)

    # Failed logins recorded the typed email, which may be anything, even a
    # password typed in the wrong box: keep only which account it was, if any.
    changes = sa.table(
        "changes",
        sa.column("action", sa.String),
        sa.column("record_id", sa.Integer),
        sa.column("summary", sa.String),
    )
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("display_name", sa.String))
    failed = changes.c.action == "login_failed"
    op.execute(
        changes.update()
        .where(failed, changes.c.record_id.is_(None))
        .values(summary="Failed login (no such account)")
    )
    name = sa.select(users.c.display_name).where(users.c.id == changes.c.record_id)
    op.execute(
        changes.update()
        .where(failed, changes.c.record_id.is_not(None))
        .values(
            summary=sa.func.coalesce("Failed login as " + name.scalar_subquery(), "Failed login")
        )
    )


def downgrade():
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_sessions_user_id"))

    op.drop_table("login_sessions")
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_failures_key"))
        batch_op.drop_index(batch_op.f("ix_login_failures_at"))

    op.drop_table("login_failures")
