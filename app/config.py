"""Settings, read from the environment with safe local defaults.

Every setting an operator may change is an environment variable, listed in
the README's configuration table (and in docs/deploy.md for production).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from werkzeug.sansio.utils import host_is_trusted

from app.dates import zone_named
from app.languages import available_languages

PRODUCTION = "production"


def normalise_database_url(url: str) -> str:
    """Pick the psycopg 3 driver for PostgreSQL URLs given in the usual forms."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


# Connections are checked before use (the database may have restarted), and values never
# appear in database error messages, and so in the log: they can be password hashes,
# session tokens or whatever a visitor typed.
ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}

# libpq settings for a PostgreSQL host that stops answering: give up connecting after
# 5 seconds, and on an open connection whose host has gone (data unacknowledged for
# 15 seconds, or 3 keepalive probes unanswered) instead of waiting for minutes.
CONNECTION_TIMEOUTS = {
    "connect_timeout": "5",
    "keepalives": "1",
    "keepalives_idle": "10",
    "keepalives_interval": "5",
    "keepalives_count": "3",
    "tcp_user_timeout": "15000",
}


def with_timeouts(url: str) -> str:
    """A PostgreSQL URL with CONNECTION_TIMEOUTS, except those it sets itself."""
    if not url.startswith("postgresql"):
        return url
    missing = [
        f"{name}={value}" for name, value in CONNECTION_TIMEOUTS.items() if f"{name}=" not in url
    ]
    return f"{url}{'&' if '?' in url else '?'}{'&'.join(missing)}" if missing else url


def instance_secret_key(instance_path: str) -> str:
    """Return the key kept in the instance folder, creating it on first use.

    Only for local use: a key generated once and kept means sessions survive a
    restart without anyone having to invent a secret.
    """
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def trusted_hosts(setting: str | None, site_url: str, production: bool) -> list[str] | None:
    """TRUSTED_HOSTS as a list ("a.org, .b.org" trusts a.org and every name under b.org)."""
    site_host = urlsplit(site_url).hostname
    if not setting:
        return [site_host] if production else None
    names = [name.strip().lower() for name in setting.split(",") if name.strip()]
    if not host_is_trusted(site_host, names):
        raise RuntimeError(
            f"TRUSTED_HOSTS must include the host of SITE_URL ({site_host}): refused "
            "requests are answered under the site's own address"
        )
    return names


def site_languages(setting: str, default: str) -> tuple[tuple[str, ...], str]:
    """LANGUAGES ("en,fr") and DEFAULT_LANGUAGE, checked: each a language the site has
    a catalogue for (app/translations/), the default among them, the default first."""
    languages = tuple(dict.fromkeys(code.strip() for code in setting.split(",") if code.strip()))
    unknown = [code for code in languages if code not in available_languages()]
    if unknown or not languages:
        raise RuntimeError(
            f"LANGUAGES={setting!r}: the site speaks {', '.join(available_languages())}"
            " (a new language needs its catalogue in app/translations/ first)"
        )
    if default not in languages:
        raise RuntimeError(f"DEFAULT_LANGUAGE={default!r} must be one of LANGUAGES={setting!r}")
    return (default, *(code for code in languages if code != default)), default


