"""Command-line tasks: `flask --app wsgi users create …`, `demo load`."""

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from app.backup import BackupError, import_data, read_backup, write_backup
from app.demo import database_has_content, load_demo_content
from app.extensions import db
from app.mirror import MirrorUnavailable, build_mirror
from app.models import Role, User
from app.models.users import email_problem, normalise_email, password_problem

users_cli = AppGroup("users", help="Manage organisers' accounts.")
demo_cli = AppGroup("demo", help="Demo content for trying the site out.")
backup_cli = AppGroup("backup", help="Export everything to one JSON file, or import it.")
mirror_cli = AppGroup("mirror", help="The public site as static files.")


def fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def read_new_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = click.prompt("Password", hide_input=True, default="", show_default=False)
    second = click.prompt("Repeat password", hide_input=True, default="", show_default=False)
    if first != second:
        fail("the two passwords do not match; nothing was saved.")
    return first


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--name", "display_name", help="Name shown to other organisers.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email: str, role: str, display_name: str | None, password_stdin: bool) -> None:
    """Create an account that can log in to /admin."""
    email = normalise_email(email)
    problem = email_problem(email)
    if problem:
        fail(f"“{email}”: {problem} Nothing was saved.")
    if User.by_email(email):
        fail(f"an account for {email} already exists; nothing was saved.")
    password = read_new_password(password_stdin)
    problem = password_problem(password)
    if problem:
        fail(f"{problem} Nothing was saved.")
    user = User(email=email, display_name=display_name or email.split("@")[0], role=Role(role))
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created {role} {email}. They can log in at /login.")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Only load into a database with no content.")
def load_demo(if_empty: bool) -> None:
    """Add the demo content that is not there yet (running it twice changes nothing)."""

    if if_empty and database_has_content():
        click.echo("The database already has content; demo content not loaded.")
        return
    added = load_demo_content()
    db.session.commit()
    click.echo(f"Demo content loaded: {added} record(s) added.")


# FILE is checked by app.backup, not by click: every refusal is then one line.
@backup_cli.command("export")
@click.argument("file", type=click.Path(path_type=Path))
def export_backup(file: Path) -> None:
    """Write all content, users, history and images to FILE (readable by you only)."""

    try:
        counts = write_backup(file)
    except BackupError as problem:
        fail(str(problem))
    click.echo(
        f"Wrote {file}: {sum(counts.values())} rows. It holds password hashes: keep it safe."
    )


@backup_cli.command("import")
@click.argument("file", type=click.Path(path_type=Path))
def import_backup(file: Path) -> None:
    """Load FILE into this (empty) database."""

    try:
        counts = import_data(read_backup(file))
    except BackupError as problem:
        fail(str(problem))
    click.echo(f"Imported {sum(counts.values())} rows from {file}.")


@mirror_cli.command("build")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--full", is_flag=True, help="Render every page, not only what changed.")
def build_mirror_command(directory: Path, full: bool) -> None:
    """Write the public site as static files; DIRECTORY becomes a link to the build.

    Only pages that changed since the last build are rendered again, unless
    --full is given or the site's code or settings changed.
    """

    try:
        result = build_mirror(directory, full=full)
    except ValueError as problem:
        fail(str(problem))
    except MirrorUnavailable as problem:
        fail(f"the site could not be rendered ({problem}); the mirror was left as it was.")
    if not result.changed:
        click.echo(f"The mirror at {directory} is already current ({result.files} addresses).")
        return
    kind = "full build" if result.full else "changes only"
    click.echo(
        f"Mirror of {result.files} addresses at {directory} (→ {result.build.name}; {kind}: "
        f"{result.rendered} rendered, {result.written} files written)."
    )


def register_cli(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(mirror_cli)
