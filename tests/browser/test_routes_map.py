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
    route = builders.route(live_app, "English Channel to the UK", colour="#d55e00")
    builders.stage(live_app, route, paris, calais, 0, travel="by train")
    builders.stage(live_app, route, calais, dover, 1, dangers=[Danger.drowning.value])


def test_routes_map_draws_with_no_request_to_another_host(live_server, routes, page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{live_server.url}/routes/english-channel-to-the-uk")

    shown = page.locator("svg.route-map .map-small")  # what a 390 px phone shows
    expect(shown).to_be_visible()
    expect(shown.locator("path.route-line")).to_have_count(1)
    expect(shown.locator(".stage-marker")).to_have_count(2)
    names = shown.locator(".place-label").all_text_contents()
    assert sorted(names) == ["Calais", "Dover", "Paris"]
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


# What the map looks like does not depend on the database: these run on SQLite only.
ON_SQLITE = pytest.mark.parametrize("live_server", ["sqlite"], indirect=True)


# The map's layouts are made for the narrowest map they are shown at (app/maps.py, LAYOUTS):
# phones up to 431 px (320 and 390 here), a landscape phone or small tablet (480), and a
# desktop's full column (1280).
VIEWPORTS = {320: "small", 390: "small", 480: "medium", 1280: "large"}

PLACED = """svg => {
  const seen = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const box = e => { const r = e.getBoundingClientRect();
                     return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const names = [...svg.querySelectorAll(".map-names text")].filter(seen);
  const dots = [...svg.querySelectorAll(".place-dots circle")].filter(seen);
  const markers = [...svg.querySelectorAll(".stage-marker")].filter(seen);
  return {
    names: names.map(e => [e.textContent, box(e), e.classList.contains("place-label")]),
    dots: dots.map(e => ["dot", box(e)]),
    markers: markers.map(e => ["marker " + e.dataset.stage, box(e)]),
    fontSizes: names.map(e => parseFloat(getComputedStyle(e).fontSize) *
                              e.getScreenCTM().a),
    patterns: [...svg.querySelectorAll("path.route-line")].filter(seen)
                .map(e => e.getAttribute("stroke-dasharray") || "solid"),
  };
}"""


def overlaps(a, b, slack=0.5) -> bool:
    return (
        a["left"] + slack < b["right"]
        and b["left"] + slack < a["right"]
        and a["top"] + slack < b["bottom"]
        and b["top"] + slack < a["bottom"]
    )


@ON_SQLITE
def test_demo_maps_are_legible_and_nothing_hides_anything_on_phones_and_desktops(
    live_server, live_app, browser
):
    """Measured in Chromium, as a reader sees them: on /routes and every route's page, in
    each language and at each width, no name, dot or marker overlaps another; names are
    at least 10 px; there are names enough to find one's way; routes differ by pattern."""
    assert live_app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    slugs = [link.split("/")[-1] for link in route_links(live_app)]
    assert len(slugs) == 8
    for width, layout in VIEWPORTS.items():
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        for language in ("", "/fr"):
            for path in ["/routes", *(f"/routes/{slug}" for slug in slugs)]:
                page.goto(f"{live_server.url}{language}{path}")
                where = f"{language}{path} at {width} px"
                assert page.locator(f"svg.route-map .map-{layout}").is_visible(), where
                placed = page.evaluate(PLACED, page.locator("svg.route-map").element_handle())
                things = [(name, box) for name, box, _ in placed["names"]]
                things += placed["dots"] + placed["markers"]
                for i, (first, a) in enumerate(things):
                    for second, b in things[i + 1 :]:
                        assert not overlaps(a, b), f"{first} overlaps {second} on {where}"
                assert min(placed["fontSizes"]) >= 9.99, where
                place_names = [name for name, _, is_place in placed["names"] if is_place]
                assert len(place_names) >= (8 if path == "/routes" else 2), where
                if path == "/routes":  # the group's own place (the demo's settings)
                    assert "Calais" in place_names, where
                assert len(set(placed["patterns"])) == len(placed["patterns"]), where
        context.close()


def route_links(live_app) -> list[str]:
    html = live_app.test_client().get("/routes").get_data(as_text=True)
    return sorted(set(re.findall(r'href="(/routes/[a-z0-9-]+)"', html)))


@ON_SQLITE
def test_the_routes_page_weighs_under_60_kb_on_the_wire(live_server, live_app, browser):
    assert live_app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/routes")
    page.wait_for_load_state("load")

    sizes = page.evaluate(
        """() => performance.getEntries()
             .filter(e => e.entryType === "navigation" || e.entryType === "resource")
             .map(e => [e.name, e.transferSize, e.decodedBodySize])"""
    )
    context.close()
    assert any("basemap" in name for name, _, _ in sizes)
    total = sum(transferred for _, transferred, _ in sizes)
    assert total <= 60_000, sizes


@ON_SQLITE
def test_a_route_page_prints_in_black_and_white_with_its_sources(live_server, live_app, browser):
    assert live_app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/routes/central-mediterranean")
    page.emulate_media(media="print")

    # The desktop layout, the stages listed, every figure's source address written out.
    assert page.locator("svg.route-map .map-large").is_visible()
    assert page.locator(".map-list").first.is_visible()
    sources = page.locator(".figure .source a")
    assert sources.count() > 0
    for i in range(sources.count()):
        link = sources.nth(i)
        printed = link.evaluate("e => getComputedStyle(e, '::after').content")
        assert link.get_attribute("href") in printed
    assert page.pdf(format="A4").startswith(b"%PDF")

    # Printed in black and white, the overview's routes still differ: each its own pattern.
    page.goto(f"{live_server.url}/routes")
    page.emulate_media(media="print")
    lines = page.locator("svg.route-map .map-large path.route-line")
    assert lines.first.is_visible()
    patterns = [lines.nth(i).get_attribute("stroke-dasharray") for i in range(lines.count())]
    context.close()
    assert len(patterns) == 8 and len(set(patterns)) == len(patterns)