def settings_from_environment(
    instance_path: str, environ=os.environ, overrides: dict | None = None
) -> dict:
    """Build the Flask config mapping for this process; overrides win (tests)."""
    overrides = overrides or {}
    app_env = overrides.get("APP_ENV") or environ.get("APP_ENV", "development")
    production = app_env == PRODUCTION

    secret_key = overrides.get("SECRET_KEY") or environ.get("SECRET_KEY")
    if not secret_key:
        if production:
            raise RuntimeError(
                "SECRET_KEY must be set when APP_ENV=production: "
                'generate one with: python -c "import secrets; print(secrets.token_hex(32))"'
            )
        secret_key = instance_secret_key(instance_path)

    database_url = environ.get("DATABASE_URL") or (
        "sqlite:///" + str(Path(instance_path) / "needs-now.sqlite")
    )

    site_url = overrides.get("SITE_URL") or environ.get("SITE_URL")
    if production and not site_url:
        raise RuntimeError(
            "SITE_URL must be set when APP_ENV=production: the site's public address, e.g. "
            "https://needs.example.org (every absolute link is built from it)"
        )
    site_url = site_url or "http://localhost"

    time_zone = environ.get("TIMEZONE", "Europe/Paris")
    try:
        zone_named(time_zone)
    except ValueError as problem:
        raise RuntimeError(str(problem)) from None

    languages, default_language = site_languages(
        environ.get("LANGUAGES", "en,fr"), environ.get("DEFAULT_LANGUAGE", "en")
    )

    settings = {
        "APP_ENV": app_env,
        # The public site in each language: the default at /, the others under /<code>/.
        "LANGUAGES": languages,
        "DEFAULT_LANGUAGE": default_language,
        # Dates on the public board ("needed until", "updated today") are the
        # group's local dates, not the server's.
        "TIMEZONE": time_zone,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": with_timeouts(normalise_database_url(database_url)),
        "SQLALCHEMY_ENGINE_OPTIONS": ENGINE_OPTIONS,
        "REDIS_URL": environ.get("REDIS_URL"),
        # Public pages are served from memory until the content changes; each
        # worker looks for changes at most this often (the freshness bound).
        "PAGE_CACHE": environ.get("PAGE_CACHE", "on") != "off",
        # Where the static mirror of the public site is kept up to date, if anywhere,
        # and the site's public address, for the mirror's absolute links.
        "MIRROR_DIR": environ.get("MIRROR_DIR"),
        "SITE_URL": site_url,
        # The host names requests may carry (others get a 400): in production the
        # host of SITE_URL unless given, and every absolute link is built from
        # SITE_URL whatever the request says (app/security.py: SiteAddress).
        "TRUSTED_HOSTS": trusted_hosts(environ.get("TRUSTED_HOSTS"), site_url, production),
        "LINKS_FROM_SITE_URL": production,
        "PAGE_CACHE_REFRESH": float(environ.get("PAGE_CACHE_REFRESH", "0.5")),
        # Failed logins allowed per 15 minutes before /login answers 429.
        "LOGIN_FAILURES_PER_ACCOUNT": int(environ.get("LOGIN_FAILURES_PER_ACCOUNT", "10")),
        "LOGIN_FAILURES_PER_ADDRESS": int(environ.get("LOGIN_FAILURES_PER_ADDRESS", "30")),
        "THROTTLE_KEY_PREFIX": environ.get("THROTTLE_KEY_PREFIX", "needs-now"),
        # How many reverse proxies (nginx, a load balancer) stand in front of the
        # app and set X-Forwarded-*; 0 trusts none of those headers.
        "TRUSTED_PROXIES": int(environ.get("TRUSTED_PROXIES", "0")),
        # Organisers' sessions: short-lived, never readable by scripts, never
        # sent on a cross-site POST, and HTTPS-only in production.
        "SESSION_COOKIE_NAME": "needs_now_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        # Organisers are logged out after this long without a request.
        "PERMANENT_SESSION_LIFETIME": timedelta(
            minutes=int(environ.get("SESSION_IDLE_MINUTES", "120"))
        ),
        # However much it is used, a login lasts at most this long.
        "SESSION_MAX_AGE": timedelta(days=int(environ.get("SESSION_MAX_DAYS", "7"))),
        # A form left open on a phone for a while must still save.
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        # Phone photos are large; they are scaled down when uploaded.
        "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
        "MEDIA_DIR": environ.get("MEDIA_DIR") or str(Path(instance_path) / "media"),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
    } | overrides
    # Engine options given as an override (tests: a schema per run) keep these defaults.
    settings["SQLALCHEMY_ENGINE_OPTIONS"] = ENGINE_OPTIONS | settings["SQLALCHEMY_ENGINE_OPTIONS"]
    return settings
