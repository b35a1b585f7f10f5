"""The page cache: pages stay current, come compressed and conditional, and spare the database."""

import gzip
import re
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models import Need, Urgency
from tests import builders
from tests.accounts import AuthActions, create_user
from tests.apps import create_database, drop_database, make_app


@pytest.fixture
def cached_app(database_config, tmp_path):
    """The app as in production: changes looked for at most every half second."""
    app = make_app(database_config, PAGE_CACHE_REFRESH=0.5, MEDIA_DIR=str(tmp_path / "media"))
    create_database(app)
    yield app
    drop_database(app)


def count_statements(app):
    counter = {"statements": 0}
    with app.app_context():
        engine = db.engine

    def count(*args):
        counter["statements"] += 1

    event.listen(engine, "before_cursor_execute", count)
    return counter


def test_repeated_requests_do_not_touch_the_database(database_config, tmp_path):
    # Between two looks for changes (here a minute apart) nothing is read.
    cached_app = make_app(database_config, PAGE_CACHE_REFRESH=60, MEDIA_DIR=str(tmp_path))
    create_database(cached_app)
    builders.need(cached_app, builders.category(cached_app), "Sleeping bags")
    client = cached_app.test_client()
    client.get("/needs")
    counter = count_statements(cached_app)

    for _ in range(20):
        assert "Sleeping bags" in client.get("/needs").get_data(as_text=True)

    assert counter["statements"] == 0
    drop_database(cached_app)


def test_a_change_is_served_within_the_freshness_bound(cached_app):
    need_id = builders.need(cached_app, builders.category(cached_app), "Sleeping bags")
    client = cached_app.test_client()
    assert "Urgently needed" in client.get("/needs").get_data(as_text=True)

    with cached_app.app_context():
        db.session.get(Need, need_id).urgency = Urgency.urgent
        db.session.commit()
    time.sleep(0.6)  # just over PAGE_CACHE_REFRESH

    html = client.get("/needs").get_data(as_text=True)
    urgent = html[html.index('id="urgent"') : html.index('id="needed"')]
    assert "Sleeping bags" in urgent


def test_each_language_has_its_own_page_and_a_french_edit_refreshes_the_french_one(cached_app):
    need_id = builders.need(cached_app, builders.category(cached_app), "Sleeping bags")
    client = cached_app.test_client()
    english, french = client.get("/needs"), client.get("/fr/needs")
    assert '<html lang="en"' in english.get_data(as_text=True)
    assert '<html lang="fr"' in french.get_data(as_text=True)
    assert (
        client.get("/fr/needs", headers={"If-None-Match": french.headers["ETag"]}).status_code
        == 304
    )

    with cached_app.app_context():
        db.session.get(Need, need_id).set_translation("fr", "name", "Sacs de couchage")
        db.session.commit()
    time.sleep(0.6)  # just over PAGE_CACHE_REFRESH

    fresh = client.get("/fr/needs", headers={"If-None-Match": french.headers["ETag"]})
    assert fresh.status_code == 200 and "Sacs de couchage" in fresh.get_data(as_text=True)
    assert '<html lang="fr"' in fresh.get_data(as_text=True)
    assert "Sacs de couchage" not in client.get("/needs").get_data(as_text=True)


def test_pages_come_gzip_compressed_with_a_strong_etag(cached_app):
    client = cached_app.test_client()
    plain = client.get("/needs")

    compressed = client.get("/needs", headers={"Accept-Encoding": "gzip, br"})

    assert compressed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.data) == plain.data
    assert compressed.headers["Vary"] == "Accept-Encoding"
    assert plain.headers["ETag"].startswith('"') and not plain.headers["ETag"].startswith("W/")
    assert compressed.headers["ETag"] != plain.headers["ETag"]
    assert int(compressed.headers["Content-Length"]) == len(compressed.data) < len(plain.data)


