"""Control characters pasted from PDFs and word processors never reach the feeds or the sitemap:
they are removed as text is set, whichever way it arrives, and were removed from what was stored."""

import xml.etree.ElementTree as ET

import pytest
from flask_migrate import upgrade
from sqlalchemy import select, text

from app.extensions import db
from app.models import Change, Need, Post, Role, Urgency
from app.models.text import clean_text
from tests import builders
from tests.apps import make_app
from tests.pages import submit

PASTED = "Sleeping\x0c bags\x1b[0m\x08 (adult)\ufffe"
XML_URLS = ["/feeds/news.atom", "/feeds/needs.atom", "/sitemap.xml"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (PASTED, "Sleeping bags[0m (adult)"),
        ("Two lines\nand a\ttab\r\n", "Two lines\nand a\ttab\r\n"),
        ("Réfugiés · 避难 · لاجئون 🙂", "Réfugiés · 避难 · لاجئون 🙂"),
        (Urgency.urgent, Urgency.urgent),
        (None, None),
    ],
)
def test_only_characters_xml_refuses_are_removed(typed, stored):
    assert clean_text(typed) == stored
    assert type(clean_text(typed)) is type(stored)


def test_text_saved_any_way_is_stored_clean_and_every_feed_stays_well_formed(app, client):
    need_id = builders.need(app, builders.category(app, "Shelter\x0c"), PASTED, details="\x1b!")
    builders.published_post(app, "week", "A\x0c week", body="Body\x0c text\x07")
    with app.app_context():
        db.session.get(Need, need_id).urgency = Urgency.urgent
        db.session.commit()
        stored = db.session.get(Need, need_id)
        assert (stored.name, stored.details) == ("Sleeping bags[0m (adult)", "!")
        assert db.session.scalar(select(Post.title)) == "A week"
        assert all("\x0c" not in change.summary for change in db.session.scalars(select(Change)))

    for url in XML_URLS:
        response = client.get(url)
        assert response.status_code == 200
        ET.fromstring(response.data)  # raises on anything that is not well-formed XML
    assert "Urgent: Sleeping bags[0m (adult)" in client.get("/feeds/needs.atom").text


def test_characters_that_markdown_makes_from_entities_never_reach_the_feeds(app, client):
    builders.published_post(
        app, "week", "Week", body="A form &#12; feed, ![a&#x0c;b](/media/x.png)"
    )

    feed = client.get("/feeds/news.atom")

    ET.fromstring(feed.data)
    assert "\x0c" not in feed.text and "A form  feed" in feed.text


def test_a_name_typed_on_the_phone_board_is_stored_clean(app, auth, client):
    auth.login_as(Role.organiser)
    maya = client
    shelter = builders.category(app, "Shelter")

    response = submit(
        maya,
        "/admin/board/new",
        builders.need_form(
            shelter,
            "Power\x0c banks",
            quantity="",
            unit="",
            site="",
            needed_until="",
            is_visible="y",
            details="",
        ),
    )

    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Need.name)) == "Power banks"


def test_upgrading_removes_what_was_stored_before(tmp_path):
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite'}"})
    with app.app_context():
        upgrade(revision="0008_login_sessions")
        db.session.execute(
            text(
                "INSERT INTO posts (id, slug, title, summary, body, author_name, created_at, "
                "updated_at, version) VALUES (1, 'week', 'A\x0c week', '', 'Line\none\x1b', '', "
                "'2026-11-01 09:00:00', '2026-11-01 09:00:00', 1)"
            )
        )
        db.session.commit()

        upgrade()

        row = db.session.execute(text("SELECT title, body FROM posts")).one()
        assert tuple(row) == ("A week", "Line\none")
        db.engine.dispose()
