"""The short list partners put in an <iframe> on their own sites: /embed/needs."""

import re

from app.models import Category, Urgency
from tests import builders
from tests.pages import element, elements

EMBED_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors *"
)


def board(app) -> dict[str, int]:
    clothes = builders.category(app, "Warm clothes", slug="clothes")
    food = builders.category(app, "Food", slug="food", position=1)
    builders.translate(app, Category, clothes, name="Vêtements chauds")
    builders.need(app, clothes, "Sleeping bags", Urgency.urgent)
    builders.need(app, food, "Rice", Urgency.urgent)
    builders.need(app, clothes, "Tents", Urgency.needed)
    builders.need(app, clothes, "Blankets", Urgency.plenty)
    builders.need(app, clothes, "Wedding dresses", Urgency.do_not_send)
    return {"clothes": clothes, "food": food}


def assert_embed_headers(response):
    assert response.headers["Content-Security-Policy"] == EMBED_CSP
    assert "X-Frame-Options" not in response.headers
    assert "Set-Cookie" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    html = response.get_data(as_text=True)
    assert "<script" not in html
    stylesheets = [link.get("href") for link in elements(html, 'link[rel="stylesheet"]')]
    assert len(stylesheets) == 1 and re.fullmatch(r"/static/css/embed\.\w+\.css", stylesheets[0])


def test_embed_lists_what_to_send_links_to_the_full_list_and_may_be_framed_anywhere(app, client):
    board(app)

    response = client.get("/embed/needs")
    again = client.get("/embed/needs")  # from the page cache, headers and all

    assert response.status_code == again.status_code == 200
    assert_embed_headers(response)
    assert_embed_headers(again)
    assert again.headers["ETag"] == response.headers["ETag"]
    html = response.get_data(as_text=True)
    assert [h2.text for h2 in elements(html, "h2")] == ["Urgently needed", "Also needed"]
    items = [li.text for li in elements(html, "li")]
    assert items == ["Sleeping bags", "Rice", "Tents"]  # not what we have plenty of, or refuse
    link = element(html, "p.full a")
    assert link.get("href") == "http://localhost/needs"
    assert (link.get("target"), link.get("rel")) == ("_blank", "noopener")
    assert element(html, "p.checked time").get("datetime")
    # The site's own pages still refuse to be framed.
    needs = client.get("/needs")
    assert needs.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in needs.headers["Content-Security-Policy"]
    # French at /fr/embed/needs, its link to the French list.
    french = client.get("/fr/embed/needs").get_data(as_text=True)
    assert element(french, "html").get("lang") == "fr"
    assert elements(french, "h2")[0].text == "Besoins urgents"
    assert element(french, "p.full a").get("href") == "http://localhost/fr/needs"


def test_embed_stays_under_10_kb_with_many_long_items_and_says_first_that_donations_pause(
    app, client
):
    builders.set_settings(app, group_name="&" * 80, pause_enabled=True)
    category = builders.category(app, "<Clothes & shoes>" * 4)
    for number in range(40):
        for urgency in (Urgency.urgent, Urgency.needed):
            name = f"{number} " + "<&>\"'" * 23
            builders.need(app, category, name, urgency, details="x" * 2000)

    for address in ("/embed/needs", "/fr/embed/needs"):
        response = client.get(address)
        html = response.get_data(as_text=True)

        assert response.status_code == 200
        assert len(response.data) <= 10 * 1024
        assert len(elements(html, "li")) == 12
        assert html.index('class="paused"') < html.index("<h2")
        assert "68" in element(html, "p.more").text  # 80 items, 12 shown


def test_embed_shows_one_category_and_refuses_unknown_ones_in_its_own_style(app, client):
    board(app)

    clothes = client.get("/embed/needs?category=clothes").get_data(as_text=True)
    food = client.get("/fr/embed/needs?category=food").get_data(as_text=True)
    missing = client.get("/embed/needs?category=no-such-category")
    hostile = client.get("/embed/needs", query_string={"category": "'; DROP TABLE x;--" * 300})

    assert [li.text for li in elements(clothes, "li")] == ["Sleeping bags", "Tents"]
    assert "Warm clothes" in element(clothes, "h1").text
    assert [li.text for li in elements(food, "li")] == ["Rice"]
    for response in (missing, hostile):
        assert response.status_code == 404
        assert_embed_headers(response)
        assert "There is no category with that name." in response.get_data(as_text=True)


def test_embed_lang_sends_to_that_languages_address_keeping_the_category(app, client):
    board(app)

    to_french = client.get("/embed/needs?lang=fr&category=clothes")
    to_english = client.get("/fr/embed/needs?lang=en")
    unknown = client.get("/embed/needs?lang=xx&category=clothes")

    assert to_french.status_code == 302
    assert to_french.headers["Location"] == "/fr/embed/needs?category=clothes"
    assert to_english.headers["Location"] == "/embed/needs"
    assert unknown.status_code == 404
    assert_embed_headers(unknown)
    assert "not available in that language" in unknown.get_data(as_text=True)
    french = client.get(to_french.headers["Location"]).get_data(as_text=True)
    assert "Vêtements chauds" in element(french, "h1").text
