"""`flask db migrate` with one extra column on the categories model, in a process of its own.

    python -m tests.migrate_extra_column DIRECTORY MESSAGE [SERVER_DEFAULT]
    python -m tests.migrate_extra_column DIRECTORY MESSAGE --require TABLE.COLUMN

The column is a NOT NULL string, with SERVER_DEFAULT as its server default when given; or,
with --require, an existing nullable column becomes NOT NULL instead. The
database configuration comes as JSON in NEEDS_NOW_TEST_DATABASE. A process of its own, so the
column never reaches the metadata the other tests share. Exits as `flask db migrate` does:
1, with the error logged, when it refuses.
"""

import json
import os
import sys

import sqlalchemy as sa
from flask_migrate import migrate

from app.extensions import db
from tests.apps import make_app


def main(directory: str, message: str, *options: str) -> None:
    app = make_app(json.loads(os.environ["NEEDS_NOW_TEST_DATABASE"]))
    if options[:1] == ("--require",):
        table, column = options[1].split(".")
        db.metadata.tables[table].c[column].nullable = False
    else:
        server_default = options[0] if options else None
        db.metadata.tables["categories"].append_column(
            sa.Column("nickname", sa.String(40), nullable=False, server_default=server_default)
        )
    with app.app_context():
        migrate(directory=directory, message=message)


if __name__ == "__main__":
    main(*sys.argv[1:])
