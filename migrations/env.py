"""Alembic environment for Flask-Migrate with Flask-SQLAlchemy 3.

Uses the app's own engine (so DATABASE_URL and engine options such as a
PostgreSQL search_path apply to migrations too), and batch mode so that
SQLite can alter tables.
"""

import logging
import re
from logging.config import fileConfig

from alembic import context
from alembic.operations import ops
from alembic.util import CommandError
from flask import current_app
from sqlalchemy.types import TypeDecorator

config = context.config
# Keep the app's own loggers working after a migration runs.
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
config.set_main_option(
    "sqlalchemy.url",
    target_db.engine.url.render_as_string(hide_password=False).replace("%", "%%"),
)


def run_migrations_offline():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_db.metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def render_item(type_, obj, autogen_context):
    """Write our column types (e.g. UTCDateTime) as the plain types they store."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{type(obj.impl).__name__}()"
    return False


def operations(container, kind):
    """Every operation of a kind in the operations, tables' batches included."""
    for operation in container.ops:
        if isinstance(operation, kind):
            yield operation
        elif isinstance(operation, ops.OpContainer):
            yield from operations(operation, kind)


def added_columns(container):
    """Every column the operations add to a table that exists (new tables are CreateTableOp)."""
    for operation in operations(container, ops.AddColumnOp):
        yield operation.table_name, operation.column


def refuse_not_null_without_default(script):
    """Existing rows need a value for a column that becomes NOT NULL, or the upgrade fails on
    them: a new column needs a server default; an existing one must be filled first, which
    autogenerate cannot write."""
    for upgrade_ops in script.upgrade_ops_list:
        for table_name, column in added_columns(upgrade_ops):
            if not column.nullable and column.server_default is None:
                raise CommandError(
                    f"{table_name}.{column.name} is NOT NULL with no server default, so the "
                    "migration would fail on a table with rows: add server_default= to the "
                    "model (docs/architecture.md, The rules)"
                )
        for alter in operations(upgrade_ops, ops.AlterColumnOp):
            if alter.modify_nullable is False and alter.existing_nullable is not False:
                raise CommandError(
                    f"{alter.table_name}.{alter.column_name} becomes NOT NULL, so the migration "
                    "would fail on rows where it is empty: write it by hand (flask db revision "
                    '-m "…"), filling the column before making it NOT NULL, as '
                    "0007_checked_and_received does"
                )


def number_the_revision(migration_context, script):
    """Name a new revision 000N_slug (file and id), unless --rev-id gave one."""
    revision_context = migration_context.opts.get("revision_context")
    if revision_context is None or revision_context.command_args.get("rev_id"):
        return
    if not script.message:
        raise CommandError('say what the revision does: -m "add thing"')
    numbers = [
        int(match.group(1))
        for revision in migration_context.opts["script"].walk_revisions()
        if (match := re.match(r"(\d+)_", revision.revision))
    ]
    # Alembic's slug rule (ScriptDirectory._rev_path); alembic.ini's file_template is the id alone.
    slug = "_".join(re.findall(r"\w+", script.message)).lower()
    if len(slug) > 40:
        slug = slug[:40].rsplit("_", 1)[0]
    script.rev_id = f"{max(numbers, default=0) + 1:04d}_{slug}"


def run_migrations_online():
    def process_revision_directives(migration_context, revision, directives):
        script = directives[0]
        if getattr(config.cmd_opts, "autogenerate", False):
            # Do not write an empty revision when the models did not change.
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")
                return
            refuse_not_null_without_default(script)
        number_the_revision(migration_context, script)

    configure_args = current_app.extensions["migrate"].configure_args
    configure_args.setdefault("process_revision_directives", process_revision_directives)
    configure_args.setdefault("render_item", render_item)

    with target_db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table by copying it and dropping the old one. With foreign
            # keys enforced (app/extensions.py), dropping it would delete or null the rows that
            # refer to it, or fail. The pragma only works outside a transaction.
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
            connection.commit()
            # Python's sqlite3 runs CREATE, DROP and ALTER outside any transaction, so an
            # upgrade that failed half-way left its half behind (a _alembic_tmp_ table, and
            # every later attempt failing on it). Here SQLite is told BEGIN itself, and the
            # whole upgrade commits or rolls back as one.
            driver_connection = connection.connection.dbapi_connection
            isolation_level = driver_connection.isolation_level
            driver_connection.isolation_level = None
        try:
            context.configure(
                connection=connection, target_metadata=target_db.metadata, **configure_args
            )
            with context.begin_transaction():
                if sqlite:
                    connection.exec_driver_sql("BEGIN")
                context.run_migrations()
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise CommandError("the migration left rows that refer to missing rows")
        finally:
            if sqlite:
                connection.rollback()
                driver_connection.isolation_level = isolation_level
                connection.exec_driver_sql("PRAGMA foreign_keys = ON")
                connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
