"""What donors see on /, /needs and /needs.txt."""

import re
from datetime import UTC, datetime, timedelta

from markupsafe import escape

from app.dates import local_today
from app.extensions import db
from app.models import Need, Settings, Urgency
from tests import builders
from tests.apps import make_app
from tests.pages import elements


def page(client, url="/needs") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def set_settings(app, **fields):
    with app.app_context():
        settings = db.session.get(Settings, 1)
        for name, value in fields.items():
            setattr(settings, name, value)
        db.session.commit()


def test_needs_board_lists_urgent_then_needed_then_plenty_then_do_not_send(app, client):
    clothes = builders.category(app, "Warm clothes")
    builders.need(app, clothes, "Suits", Urgency.do_not_send)
    builders.need(app, clothes, "Blankets", Urgency.plenty)
    builders.need(app, clothes, "Tents", Urgency.needed)
    builders.need(app, clothes, "Sleeping bags", Urgency.urgent)

    html = page(client)

    positions = [html.index(name) for name in ("Sleeping bags", "Tents", "Blankets", "Suits")]
    assert positions == sorted(positions)
    headings = [html.index(f'id="{urgency.value}-heading"') for urgency in Urgency]
    assert headings[0] < html.index("Sleeping bags") < headings[1] < html.index("Tents")
    assert headings[2] < html.index("Blankets") < headings[3] < html.index("Suits")


def test_do_not_send_items_are_listed_in_their_own_section(app, client):
    clothes = builders.category(app, "Warm clothes")
    builders.need(app, clothes, "Wedding dresses", Urgency.do_not_send)

    html = page(client)

    section = re.search(r'<section id="do_not_send".*?</section>', html, re.S).group(0)
    assert "Please do not send" in section
    assert "Wedding dresses" in section
    assert "Do not send" in section  # said in words, not only by colour


def test_each_urgency_says_its_note_and_whether_the_text_list_names_categories(app, client):
    clothes = builders.category(app, "Warm clothes")
    for urgency in Urgency:
        builders.need(app, clothes, f"Item {urgency.value}", urgency)

    html, text = page(client), page(client, "/needs.txt")

    for urgency in Urgency:
        section = re.search(rf'<section id="{urgency.value}".*?</section>', html, re.S).group(0)
        notes = re.findall(r'<p class="section-note">(.*?)</p>', section)
        assert notes == ([escape(urgency.note)] if urgency.note else [])
        named = f"{urgency.heading.upper()}\nWarm clothes:\n- Item {urgency.value}" in text
        assert named == urgency.lists_categories
        assert f"{urgency.heading.upper()}\n- Item {urgency.value}" in text or named
    # The words donors read, kept as they were.
    assert [urgency for urgency in Urgency if urgency.lists_categories] == [
        Urgency.urgent,
        Urgency.needed,
    ]
    assert Urgency.plenty.note == (
        "We have enough of these for now. Please send something from the lists above instead."
    )
    assert Urgency.do_not_send.note.startswith("We cannot use these")
    assert not Urgency.urgent.note and not Urgency.needed.note


def test_needs_are_grouped_by_category_in_category_order(app, client):
    second = builders.category(app, "Sleeping", position=2)
    first = builders.category(app, "Clothes", position=1)
    builders.need(app, second, "Tents", Urgency.urgent)
    builders.need(app, first, "Socks", Urgency.urgent)

    html = page(client)

    assert html.index("<h3>Clothes</h3>") < html.index("Socks") < html.index("<h3>Sleeping</h3>")
    assert html.index("<h3>Sleeping</h3>") < html.index("Tents")


def test_items_show_details_and_what_is_missing_and_the_list_when_it_was_checked(app, client):
    clothes = builders.category(app, "Warm clothes")
    builders.need(
        app,
        clothes,
        "Tracksuit bottoms",
        Urgency.urgent,
        details="Men’s S and M, no jeans",
        quantity=80,
        unit="pairs",
    )

    html = page(client)

    assert "Men’s S and M, no jeans" in html
    assert "<strong>80</strong> of 80 pairs still needed" in html
    assert re.search(r"List checked <time[^>]*>today</time>", html)
    assert "Updated <time" not in html  # not repeated on every item


