"""Visitors are not tracked: no cookies, no other hosts, strict headers."""

import re

import pytest

from app.extensions import db
from app.models import Urgency
from tests import builders
from tests.apps import create_database, drop_database, make_app
from tests.pages import element

PUBLIC_URLS = ["/", "/needs", "/needs.txt", "/needs/text", "/share", "/no-such-page"]


@pytest.fixture
def demo(app):
    clothes = builders.category(app, "Warm clothes")
    builders.need(app, clothes, "Sleeping bags", Urgency.urgent)
    builders.site(app, "Calais warehouse")


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_set_no_cookie(client, demo, url):
    response = client.get(url)

    assert "Set-Cookie" not in response.headers


def loaded_resources(html: str) -> list[str]:
    """Everything a browser would fetch to show the page (links to follow excluded)."""
    resources = re.findall(
        r'<(?:script|img|iframe|image|source|video|audio)[^>]*(?:src|href)="([^"]+)"', html
    )
    resources += re.findall(
        r'<link[^>]*rel="(?:stylesheet|icon|preload|prefetch|manifest)"[^>]*href="([^"]+)"', html
    )
    return resources


@pytest.mark.parametrize("url", ["/", "/needs", "/no-such-page"])
def test_public_pages_load_nothing_from_other_hosts(client, demo, url):
    html = client.get(url).get_data(as_text=True)

    resources = loaded_resources(html)

    assert resources, "the page should at least load its stylesheet"
    assert [url for url in resources if not url.startswith("/") or url.startswith("//")] == []
    # Our own script files only (CSP script-src 'self'): no inline code.
    assert re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S) in ([], [""])
    assert html.count("<script") == html.count('<script src="/static/')


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_every_response_carries_protective_headers(client, url):
    headers = client.get(url).headers

    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in ("no-referrer", "same-origin")
    assert "geolocation=()" in headers["Permissions-Policy"]


def test_admin_pages_are_never_cached(client):
    assert client.get("/login").headers["Cache-Control"] == "no-store"


def test_production_responses_require_https_for_a_year(database_config):
    app = make_app(database_config, APP_ENV="production", SITE_URL="https://needs.example.org")

    headers = app.test_client().get("/robots.txt", base_url="https://needs.example.org").headers
    with app.app_context():
        db.engine.dispose()

    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.fixture
def production_app(database_config):
    app = make_app(
        database_config,
        APP_ENV="production",
        SITE_URL="https://needs.example.org",
        TRUSTED_HOSTS=["needs.example.org", "www.needs.example.org"],
    )
    create_database(app)
    yield app
    drop_database(app)


@pytest.mark.parametrize("url", ["/", "/needs", "/login", "/feeds/news.atom", "/no-such-page"])
def test_a_host_the_site_does_not_trust_is_refused_and_never_reflected(production_app, url):
    client = production_app.test_client()

    for _ in range(2):  # the second time too: nothing was cached for that host
        response = client.get(url, base_url="https://evil.example")
        assert response.status_code == 400
        assert "evil" not in response.text and "Bad request" in response.text


@pytest.mark.parametrize(
    "host", ["needs.example.org", "www.needs.example.org", "NEEDS.Example.org"]
)
def test_in_production_absolute_links_come_from_the_sites_address(production_app, host):
    builders.published_post(production_app, "week", "Week")
    client = production_app.test_client()

    page = client.get("/news/week", base_url=f"http://{host}").text
    feed = client.get("/feeds/news.atom", base_url=f"http://{host}").text
    robots = client.get("/robots.txt", base_url=f"http://{host}").text

    address = "https://needs.example.org/news/week"
    assert element(page, "link[rel=canonical]").get("href") == address
    assert element(page, "meta[property='og:url']").get("content") == address
    assert "<id>tag:needs.example.org," in feed and "www.needs" not in feed
    assert "Sitemap: https://needs.example.org/sitemap.xml" in robots


def test_the_apps_logs_never_hold_visitors_addresses_or_browsers(app, client, demo, caplog):
    with caplog.at_level("DEBUG"):
        for url in ("/", "/needs", "/needs.txt", "/no-such-page"):
            client.get(
                url,
                environ_base={"REMOTE_ADDR": "203.0.113.77"},
                headers={"User-Agent": "VisitorBrowser/1.0"},
            )

    assert "203.0.113.77" not in caplog.text and "VisitorBrowser" not in caplog.text
