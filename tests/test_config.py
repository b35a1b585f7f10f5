"""Settings come from the environment, with safe local defaults."""

import pytest

from app.config import normalise_database_url, settings_from_environment


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        settings_from_environment(str(tmp_path), {"APP_ENV": "production"})


def test_local_secret_key_is_generated_once_and_kept_private(tmp_path):
    first = settings_from_environment(str(tmp_path), {})["SECRET_KEY"]
    second = settings_from_environment(str(tmp_path), {})["SECRET_KEY"]

    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path):
    config = settings_from_environment(str(tmp_path), {"SECRET_KEY": "x"})

    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/needs-now.sqlite"


@pytest.mark.parametrize("url", ["postgres://u@h/db", "postgresql://u@h/db"])
def test_postgresql_urls_use_the_psycopg_driver(url):
    assert normalise_database_url(url) == "postgresql+psycopg://u@h/db"


PRODUCTION = {"APP_ENV": "production", "SECRET_KEY": "x", "SITE_URL": "https://needs.example.org"}


def test_production_refuses_to_start_without_the_sites_address(tmp_path):
    with pytest.raises(RuntimeError, match="SITE_URL must be set"):
        settings_from_environment(str(tmp_path), {"APP_ENV": "production", "SECRET_KEY": "x"})


@pytest.mark.parametrize(
    ("environ", "trusted"),
    [
        ({}, None),  # local use: any host, e.g. a phone on the same network
        (PRODUCTION, ["needs.example.org"]),
        (
            {**PRODUCTION, "TRUSTED_HOSTS": "Needs.example.org, .needs-now.org"},
            ["needs.example.org", ".needs-now.org"],
        ),
    ],
)
def test_trusted_hosts_default_to_the_sites_address_in_production(tmp_path, environ, trusted):
    config = settings_from_environment(str(tmp_path), {"SECRET_KEY": "x", **environ})

    assert config["TRUSTED_HOSTS"] == trusted


def test_production_cookies_are_secure(tmp_path):
    config = settings_from_environment(str(tmp_path), PRODUCTION)

    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["SESSION_COOKIE_HTTPONLY"] and config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_postgresql_connections_give_up_after_a_few_seconds(tmp_path):
    environ = {"SECRET_KEY": "x", "DATABASE_URL": "postgresql://u@h/db"}
    config = settings_from_environment(str(tmp_path), environ)

    url = config["SQLALCHEMY_DATABASE_URI"]
    assert url.startswith("postgresql+psycopg://u@h/db?connect_timeout=5&keepalives=1&")
    assert "tcp_user_timeout=15000" in url