def test_hidden_and_expired_items_are_not_shown(app, client):
    clothes = builders.category(app, "Warm clothes")
    with app.app_context():
        yesterday = local_today() - timedelta(days=1)
        today = local_today()
    builders.need(app, clothes, "Hidden hats", is_visible=False)
    builders.need(app, clothes, "Expired scarves", needed_until=yesterday)
    builders.need(app, clothes, "Last-day gloves", needed_until=today)

    html = page(client)

    assert "Hidden hats" not in html
    assert "Expired scarves" not in html
    assert "Last-day gloves" in html


def test_drop_off_sites_show_hours_window_and_booking_rule(app, client):
    with app.app_context():
        today = local_today()
    builders.site(
        app,
        "UK collection point",
        opening_hours="Saturdays 10–14",
        booking_rule="Tell us what you bring and when",
        open_from=today,
        open_until=today + timedelta(days=3),
    )
    builders.site(app, "Closed last week", open_until=today - timedelta(days=7))
    builders.site(app, "Inactive site", is_active=False)

    html = page(client)

    drop_off = re.search(r'<section id="drop-off".*?</section>', html, re.S).group(0)
    assert "UK collection point" in drop_off
    assert "Saturdays 10–14" in drop_off
    assert "Tell us what you bring and when" in drop_off
    assert f"{today.day}" in drop_off
    assert "Closed last week" not in html
    assert "Inactive site" not in html


def test_money_link_and_what_it_buys_are_shown(app, client):
    set_settings(app, donate_url="https://example.org/give", donate_line="£10 buys a sleeping bag")

    html = page(client)

    assert 'href="https://example.org/give"' in html
    assert "£10 buys a sleeping bag" in html


def test_pause_banner_is_shown_on_home_and_needs_when_on(app, client):
    assert "Please pause donations" not in page(client, "/")
    set_settings(app, pause_enabled=True, pause_message="Our warehouse is full until March")

    for url in ("/", "/needs"):
        html = page(client, url)
        assert "Please pause donations" in html
        assert "Our warehouse is full until March" in html


def test_home_shows_the_most_urgent_items_and_links_to_the_list(app, client):
    clothes = builders.category(app, "Warm clothes")
    builders.need(app, clothes, "Sleeping bags", Urgency.urgent)
    builders.need(app, clothes, "Toothbrushes", Urgency.needed)

    html = page(client, "/")

    assert "Sleeping bags" in html
    assert "Toothbrushes" not in html
    assert 'href="/needs"' in html
    assert 'href="/needs#drop-off"' in html


def test_home_says_so_when_nothing_is_urgent(client):
    assert "Nothing is urgent right now" in page(client, "/")


def test_plain_text_list_is_ready_to_paste(app, client):
    clothes = builders.category(app, "Warm clothes")
    builders.need(app, clothes, "Sleeping bags", Urgency.urgent, quantity=100, unit="bags")
    builders.need(app, clothes, "Heels", Urgency.do_not_send)
    builders.site(app, "Calais warehouse", opening_hours="Mon–Fri 10–17")

    response = client.get("/needs.txt")

    assert response.status_code == 200
    assert response.content_type == "text/plain; charset=utf-8"
    text = response.get_data(as_text=True)
    assert "<" not in text
    assert "URGENTLY NEEDED\nWarm clothes:\n- Sleeping bags: 100 of 100 bags still needed" in text
    assert "PLEASE DO NOT SEND\n- Heels" in text
    assert "Calais warehouse" in text and "Mon–Fri 10–17" in text
    assert text.rstrip().endswith("/needs")


