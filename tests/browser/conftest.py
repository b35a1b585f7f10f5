"""Real headless Chromium (Debian's), driven by Playwright, against a live server.

No browser or Playwright: these tests skip with the reason locally and fail in CI.
"""

import os
from pathlib import Path

import pytest

from app.extensions import db
from tests.apps import create_database, make_app, unavailable
from tests.browser.chromium import CHROMIUM_ARGS, PHONE, chromium_path
from tests.servers import DidNotStart, Gunicorn


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        unavailable("Chromium is not installed (Debian package 'chromium'; or set CHROMIUM_PATH)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class LiveServer:
    """The site served by gunicorn, as in production, on a database of its own.

    Tests put data in through `app` (same database) and browse `url`.
    """

    def __init__(self, database_url: str, config: dict, log: Path):
        self.app = make_app(config)
        self.reset_database()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "browser",
            "PAGE_CACHE_REFRESH": "0",
        }
        try:
            self.server = Gunicorn("wsgi:app", env, workers=2, log=log)
        except DidNotStart:
            self.dispose()
            raise
        self.url = self.server.url

    def reset_database(self) -> None:
        create_database(self.app)

    def stop(self) -> None:
        self.server.stop()
        self.dispose()

    def dispose(self) -> None:
        with self.app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def live_server(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("live")
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'live.sqlite'}"
        server = LiveServer(url, {"SQLALCHEMY_DATABASE_URI": url}, folder / "gunicorn.log")
    else:
        postgres = request.getfixturevalue("postgres_server")
        schema = postgres.fresh_schema()
        url = f"{postgres.url}?options=-csearch_path%3D{schema}"
        server = LiveServer(url, postgres.config(schema), folder / "gunicorn.log")
        request.addfinalizer(lambda: postgres.drop_schema(schema))
    yield server
    server.stop()


@pytest.fixture
def live_app(live_server):
    """The live server's app, with an empty database for this test."""
    live_server.reset_database()
    return live_server.app


@pytest.fixture
def context(browser):
    context = browser.new_context(**PHONE)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and page.csp_violations.append(f"{page.url}: {message.text}")
        ),
    )
    return page
