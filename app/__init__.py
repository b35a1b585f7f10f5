"""Needs Now: tells the public, every day, what a solidarity group needs and why."""

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import models  # noqa: F401  (the models must be known to Alembic)
from app.admin import init_admin
from app.admin.auth import bp as auth_bp
from app.assets import register_static_files as register_assets
from app.cache import install_page_cache
from app.cli import register_cli
from app.config import settings_from_environment
from app.dates import register_date_filters
from app.errors import register_error_pages
from app.extensions import csrf, db, login_manager, migrate
from app.languages import SiteFlask, init_languages, register_public_blueprint
from app.markdown import register_markdown_filter
from app.mirror import init_mirror
from app.public import bp as public_bp
from app.public import site_bp
from app.security import install_site_address, register_security_headers
from app.site_context import register_site_context
from app.throttle import init_throttle


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: a table of contents of small named steps."""
    app = SiteFlask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(settings_from_environment(app.instance_path, overrides=test_config))

    register_extensions(app)
    register_static_files(app)
    register_blueprints(app)
    register_admin(app)
    register_commands(app)
    register_errorhandlers(app)
    register_security(app)
    register_page_cache(app)
    check_the_host(app)  # in front of the cache, which keys pages by scheme and host
    trust_proxies(app)  # outermost: the cache must see the corrected scheme and host
    start_mirror_watcher(app)  # last: it renders pages, so the app must be complete
    return app


def start_mirror_watcher(app: Flask) -> None:
    if "mirror" in app.extensions:
        app.extensions["mirror"].start()


def register_page_cache(app: Flask) -> None:
    if app.config["PAGE_CACHE"]:
        install_page_cache(app)


def check_the_host(app: Flask) -> None:

    install_site_address(app)


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES proxies, take the scheme and host they pass on."""
    count = app.config["TRUSTED_PROXIES"]
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_extensions(app: Flask) -> None:

    db.init_app(app)
    migrations = os.path.join(os.path.dirname(app.root_path), "migrations")
    migrate.init_app(app, db, directory=migrations, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    init_languages(app)
    init_throttle(app)
    init_mirror(app)


def register_static_files(app: Flask) -> None:

    register_assets(app)


def register_blueprints(app: Flask) -> None:

    register_public_blueprint(app, public_bp)  # once per language: /needs, /fr/needs
    app.register_blueprint(site_bp)  # the same in every language: sitemap, robots, media
    app.register_blueprint(auth_bp)
    register_date_filters(app)
    register_markdown_filter(app)
    register_site_context(app)


def register_admin(app: Flask) -> None:

    init_admin(app)


def register_commands(app: Flask) -> None:

    register_cli(app)


def register_errorhandlers(app: Flask) -> None:

    register_error_pages(app)


def register_security(app: Flask) -> None:

    register_security_headers(app)
