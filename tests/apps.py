"""Apps and databases for tests: the config every test app shares, and its tables.

PostgreSQL is used when DATABASE_URL names it. A missing server skips those tests
locally with the reason; in CI (CI=true) it fails the run instead, so the PostgreSQL
tests cannot silently vanish.
"""

import os
import uuid

import pytest
from sqlalchemy import text
from werkzeug.routing.rules import Rule

from app import create_app
from app.config import normalise_database_url
from app.extensions import db
from app.models import Settings

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


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


COMPILE_BUILDER = Rule._compile_builder  # Werkzeug's own, before reuse_url_builders


def reuse_url_builders(patch) -> None:
    """Werkzeug compiles Python code to build the URLs of every route of every app (the
    admin alone has over 150), and the tests make an app each, over 1,500 times: most of
    the cost of making one. The code depends only on the route's parts, its defaults and
    `append_unknown` (the route itself is passed in as `.self` when it runs), so tests
    compile it once per kind of route. tests/test_addresses.py builds every address of
    the app to check the reused builders give the addresses the compiled ones would."""
    compiled = {}

    def compile_builder(rule, append_unknown=True):
        defaults = tuple(sorted((key, repr(value)) for key, value in (rule.defaults or {}).items()))
        key = (tuple(rule._trace), defaults, append_unknown)
        if key not in compiled:
            compiled[key] = COMPILE_BUILDER(rule, append_unknown)
        return compiled[key]

    patch.setattr(Rule, "_compile_builder", compile_builder)


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