def test_item_names_are_escaped_on_the_page(app, client):
    clothes = builders.category(app, "Warm clothes")
    builders.need(app, clothes, "<script>alert(1)</script>", Urgency.urgent)

    html = page(client)

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unknown_page_gets_a_404_in_the_site_style(client):
    response = client.get("/no-such-page")

    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page not found" in html
    assert 'href="/needs"' in html
    assert "Traceback" not in html


def test_errors_inside_a_view_give_a_500_page_without_a_trace(app, client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database exploded: secret detail")

    monkeypatch.setattr(Need, "public_board", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False

    response = client.get("/needs")

    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong" in html
    assert "secret detail" not in html and "Traceback" not in html


def test_error_pages_still_render_when_the_database_is_unreachable():
    app = make_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()

    missing = client.get("/no/such/page")
    failing = client.get("/needs")

    assert missing.status_code == 404 and "Page not found" in missing.get_data(as_text=True)
    assert failing.status_code in (500, 503)
    assert "Traceback" not in failing.get_data(as_text=True)


def test_behind_a_trusted_proxy_links_use_the_public_address(database_config):
    app = make_app(database_config, TRUSTED_PROXIES=1)
    with app.app_context():
        db.create_all()
    client = app.test_client()

    text = client.get(
        "/needs.txt",
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "needs.example.org"},
    ).get_data(as_text=True)

    assert text.rstrip().endswith("https://needs.example.org/needs")
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def test_while_paused_nothing_reads_as_a_call_to_send(app, client):
    clothes = builders.category(app, "Warm clothes")
    builders.need(app, clothes, "Sleeping bags", Urgency.urgent)
    set_settings(app, pause_enabled=True, pause_message="Warehouse full until 8 December")

    home, needs = page(client, "/"), page(client)
    text = client.get("/needs.txt").get_data(as_text=True)
    feed = client.get("/feeds/needs.atom").get_data(as_text=True)

    assert "Most urgent right now" not in home and "Sleeping bags" not in home
    assert "Please do not send anything now" in home
    assert "Urgently needed" not in needs and "Urgent once donations open again" in needs
    assert needs.index("Donations are paused") < needs.index("Sleeping bags")
    assert "URGENTLY NEEDED" not in text
    assert text.index("DONATIONS ARE PAUSED") < text.index("URGENT ONCE DONATIONS OPEN AGAIN")
    assert feed.index("Donations are paused") < feed.index("Sleeping bags")
    assert "Warehouse full until 8 December" in feed


def test_an_item_says_when_it_was_checked_only_where_that_differs_from_the_list(app, client):
    clothes = builders.category(app, "Warm clothes")
    fresh = builders.need(app, clothes, "Socks", Urgency.urgent)
    old = builders.need(app, clothes, "Gloves", Urgency.urgent)
    with app.app_context():
        db.session.get(Need, old).checked_at = datetime.now(UTC) - timedelta(days=3)
        db.session.commit()
        db.session.get(Need, fresh).checked_at = datetime.now(UTC)
        db.session.commit()

    html = page(client)

    assert re.search(r"List checked <time[^>]*>today</time>", html)
    gloves, socks = html.index("Gloves"), html.index("Socks")
    assert "Checked <time" in html[gloves : gloves + 600]
    assert "3 days ago" in html[gloves : gloves + 600]
    assert "Checked <time" not in html[socks : socks + 400]


def test_quantities_show_what_is_still_missing_with_a_bar(app, client):
    clothes = builders.category(app, "Warm clothes")
    builders.need(
        app, clothes, "Sleeping bags", Urgency.urgent, quantity=100, unit="bags", received=40
    )
    builders.need(app, clothes, "Tents", Urgency.urgent, quantity=5, received=7)

    html = page(client)

    assert "<strong>60</strong> of 100 bags still needed" in html
    bars = [bar.attrs for bar in elements(html, "progress")]
    assert {"max": "100", "value": "40", "aria-label": "40 of 100 received"} in bars
    assert "All 5 have arrived" in html
    assert "60 of 100 bags still needed" in client.get("/needs.txt").get_data(as_text=True)
