"""The routes map in a real browser: drawn, self-contained, legible on a phone, accessible."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from app.models import Danger
from tests import builders
from tests.browser.chromium import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def routes(live_app):
    paris = builders.place(live_app, "Paris", "France", 48.86, 2.35)
    calais = builders.place(live_app, "Calais", "France", 50.95, 1.86)
    dover = builders.place(live_app, "Dover", "United Kingdom", 51.13, 1.31)
    route = builders.route(live_app, "English Channel to the UK", colour="#b3261e")
    builders.stage(live_app, route, paris, calais, 0, travel="by train")
    builders.stage(live_app, route, calais, dover, 1, dangers=[Danger.drowning.value])


def test_routes_map_draws_with_no_request_to_another_host(live_server, routes, page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{live_server.url}/routes")

    expect(page.locator("svg.route-map path.route-line")).to_have_count(1)
    expect(page.locator("svg.route-map .stage-marker")).to_have_count(2)
    assert any(re.search(r"/static/maps/basemap\.[0-9a-f]{10}\.svg$", url) for url in requested)
    assert {urlsplit(url).hostname for url in requested} == {"127.0.0.1"}
    assert page.context.cookies() == []


@pytest.mark.parametrize("path", ["/routes", "/routes/english-channel-to-the-uk"])
def test_routes_pages_fit_a_320px_phone(live_server, routes, browser, path):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")

    box = page.locator("svg.route-map").bounding_box()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert box["width"] >= 280 and box["height"] >= 150
    context.close()


def test_the_map_list_is_printed(live_server, routes, page):
    page.goto(f"{live_server.url}/routes")
    list_item = page.locator(".map-list li li").first

    assert list_item.bounding_box()["width"] <= 1
    page.emulate_media(media="print")
    assert list_item.bounding_box()["width"] > 50


@pytest.mark.parametrize("path", ["/routes", "/routes/english-channel-to-the-uk"])
def test_routes_pages_pass_axe_accessibility_checks(live_server, routes, browser, path):
    assert axe_violations(browser, f"{live_server.url}{path}") == []
