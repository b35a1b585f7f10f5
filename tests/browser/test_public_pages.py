"""Donors' pages in a real browser: no other hosts, no cookies, accessible, fit a 320 px phone."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from app.models import Urgency
from tests import builders
from tests.browser.chromium import axe_violations

pytestmark = pytest.mark.browser

PUBLIC_PATHS = ["/", "/needs", "/login", "/no-such-page", "/news", "/news/a-week", "/get-involved"]
# French words run longer, and an untranslated text is marked with its own language.
PUBLIC_PATHS += ["/fr/", "/fr/needs", "/fr/no-such-page", "/fr/news/a-week"]


@pytest.fixture
def board(live_app):
    clothes = builders.category(live_app, "Warm, dry clothes")
    builders.need(
        live_app, clothes, "Socks", Urgency.urgent, details="New only", quantity=300, unit="pairs"
    )
    builders.need(live_app, clothes, "Tents", Urgency.needed)
    builders.need(live_app, clothes, "Blankets", Urgency.plenty)
    builders.need(live_app, clothes, "Wedding dresses", Urgency.do_not_send)
    builders.site(
        live_app,
        "Calais warehouse",
        opening_hours="Mon–Fri 10–17",
        booking_rule="Tell us what you bring and when, before you come.",
    )


def test_needs_makes_no_request_to_another_host_and_sets_no_cookie(live_server, board, page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{live_server.url}/needs")
    expect(page.get_by_role("heading", name="What we need now")).to_be_visible()
    page.goto(f"{live_server.url}/")

    hosts = {urlsplit(url).hostname for url in requested}
    assert hosts == {"127.0.0.1"}
    assert page.context.cookies() == []


def test_needs_page_shows_sections_in_order(live_server, board, page):
    page.goto(f"{live_server.url}/needs")

    headings = page.locator("main h2").all_inner_texts()
    assert headings[:4] == [urgency.heading for urgency in Urgency]
    expect(page.locator("#do_not_send")).to_contain_text("Wedding dresses")
    expect(page.locator("#drop-off")).to_contain_text("Tell us what you bring and when")


@pytest.mark.parametrize(("path", "width"), [("/needs", 320), ("/needs", 390), ("/fr/needs", 320)])
def test_needs_fits_a_small_phone_without_sideways_scrolling(
    live_server, board, browser, path, width
):
    context = browser.new_context(viewport={"width": width, "height": 700})
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def test_needs_prints_without_navigation(live_server, board, page):
    page.goto(f"{live_server.url}/needs")
    page.emulate_media(media="print")

    expect(page.locator(".jump")).to_be_hidden()
    expect(page.locator("#urgent")).to_contain_text("Socks")


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_pages_pass_axe_accessibility_checks(live_server, board, browser, path):
    assert axe_violations(browser, f"{live_server.url}{path}") == []


def test_pages_work_with_javascript_turned_off(live_server, board, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    page.goto(f"{live_server.url}/needs")

    expect(page.locator("#urgent")).to_contain_text("Socks")
    context.close()
