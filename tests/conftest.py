"""Fixtures: an app per test on SQLite and, when DATABASE_URL names PostgreSQL, on PostgreSQL.

Plain helpers that tests import live in modules beside this one: apps.py (apps and
databases), accounts.py (users, logging in), pages.py (CSRF tokens, HTML) and
builders.py (records). Tests never import this file.
"""

import gc
import uuid

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from app.models import Role, users
from tests.accounts import AuthActions
from tests.apps import (
    PostgresServer,
    create_database,
    drop_database,
    make_app,
    postgres_url,
    reuse_url_builders,
    unavailable,
)


def pytest_configure(config):
    """Python's cycle collector, less often: every test makes and drops an app (thousands of
    objects), and with the default thresholds the collector walks the whole heap again and
    again; with these the suite runs some 15% faster. Memory is still freed as it is
    released (reference counting); only reference cycles wait a little longer."""
    gc.set_threshold(20_000, 50, 1_000)


@pytest.fixture(scope="session", autouse=True)
def quick_url_builders():
    """Each kind of route's URL builder compiled once, not once per app (tests/apps.py)."""
    with pytest.MonkeyPatch.context() as patch:
        reuse_url_builders(patch)
        yield


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashing():
    """Cheaper Argon2 parameters for tests: ~1 ms instead of ~100 ms a hash.

    The production parameters are asserted once, in test_models_users.py.
    """
    quick = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "_hasher", quick)
        patch.setattr(users, "_DUMMY_HASH", quick.hash("dummy"))
        yield


@pytest.fixture(scope="session")
def postgres_server():
    """A schema of our own in the PostgreSQL database that DATABASE_URL names."""
    url = postgres_url()
    if url is None:
        unavailable("DATABASE_URL does not name a PostgreSQL database")
    engine = create_engine(url)
    schema = f"needs_now_test_{uuid.uuid4().hex[:10]}"
    try:
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as error:
        engine.dispose()
        unavailable(f"PostgreSQL is not reachable at DATABASE_URL: {error.orig}")
    yield PostgresServer(engine, url, schema)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_config(request) -> dict:
    if request.param == "sqlite":
        return {"SQLALCHEMY_DATABASE_URI": "sqlite://"}
    return request.getfixturevalue("postgres_server").config()


@pytest.fixture
def app(database_config, tmp_path):
    app = make_app(database_config, MEDIA_DIR=str(tmp_path / "media"))
    create_database(app)
    # No app context is held open here: requests must not share one (Flask-Login caches
    # the user in it, and a non-admin was once let in as the admin before them).
    yield app
    drop_database(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def auth(app, client):
    return AuthActions(app, client)


@pytest.fixture
def organiser(auth) -> int:
    """Logged in as an organiser; the user's id."""
    return auth.login_as(Role.organiser)
