"""Remove the control characters that text pasted from PDFs and word processors brought in, and
that made the feeds invalid XML: from now on they are removed as text is set (app/models/text.py).

Revision ID: 0009_clean_text
Revises: 0008_login_sessions
Create Date: 2026-11-27 08:10:00
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0009_clean_text"
down_revision = "0008_login_sessions"
branch_labels = None
depends_on = None


# As app/models/text.py had it when this was written: everything XML 1.0 refuses.
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean_text(value):
    return UNSTORABLE.sub("", value) if isinstance(value, str) else value


def upgrade():
    connection = op.get_bind()
    metadata = sa.MetaData()
    metadata.reflect(connection)
    for table in metadata.sorted_tables:
        texts = [column for column in table.columns if isinstance(column.type, sa.String)]
        keys = list(table.primary_key.columns)
        if not texts or not keys:
            continue
        for row in connection.execute(sa.select(*keys, *texts)).mappings():
            cleaned = {column.name: clean_text(row[column.name]) for column in texts}
            changed = {name: value for name, value in cleaned.items() if value != row[name]}
            if changed:
                match = [key == row[key.name] for key in keys]
                connection.execute(table.update().where(*match).values(**changed))


def downgrade():
    pass  # the removed characters were never visible, and are not put back
