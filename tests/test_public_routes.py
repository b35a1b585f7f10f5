"""What supporters read on /routes and /routes/<slug>."""

import re

import pytest
from sqlalchemy import select

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
        colour="#d55e00",
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
    assert f'd="M{x:g},{y:g}L' in svg and 'stroke="#d55e00"' in svg
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
    assert 'data-stage="1"' in route_svg and 'data-stage="2"' in route_svg


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


def test_route_cards_show_their_figures_with_period_and_source(client, channel):
    for url, at_least in (("/routes", "at least 1,234"), ("/fr/routes", "au moins 1 234")):
        (card,) = elements(html_of(client, url), "article.route-card")

        (figure,) = card.select("li.figure")
        assert at_least in figure.text  # (.text makes the French narrow space a space)
        assert "people recorded dead or missing" in figure.text and "(2014–2024)" in figure.text
        (source,) = figure.select(".source a")
        assert source.get("href") == "https://example.org/source"
        assert source.text == "A named source"


def test_a_figures_source_is_named_in_the_pages_language(app, client, channel):
    with app.app_context():
        (figure,) = db.session.scalars(select(Figure))
        figure.set_translation("fr", "source_name", "Une source nommée")
        db.session.commit()

    for url, name in (
        ("/routes/english-channel-to-the-uk", "A named source"),
        ("/fr/routes/english-channel-to-the-uk", "Une source nommée"),
        ("/fr/routes", "Une source nommée"),
    ):
        (source,) = elements(html_of(client, url), "li.figure .source a")
        assert source.text == name, url


ROUTES_PAGES = ("/routes", "/routes/english-channel-to-the-uk")


def set_up_acting(app, *, donate_url="https://example.org/give", volunteering=True, **fields):
    """The settings "What you can do" reads: a money link with its line, a volunteering page."""
    page_id = builders.page(
        app,
        slug="get-involved",
        title="Get involved",
        description="Come to Calais for a few days.",
        published=volunteering != "unpublished",
        translations={"fr": {"description": {"text": "Venez quelques jours.", "source": "0"}}},
    )
    with app.app_context():
        settings = db.session.get(Settings, 1)
        settings.donate_url = donate_url
        settings.donate_line = "£10 buys a sleeping bag."
        settings.volunteer_page_id = page_id if volunteering else None
        for name, value in fields.items():
            setattr(settings, name, value)
        db.session.commit()


def acting_block(client, url):
    """The "What you can do" block: the last thing in the page's main content."""
    (main,) = elements(html_of(client, url), "main")
    blocks = [child for child in main.children if not isinstance(child, str)]
    assert "acting" in blocks[-1].classes, f"{url} does not end with what you can do"
    return blocks[-1]


def links(block) -> dict[str, str]:
    return {link.text: link.get("href") for link in block.select("a")}


@pytest.mark.parametrize("url", ROUTES_PAGES)
def test_routes_pages_end_with_what_you_can_do(app, client, channel, url):
    set_up_acting(app)

    block = acting_block(client, url)

    assert block.select("h2")[0].text == "What you can do"
    assert links(block) == {
        "Bring or send what we need now": "/needs",
        "Come and volunteer": "/get-involved",
        "Give money": "https://example.org/give",
    }
    assert "Come to Calais for a few days." in block.text
    assert "£10 buys a sleeping bag." in block.text
    (needs,) = [link for link in block.select("a") if link.get("href") == "/needs"]
    assert needs.get("data-address") == "http://localhost/needs"  # printed beside the link


@pytest.mark.parametrize("url", ROUTES_PAGES)
def test_what_you_can_do_is_in_french_on_french_pages(app, client, channel, url):
    set_up_acting(app)

    block = acting_block(client, f"/fr{url}")

    assert block.select("h2")[0].text == "Ce que vous pouvez faire"
    assert links(block) == {
        "Apporter ou envoyer ce dont nous avons besoin": "/fr/needs",
        "Venir donner un coup de main": "/fr/get-involved",
        "Donner de l’argent": "https://example.org/give",
    }
    assert "Venez quelques jours." in block.text


@pytest.mark.parametrize("url", ROUTES_PAGES)
def test_what_you_can_do_leaves_out_links_that_are_not_set(app, client, channel, url):
    set_up_acting(app, donate_url="", volunteering=False)

    block = acting_block(client, url)

    assert links(block) == {"Bring or send what we need now": "/needs"}
    assert "£10 buys a sleeping bag." not in block.text


def test_what_you_can_do_leaves_out_an_unpublished_volunteering_page(app, client, channel):
    set_up_acting(app, volunteering="unpublished")

    for url in ROUTES_PAGES:
        assert "/get-involved" not in links(acting_block(client, url)).values()
    assert client.get("/get-involved").status_code == 404  # the link would have been dead


@pytest.mark.parametrize("url", [*ROUTES_PAGES, *(f"/fr{url}" for url in ROUTES_PAGES)])
def test_what_you_can_do_does_not_ask_for_things_while_donations_are_paused(
    app, client, channel, url
):
    set_up_acting(app, pause_enabled=True, pause_message="Storage is full.")

    block = acting_block(client, url)

    needs = "/fr/needs" if url.startswith("/fr/") else "/needs"
    if url.startswith("/fr/"):
        assert "Les dons sont suspendus" in block.text
        assert links(block)["Ce dont nous aurons besoin à la reprise"] == needs
    else:
        assert "Donations are paused: please do not send anything now." in block.text
        assert links(block)["What we will need when we open again"] == needs
        assert "Bring or send what we need now" not in block.text
    assert len(links(block)) == 3  # volunteering and money are still welcome


def test_routes_page_without_routes_still_says_what_you_can_do(app, client):
    set_up_acting(app)

    assert "Give money" in links(acting_block(client, "/routes"))