def test_a_known_etag_or_a_later_date_gets_304_not_modified(cached_app):
    client = cached_app.test_client()
    first = client.get("/needs")
    later = format_datetime(datetime.now(UTC) + timedelta(minutes=1), usegmt=True)

    by_etag = client.get("/needs", headers={"If-None-Match": first.headers["ETag"]})
    by_date = client.get("/needs", headers={"If-Modified-Since": later})
    # The content may change twice within one second: the same date is no proof.
    same_second = client.get(
        "/needs", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    stale = client.get("/needs", headers={"If-None-Match": '"something-else"'})

    assert by_etag.status_code == 304 and by_etag.data == b""
    assert by_date.status_code == 304
    assert same_second.status_code == 200
    assert stale.status_code == 200


def test_a_head_request_does_not_leave_an_empty_page_behind(cached_app):
    client = cached_app.test_client()

    head = client.head("/needs")
    page = client.get("/needs")

    assert head.status_code == 200 and head.data == b""
    assert "What we need now" in page.get_data(as_text=True)


def test_unknown_query_strings_are_not_kept(cached_app):
    client = cached_app.test_client()

    junk = client.get("/needs?utm_source=x")
    news = client.get("/news?page=1")
    chosen = client.get("/api/v1/needs?urgency=urgent")
    wrong = client.get("/api/v1/needs?urgency=hot")

    assert "ETag" not in junk.headers and junk.status_code == 200
    assert "ETag" in news.headers
    # The API's and the embed's choices are kept, with their ETag; a wrong one is not.
    assert "ETag" in chosen.headers and chosen.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get(
        "/api/v1/needs?urgency=urgent", headers={"If-None-Match": chosen.headers["ETag"]}
    )
    assert again.status_code == 304
    assert wrong.status_code == 400 and "ETag" not in wrong.headers


def test_a_weak_etag_from_a_proxy_still_gets_a_304(cached_app):
    client = cached_app.test_client()
    etag = client.get("/needs").headers["ETag"]

    weak = client.get("/needs", headers={"If-None-Match": f"W/{etag}"})

    assert weak.status_code == 304


def test_logins_do_not_empty_the_cache(cached_app):
    client = cached_app.test_client()
    etag = client.get("/needs").headers["ETag"]
    create_user(cached_app, email="maya@example.org")
    AuthActions(cached_app, cached_app.test_client()).login("maya@example.org", "wrong password")
    time.sleep(0.6)

    assert client.get("/needs", headers={"If-None-Match": etag}).status_code == 304


def test_proxies_may_keep_pages_only_for_a_few_seconds(cached_app):
    headers = cached_app.test_client().get("/needs").headers

    assert headers["Cache-Control"] == "public, max-age=5"
    assert "X-Page-Cache" not in headers


def test_the_admin_and_logging_in_are_never_cached(cached_app):
    client = cached_app.test_client()

    for url in ("/login", "/admin/"):
        response = client.get(url)
        assert "ETag" not in response.headers
        assert response.headers["Cache-Control"] == "no-store"


def test_each_host_gets_pages_with_its_own_addresses(cached_app):
    client = cached_app.test_client()

    one = client.get("/needs.txt", base_url="https://one.example").get_data(as_text=True)
    two = client.get("/needs.txt", base_url="https://two.example").get_data(as_text=True)

    assert "https://one.example/needs" in one and "https://two.example/needs" in two


def test_missing_pages_are_not_kept(cached_app):
    client = cached_app.test_client()
    assert client.get("/about").status_code == 404

    builders.page(cached_app, "about", "About us")
    time.sleep(0.6)

    assert client.get("/about").status_code == 200


@pytest.mark.parametrize("address", ["/needs", "/fr/needs"])
def test_the_needs_page_with_demo_content_weighs_under_30_kb_with_its_css(app, runner, address):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    client = app.test_client()
    gzip_only = {"Accept-Encoding": "gzip"}

    page = client.get(address, headers=gzip_only)
    html = gzip.decompress(page.data).decode()
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    css = 0
    for href in stylesheets:
        with client.get(href) as stylesheet:
            css += len(gzip.compress(stylesheet.data))

    assert re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S) == [""]  # share.js only
    assert len(page.data) + css < 30 * 1024


@pytest.mark.parametrize("path", ["/needs", "/", "/feeds/needs.atom", "/needs/poster"])
def test_a_longer_list_costs_no_more_database_reads(app, path):
    # Rendering a page is what a change costs the mirror and the cache: each page that
    # lists items reads their categories with them, not one category at a time.
    added = 0

    def statements_for(categories: int) -> int:
        nonlocal added
        for number in range(added, categories):
            category = builders.category(app, f"Category {number}", f"category-{number}", number)
            builders.need(app, category, f"Item {number}", urgency=Urgency.urgent)
        added = categories
        counter = count_statements(app)
        assert app.test_client().get(path).status_code == 200
        return counter["statements"]

    assert statements_for(2) == statements_for(10)
