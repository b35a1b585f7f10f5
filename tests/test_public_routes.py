"""What supporters read on /routes and /routes/<slug>."""

import re

import pytest

from app.extensions import db
from app.maps import project
from app.models import Danger, Figure, Settings
from tests import builders
from tests.pages import elements


@pytest.fixture
def channel(app):
    """A published route Paris → Calais → Dover, with one figure."""
    paris = builders.place(app, "Paris", "France", 48.86, 2.35)
    calais = builders.place(app, "Calais", "France", 50.95, 1.86)
    dover = builders.place(app, "Dover", "United Kingdom", 51.13, 1.31)
    route_id = builders.route(
        app,
        "English Channel to the UK",
        colour="#b3261e",
        position=2,
        summary="The last crossing.",
        body="People sleep **outside**.",
    )
    builders.stage(app, route_id, paris, calais, 0, travel="by train")
    builders.stage(
        app,
        route_id,
        calais,
        dover,
        1,
        travel="in small boats",
        dangers=[Danger.drowning.value, Danger.cold.value],
        narrative="A *busy* seaway.",
    )
    builders.add(
        app,
        Figure(
            route_id=route_id,
            label="people recorded dead or missing",
            value=1234,
            period="2014–2024",
            source_name="A named source",
            source_url="https://example.org/source",
            is_minimum=True,
        ),
    )
    return route_id


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_routes_page_draws_each_published_route_on_the_map(app, client, channel):
    html = html_of(client, "/routes")

    svg = re.search(r'<svg class="route-map".*?</svg>', html, re.S).group(0)
    assert re.search(r'href="/static/maps/basemap\.[0-9a-f]{10}\.svg"', svg)
    x, y = project(48.86, 2.35)  # Paris, where the line starts (far enough from the others)
    assert f'd="M{x:g},{y:g}L' in svg and 'stroke="#b3261e"' in svg
    # A dot for each place and its name, in each of the map's three layouts.
    assert svg.count("<circle") == 3 * 3
    assert svg.count(">Calais</text>") == 3
    # The overview numbers no stages: each route's own page does.
    assert 'class="stage-marker"' not in svg
    route_svg = re.search(
        r'<svg class="route-map".*?</svg>',
        html_of(client, "/routes/english-channel-to-the-uk"),
        re.S,
    ).group(0)
    assert route_svg.count('class="stage-marker"') == 2 * 3
    assert ">1</text>" in route_svg and ">2</text>" in route_svg


def test_routes_page_lists_the_map_as_an_ordered_list(client, channel):
    html = html_of(client, "/routes")

    listed = re.search(r'<ol class="map-list".*?</ol>\s*</li>\s*</ol>', html, re.S).group(0)
    assert "English Channel to the UK" in listed
    assert listed.index("Paris → Calais") < listed.index("Calais → Dover")


def test_routes_page_has_a_card_per_route_with_its_summary(client, channel):
    html = html_of(client, "/routes")

    assert 'href="/routes/english-channel-to-the-uk"' in html
    assert "The last crossing." in html


def test_routes_introduction_is_rendered_markdown(app, client):
    with app.app_context():
        db.session.get(Settings, 1).routes_intro = "For **each** person <script>x</script>"
        db.session.commit()

    html = html_of(client, "/routes")

    assert "For <strong>each</strong> person" in html
    assert "<script>x" not in html


def test_route_page_shows_stages_in_order_with_travel_dangers_and_narrative(client, channel):
    html = html_of(client, "/routes/english-channel-to-the-uk")

    assert html.index("Paris, France → Calais, France") < html.index("Calais, France → Dover")
    assert "How people travel: in small boats" in html
    assert "Drowning" in html and "Cold and exposure" in html
    assert "A <em>busy</em> seaway." in html
    assert "People sleep <strong>outside</strong>." in html


def test_figures_show_at_least_their_period_and_source(client, channel):
    html = html_of(client, "/routes/english-channel-to-the-uk")

    assert "at least 1,234" in html
    assert "people recorded dead or missing" in html and "(2014–2024)" in html
    assert (
        '<a href="https://example.org/source" rel="noopener noreferrer">A named source</a>' in html
    )


def test_route_page_links_to_neighbouring_routes(app, client, channel):
    builders.route(app, "Central Mediterranean", position=1)
    builders.route(app, "Unpublished route", published=False, position=3)

    html = html_of(client, "/routes/english-channel-to-the-uk")

    assert [link.get("href") for link in elements(html, "a[rel~=prev]")] == [
        "/routes/central-mediterranean"
    ]
    assert elements(html, "[rel~=next]") == []


def test_unpublished_routes_are_invisible_to_the_public(app, client):
    builders.route(app, "Secret draft", published=False)

    assert "Secret draft" not in html_of(client, "/routes")
    response = client.get("/routes/secret-draft")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_hostile_markdown_in_a_route_is_rendered_harmless(app, client):
    builders.route(
        app,
        "Hostile",
        body="<img src=x onerror=alert(1)> [x](javascript:alert(1))",
    )

    html = html_of(client, "/routes/hostile")

    assert "onerror" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert 'href="javascript:' not in html


def test_routes_pages_load_nothing_from_other_hosts(client, channel):
    for url in ("/routes", "/routes/english-channel-to-the-uk"):
        html = html_of(client, url)
        loaded = re.findall(r'<(?:img|image|script|iframe)[^>]*(?:src|href)="([^"]+)"', html)
        loaded += re.findall(r'<link rel="(?:stylesheet|icon)" href="([^"]+)"', html)
        assert all(target.startswith("/") and not target.startswith("//") for target in loaded)


def test_routes_page_without_routes_says_so(client):
    assert "The routes will be described here soon." in html_of(client, "/routes")
