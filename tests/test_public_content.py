"""Pages, report-backs, feeds and discoverability, as supporters and feed readers see them."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import feedparser
import pytest

from app.extensions import db
from app.models import Image, Need, Urgency
from app.models.types import utcnow
from tests import builders
from tests.pages import element, elements

ATOM = "{http://www.w3.org/2005/Atom}"


def text_of(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def test_a_published_page_is_served_at_its_slug(app, client):
    builders.page(app, "get-involved", "Get involved", body="Come **in February**.")

    html = text_of(client, "/get-involved")

    assert "<h1>Get involved</h1>" in html
    assert "Come <strong>in February</strong>." in html


def test_unpublished_pages_are_hidden(app, client):
    builders.page(app, "draft", "Draft page", published=False)

    text_of(client, "/draft", 404)


def test_pages_with_a_menu_position_appear_in_the_navigation_in_order(app, client):
    builders.page(app, "contact", "Contact", nav_position=2)
    builders.page(app, "get-involved", "Get involved", nav_position=1)
    builders.page(app, "hidden-from-menu", "Not in menu")

    nav = re.search(r'<nav aria-label="Main">.*?</nav>', text_of(client, "/needs"), re.S).group(0)

    assert nav.index("Get involved") < nav.index("Contact")
    assert "Not in menu" not in nav


def test_posts_are_listed_newest_first_with_their_dates(app, client):
    now = utcnow()
    builders.post(app, "older", "Older report", published_at=now - timedelta(days=5))
    builders.post(
        app, "newer", "Newer report", published_at=now - timedelta(days=1), author_name="Rhiannon"
    )

    html = text_of(client, "/news")

    assert html.index("Newer report") < html.index("Older report")
    assert "Rhiannon" in html
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT[^"]+">', html)


def test_a_post_scheduled_for_tomorrow_is_not_visible_today(app, client):
    builders.post(app, "tomorrow", "Tomorrow's report", published_at=utcnow() + timedelta(days=1))

    assert "Tomorrow" not in text_of(client, "/news")
    text_of(client, "/news/tomorrow", 404)
    assert "Tomorrow" not in text_of(client, "/feeds/news.atom")
    assert "/news/tomorrow" not in text_of(client, "/sitemap.xml")


def test_a_scheduled_post_appears_by_itself_once_its_time_has_come(app, client):
    post_id = builders.post(app, "soon", "Soon", published_at=utcnow() + timedelta(days=1))
    text_of(client, "/news/soon", 404)

    with app.app_context():  # time passes: the stored moment is now in the past
        db.session.execute(
            db.text("UPDATE posts SET published_at = :moment WHERE id = :id"),
            {"moment": (utcnow() - timedelta(seconds=1)).replace(tzinfo=None), "id": post_id},
        )
        db.session.commit()

    assert "<h1>Soon</h1>" in text_of(client, "/news/soon")


def test_drafts_are_hidden(app, client):
    builders.post(app, "draft", "A draft", published_at=None)

    assert "A draft" not in text_of(client, "/news")
    text_of(client, "/news/draft", 404)


def test_news_is_paginated(app, client):
    now = utcnow()
    for number in range(12):
        builders.post(
            app,
            f"post-{number}",
            f"Report {number:02d}",
            published_at=now - timedelta(hours=number + 1),
        )

    first = text_of(client, "/news")
    second = text_of(client, "/news?page=2")

    assert len(elements(first, ".post-card")) == 10 and elements(first, "[rel~=next]")
    assert len(elements(second, ".post-card")) == 2 and "Report 11" in second
    text_of(client, "/news?page=9", 404)
    assert len(elements(text_of(client, "/news?page=abc"), ".post-card")) == 10


def test_pages_carry_a_title_description_and_share_preview(app, client):
    builders.published_post(
        app, "week", "A week in Calais", summary="A group from South Wales returned."
    )

    html = text_of(client, "/news/week")

    def meta(selector: str) -> str:
        return element(html, f"meta{selector}").get("content")

    assert element(html, "title").text.startswith("A week in Calais – ")
    assert meta("[name=description]") == "A group from South Wales returned."
    assert meta("[property='og:title']").startswith("A week in Calais – ")
    assert meta("[property='og:type']") == "article"
    assert meta("[property='og:url']") == "http://localhost/news/week"
    assert meta("[property='og:image']") == "http://localhost/needs/share.png"
    assert element(html, "link[rel=canonical]").get("href") == "http://localhost/news/week"


def test_pages_and_report_backs_show_their_lead_image_the_same_way(app, client):
    image_id = builders.add(
        app,
        Image(
            filename="lead.webp",
            alt_text='Volunteers "sorting" <boxes>',
            width=800,
            height=600,
            content_type="image/webp",
        ),
    )
    builders.page(app, "about", "About us", image_id=image_id)
    builders.published_post(app, "week", "A week", image_id=image_id)
    builders.page(app, "contact", "Contact")

    expected = (
        '<img class="lead-image" src="/media/lead.webp" alt="Volunteers &#34;sorting&#34; '
        '&lt;boxes&gt;" width="800" height="600">'
    )
    for url in ("/about", "/news/week"):
        html = text_of(client, url)
        assert re.findall(r"<img [^>]*>", html) == [expected]
    assert "lead-image" not in text_of(client, "/contact")


def atom(client, url):
    response = client.get(url)
    assert response.content_type == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return ET.fromstring(response.data), parsed


def assert_valid_atom(root):
    """The elements RFC 4287 requires, with absolute links."""
    for name in ("id", "title", "updated", "author"):
        assert root.find(ATOM + name) is not None, name
    assert root.find(ATOM + "link[@rel='self']").get("href").startswith("http://localhost/")
    for entry in root.findall(ATOM + "entry"):
        for name in ("id", "title", "updated"):
            assert entry.find(ATOM + name).text, name
        assert entry.find(ATOM + "link").get("href").startswith("http://localhost/")


def test_news_feed_is_valid_atom_with_stable_ids(app, client):
    builders.published_post(app, "week", "A week in Calais", body="See [the list](/needs).")

    root, parsed = atom(client, "/feeds/news.atom")
    again, _ = atom(client, "/feeds/news.atom")

    assert_valid_atom(root)
    assert parsed.entries[0].title == "A week in Calais"
    assert parsed.entries[0].link == "http://localhost/news/week"
    ids = [entry.find(ATOM + "id").text for entry in root.findall(ATOM + "entry")]
    assert ids == [entry.find(ATOM + "id").text for entry in again.findall(ATOM + "entry")]
    assert ids[0].startswith("tag:localhost,")


def test_needs_feed_announces_each_change_as_a_new_entry(app, client):
    need_id = builders.need(app, builders.category(app, "Shelter"), "Sleeping bags")
    root, _ = atom(client, "/feeds/needs.atom")
    assert_valid_atom(root)
    before = [entry.find(ATOM + "id").text for entry in root.findall(ATOM + "entry")]

    with app.app_context():
        need = db.session.get(Need, need_id)
        need.urgency = Urgency.urgent
        db.session.commit()
    root, parsed = atom(client, "/feeds/needs.atom")

    assert parsed.entries[0].title == "Urgent: Sleeping bags"
    assert root.find(ATOM + "entry").find(ATOM + "id").text not in before


def test_sitemap_lists_public_pages_only(app, client):
    builders.page(app, "about", "About")
    builders.page(app, "draft", "Draft", published=False)
    builders.published_post(app, "week", "Week")
    builders.route(app, "Central Mediterranean")
    builders.route(app, "Unpublished", published=False)

    root = ET.fromstring(client.get("/sitemap.xml").data)
    locations = {
        element.text for element in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    }

    expected = {"/", "/needs", "/about", "/news/week", "/routes/central-mediterranean"}
    assert {f"http://localhost{path}" for path in expected} <= locations
    assert not {"http://localhost/draft", "http://localhost/routes/unpublished"} & locations


def test_robots_keeps_crawlers_out_of_the_admin(client):
    text = text_of(client, "/robots.txt")

    assert "Disallow: /admin/" in text
    assert "Sitemap: http://localhost/sitemap.xml" in text


@pytest.mark.parametrize("url", ["/news", "/about", "/feeds/news.atom", "/sitemap.xml"])
def test_new_public_urls_set_no_cookie(app, client, url):
    builders.page(app, "about", "About")

    assert "Set-Cookie" not in client.get(url).headers
