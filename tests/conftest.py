"""Fixtures: an app per test on SQLite and, when DATABASE_URL names PostgreSQL, on PostgreSQL.

A missing PostgreSQL server skips those tests locally with the reason; in CI
(CI=true) it fails the run instead, so the PostgreSQL tests cannot silently vanish.
"""

import os
import re
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.config import normalise_database_url
from app.extensions import db
from app.models import Role, Settings, User

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PASSWORD = "correct horse battery staple"


def unavailable(reason: str):
    """Skip locally, fail in CI."""
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)", pytrace=False)
    pytest.skip(reason)


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql")):
        return normalise_database_url(url)
    return None


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashing():
    """Cheaper Argon2 parameters for tests: ~1 ms instead of ~100 ms a hash.

    The production parameters are asserted once, in test_models_users.py.
    """
    from argon2 import PasswordHasher

    from app.models import users

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


class PostgresServer:
    def __init__(self, engine, url: str, schema: str):
        self.engine = engine
        self.url = url
        self.schema = schema

    def config(self, schema: str | None = None) -> dict:
        return {
            "SQLALCHEMY_DATABASE_URI": self.url,
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "pool_pre_ping": True,
                "connect_args": {"options": f"-csearch_path={schema or self.schema}"},
            },
        }

    def fresh_schema(self) -> str:
        schema = f"needs_now_test_{uuid.uuid4().hex[:10]}"
        with self.engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        return schema

    def drop_schema(self, schema: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_config(request) -> dict:
    if request.param == "sqlite":
        return {"SQLALCHEMY_DATABASE_URI": "sqlite://"}
    return request.getfixturevalue("postgres_server").config()


def make_app(database_config: dict, **extra):
    # The page cache is on, as in production, but checks for changes on every
    # request, so a test sees its own changes at once (test_page_cache.py tests
    # the real freshness bound).
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "PAGE_CACHE_REFRESH": 0.0,
            **database_config,
            **extra,
        }
    )


def create_database(app) -> None:
    """Tables as the models describe them, and the settings row the migration creates."""
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.create_all()
        db.session.add(Settings.current())
        db.session.commit()


def drop_database(app) -> None:
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app(database_config, tmp_path):
    app = make_app(database_config, MEDIA_DIR=str(tmp_path / "media"))
    create_database(app)
    # Requests must not share this context (Flask-Login caches the user in it).
    yield app
    drop_database(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


CSRF_PATTERN = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)


def csrf_token_from(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1) or match.group(2)


def create_user(app, role=Role.organiser, email=None, password=PASSWORD, **fields) -> int:
    email = email or f"{role.value}-{uuid.uuid4().hex[:6]}@example.org"
    with app.app_context():
        user = User(
            email=email,
            display_name=fields.pop("display_name", email.split("@")[0]),
            role=role,
            **fields,
        )
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user.id


class AuthActions:
    """Log in and out as a user would, through the login form."""

    def __init__(self, app, client):
        self.app = app
        self.client = client

    def login(self, email: str, password: str = PASSWORD, next_path: str | None = None):
        url = "/login" + (f"?next={next_path}" if next_path else "")
        token = csrf_token_from(self.client.get(url).get_data(as_text=True))
        return self.client.post(
            url, data={"email": email, "password": password, "csrf_token": token}
        )

    def login_as(self, role: Role = Role.organiser, **fields) -> int:
        email = fields.pop("email", None) or f"{role.value}-{uuid.uuid4().hex[:6]}@example.org"
        user_id = create_user(self.app, role=role, email=email, **fields)
        response = self.login(email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user_id

    def logout(self):
        token = csrf_token_from(self.client.get("/admin/").get_data(as_text=True))
        return self.client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def auth(app, client):
    return AuthActions(app, client)
