"""The organisers' phone board: one-tap changes back at the card, checks, arrivals, the pause
switch, a phone-friendly form to add an item, and no change made from an outdated view."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Change, Need, Role, Settings, Urgency
from tests import builders
from tests.accounts import AuthActions
from tests.pages import Element, csrf_token_from, element, elements, submit


@pytest.fixture
def maya(app, client):
    AuthActions(app, client).login_as(Role.organiser, display_name="Maya")
    return client


@pytest.fixture
def bags(app):
    shelter = builders.category(app, "Shelter")
    return builders.need(app, shelter, "Sleeping bags", Urgency.needed, quantity=100, unit="bags")


def board(client) -> str:
    return client.get("/admin/board/").get_data(as_text=True)


def card(html: str, need_id: int) -> Element:
    found = element(html, f"li#need-{need_id}")
    assert "card" in found.classes
    return found


def notes(here: Element, role: str) -> list[str]:
    """The messages of a card read out politely ("status") or at once ("alert")."""
    return [note.text for note in here.select(f"[role={role}]")]


def post(client, url: str, **data):
    token = csrf_token_from(board(client))
    return client.post(url, data={"csrf_token": token, **data})


def version(app, need_id: int) -> int:
    return builders.get(app, Need, need_id).version


def test_the_board_groups_items_by_urgency_then_category_with_stale_ones_first(app, maya):
    shelter, clothes = builders.category(app, "Shelter"), builders.category(app, "Clothes")
    builders.need(app, clothes, "Socks", Urgency.needed)
    builders.need(app, shelter, "Tents", Urgency.urgent)
    old = builders.need(app, shelter, "Tarpaulins", Urgency.needed)
    builders.need(app, clothes, "Heels", Urgency.do_not_send, is_visible=False)
    with app.app_context():
        db.session.get(Need, old).checked_at = datetime.now(UTC) - timedelta(days=12)
        db.session.commit()

    html = board(maya)

    look = html.index('id="look"')
    assert look < html.index("Tarpaulins") < html.index('id="urgent"') < html.index("Tents")
    assert html.index('id="needed"') < html.index("Socks") < html.index('id="do_not_send"')
    assert "checked 12 days ago" in card(html, old).text
    assert "Hidden from the public" in html
    assert len(re.findall(r">Tarpaulins</h\d>", html)) == 1  # not again under its urgency


def test_a_tap_changes_the_urgency_and_comes_back_to_the_card_with_a_message(app, maya, bags):
    response = post(
        maya, f"/admin/board/{bags}/urgency", urgency="urgent", version=version(app, bags)
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/board/#need-{bags}"
    assert builders.get(app, Need, bags).urgency == Urgency.urgent
    here = card(board(maya), bags)
    assert notes(here, "status") == ["“Sleeping bags” is now “Urgent”."]
    with app.app_context():
        change = db.session.scalars(select(Change).where(Change.record_type == "needs")).all()[-1]
        assert change.user_name == "Maya" and change.changed_fields == ["urgency"]


def test_a_tap_from_an_outdated_board_is_refused_naming_who_changed_the_item(app, client, bags):
    sam = app.test_client()
    AuthActions(app, sam).login_as(Role.organiser, display_name="Sam")
    AuthActions(app, client).login_as(Role.organiser, display_name="Maya")
    seen = version(app, bags)
    post(sam, f"/admin/board/{bags}/urgency", urgency="plenty", version=seen)

    post(client, f"/admin/board/{bags}/urgency", urgency="urgent", version=seen)

    assert builders.get(app, Need, bags).urgency == Urgency.plenty
    here = card(board(client), bags)
    (alert,) = notes(here, "alert")
    assert "Sam changed “Sleeping bags” after this page was shown" in alert


def test_still_right_marks_the_item_checked_and_nothing_else(app, maya, bags):
    with app.app_context():
        need = db.session.get(Need, bags)
        need.checked_at = need.updated_at = datetime.now(UTC) - timedelta(days=9)
        db.session.commit()
    before = builders.get(app, Need, bags)

    post(maya, f"/admin/board/{bags}/checked", version=before.version)

    after = builders.get(app, Need, bags)
    assert after.checked_at > before.checked_at and after.updated_at == before.updated_at
    assert (after.urgency, after.received) == (before.urgency, before.received)
    assert "checked, still right" in card(board(maya), bags).text
    with app.app_context():
        summaries = db.session.scalars(select(Change.summary)).all()
        assert "Sleeping bags: checked, still right" in summaries


@pytest.mark.parametrize(
    ("data", "received"),
    [({"add": "10"}, 30), ({"add": "-1"}, 19), ({"received": "60"}, 60), ({"received": "0"}, 0)],
)
def test_what_arrived_is_added_with_a_step_or_typed(app, maya, bags, data, received):
    with app.app_context():
        db.session.get(Need, bags).received = 20
        db.session.commit()

    post(maya, f"/admin/board/{bags}/received", version=version(app, bags), **data)

    assert builders.get(app, Need, bags).received == received
    assert f"{100 - received} of 100 bags still needed" in board(maya)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"received": "-5"}, "fewer than none"),
        ({"received": "lots"}, "whole number"),
        ({"received": "99999999999999"}, "too large"),
        ({"add": "-30"}, "fewer than none"),
        ({"add": "1e3"}, "whole number"),
        ({"received": "1_000"}, "whole number"),
        ({"received": "١٢"}, "whole number"),
        ({"add": "+3"}, "whole number"),
    ],
)
def test_bad_numbers_get_a_message_beside_the_field_and_save_nothing(
    app, maya, bags, data, message
):
    before = builders.get(app, Need, bags)
    with app.app_context():
        db.session.get(Need, bags).received = 20
        db.session.commit()

    post(maya, f"/admin/board/{bags}/received", version=version(app, bags), **data)

    assert builders.get(app, Need, bags).received == 20
    here = card(board(maya), bags)
    (field,) = here.select(f"input#need-{bags}-received")
    (note,) = here.select(f"#{field.get('aria-describedby')}")
    assert field.get("aria-invalid") == "true" and message in note.text
    assert builders.get(app, Need, bags).version == before.version + 1  # only our own set-up


def test_the_same_arrival_sent_twice_on_a_bad_signal_is_counted_once(app, maya, bags):
    seen = version(app, bags)

    post(maya, f"/admin/board/{bags}/received", version=seen, add="10")
    post(maya, f"/admin/board/{bags}/received", version=seen, add="10")

    assert builders.get(app, Need, bags).received == 10
    assert "You changed “Sleeping bags” after this page was shown" in card(board(maya), bags).text


def test_when_enough_has_arrived_the_card_offers_to_move_it_to_plenty(app, maya, bags):
    post(maya, f"/admin/board/{bags}/received", version=version(app, bags), received="100")

    here = card(board(maya), bags)
    assert "Enough arrived: move to “Plenty”" in here.text
    post(maya, f"/admin/board/{bags}/urgency", urgency="plenty", version=version(app, bags))
    assert builders.get(app, Need, bags).urgency == Urgency.plenty
    assert "Enough arrived" not in card(board(maya), bags).text


def test_the_pause_switch_needs_a_message_to_go_on_and_one_tap_to_go_off(app, maya, client):
    settings_version = builders.get(app, Settings, 1).version

    refused = post(maya, "/admin/board/pause", pause="on", message=" ", version=settings_version)
    assert refused.headers["Location"] == "/admin/board/#pause"
    assert builders.get(app, Settings, 1).pause_enabled is False
    assert "Say why donations are paused" in board(maya)

    post(
        maya,
        "/admin/board/pause",
        pause="on",
        message="Warehouse full until 8 December",
        version=settings_version,
    )
    html = board(maya)
    assert "Donations are paused" in html and "Warehouse full until 8 December" in html
    assert html.index('id="pause"') < html.index('id="urgent"')  # leads the board while on
    assert "Warehouse full until 8 December" in client.get("/").get_data(as_text=True)

    post(maya, "/admin/board/pause", pause="off", version=builders.get(app, Settings, 1).version)
    assert builders.get(app, Settings, 1).pause_enabled is False
    assert "Donations are open again" in board(maya)


def test_adding_an_item_from_the_phone_form(app, maya):
    shelter = builders.category(app, "Shelter")
    form = maya.get("/admin/board/new").get_data(as_text=True)
    assert elements(form, "input[type=radio]") and elements(form, "input[type=date]")
    assert "select2" not in form

    response = submit(
        maya,
        "/admin/board/new",
        builders.need_form(
            shelter,
            "Power banks",
            quantity="40",
            unit="",
            site="",
            needed_until="2030-01-31",
            is_visible="y",
            details="Charged, with cables",
        ),
    )

    with app.app_context():
        need = db.session.scalar(select(Need).where(Need.name == "Power banks"))
        assert (need.urgency, need.quantity, need.category_id) == (Urgency.urgent, 40, shelter)
    assert response.headers["Location"] == f"/admin/board/#need-{need.id}"
    assert "“Power banks” is on the list as “Urgent”." in card(board(maya), need.id).text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Say what is needed"),
        ({"category": ""}, "Choose a category"),
        ({"urgency": "whenever"}, "Not a valid choice"),
        ({"quantity": "-4"}, "Enter a number of 1 or more."),
        ({"quantity": "forty"}, "Enter a whole number"),
        ({"quantity": "4_0"}, "Enter a whole number"),
        ({"quantity": "٤٠"}, "Enter a whole number"),
        ({"needed_until": "31/31/2030"}, "Not a valid date"),
        ({"category": "999999"}, "Not a valid choice"),
    ],
)
def test_the_phone_form_says_what_is_wrong_beside_the_field_and_adds_nothing(
    app, maya, data, message
):
    shelter = builders.category(app, "Shelter")
    fields = builders.need_form(shelter, "Tents", "needed", quantity="", needed_until="", site="")

    response = submit(maya, "/admin/board/new", {**fields, **data})

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html and elements(html, ".error")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Need)) == 0


def test_the_dashboard_leads_to_the_board_and_counts_items_that_need_a_look(app, maya, bags):
    with app.app_context():
        db.session.get(Need, bags).checked_at = datetime.now(UTC) - timedelta(days=30)
        db.session.commit()

    html = maya.get("/admin/").get_data(as_text=True)

    assert html.index("Open the needs board") < html.index("The needs list as a table")
    assert "1 item needs a look</a>: nobody has confirmed it for more than" in html


def test_organisers_pages_come_compressed_and_are_never_stored(maya):
    response = maya.get("/admin/board/", headers={"Accept-Encoding": "gzip"})

    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Cache-Control"] == "no-store"


def test_admin_files_are_cached_for_a_year_under_their_digest(maya):
    html = maya.get("/admin/").get_data(as_text=True)
    links = re.findall(r'(?:href|src)="(/admin/static/[^"]+)"', html)

    assert len(links) == len(set(links)), "a file loaded twice"
    assert sum("bootstrap.min.css" in link for link in links) == 1
    for link in links:
        with maya.get(link, headers={"Accept-Encoding": "gzip"}) as response:
            assert response.status_code == 200, link
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
            if response.mimetype in ("text/css", "text/javascript", "application/javascript"):
                assert response.headers["Content-Encoding"] == "gzip", link


def test_how_long_before_an_item_needs_a_look_is_a_setting(app, maya, bags):
    url = "/admin/settings/edit/?id=1"
    form = maya.get(url).get_data(as_text=True)
    fields = {
        "csrf_token": csrf_token_from(form),
        "group_name": "Needs Now",
        "check_after_days": "0",
        "version_seen": str(builders.get(app, Settings, 1).version),
    }
    refused = maya.post(url, data=fields)
    assert "Enter a number of days, 1 to 365." in refused.get_data(as_text=True)

    maya.post(url, data={**fields, "check_after_days": "2"})
    assert builders.get(app, Settings, 1).check_after_days == 2
    with app.app_context():
        db.session.get(Need, bags).checked_at = datetime.now(UTC) - timedelta(days=3)
        db.session.commit()
    assert 'id="look"' in board(maya) and "more than 2 days" in board(maya)


def test_counting_arrivals_confirms_the_item_without_announcing_a_change(app, maya, bags, client):
    with app.app_context():
        need = db.session.get(Need, bags)
        need.checked_at = need.updated_at = datetime.now(UTC) - timedelta(days=9)
        db.session.commit()
    before = builders.get(app, Need, bags)
    feed = client.get("/feeds/needs.atom").get_data(as_text=True).count("<entry>")

    post(maya, f"/admin/board/{bags}/received", version=before.version, add="10")

    after = builders.get(app, Need, bags)
    assert after.received == 10 and after.checked_at > before.checked_at
    assert after.updated_at == before.updated_at
    assert client.get("/feeds/needs.atom").get_data(as_text=True).count("<entry>") == feed


@pytest.mark.parametrize("data", [{"pause": "maybe"}, {}])
def test_a_pause_request_that_is_neither_on_nor_off_changes_nothing(app, maya, data):
    with app.app_context():
        settings = db.session.get(Settings, 1)
        settings.pause_enabled, settings.pause_message = True, "Full"
        db.session.commit()

    post(maya, "/admin/board/pause", version=builders.get(app, Settings, 1).version, **data)

    assert builders.get(app, Settings, 1).pause_enabled is True
    assert "nothing was changed" in board(maya)


@pytest.mark.parametrize("action", ["urgency", "checked", "received"])
def test_an_action_without_the_version_it_was_shown_is_refused(app, maya, bags, action):
    before = builders.get(app, Need, bags)

    post(maya, f"/admin/board/{bags}/{action}", urgency="urgent", add="10")

    after = builders.get(app, Need, bags)
    assert (after.urgency, after.received, after.version) == (
        before.urgency,
        before.received,
        before.version,
    )
    assert "after this page was shown" in card(board(maya), bags).text


def test_a_save_in_the_full_admin_says_so_on_the_board_it_returns_to(app, maya, bags):
    edit = maya.get(f"/admin/needs/edit/?id={bags}&url=/admin/board/").get_data(as_text=True)
    fields = dict(re.findall(r'name="([a-z_]+)" type="hidden" value="([^"]*)"', edit))
    response = maya.post(
        f"/admin/needs/edit/?id={bags}&url=/admin/board/",
        data={
            **fields,
            "csrf_token": csrf_token_from(edit),
            "category": "1",
            "name": "Sleeping bags",
            "urgency": "urgent",
            "quantity": "100",
            "received": "0",
            "position": "0",
            "is_visible": "y",
        },
    )

    assert response.headers["Location"] == "/admin/board/"
    html = board(maya)
    # Flask-Admin's "Record was successfully saved.", naming the record (app/admin/base.py).
    assert "“Sleeping bags” was saved." in html.split('id="pause"')[0].split("<h2")[0]


HOSTILE = [
    "",
    " ",
    "\x0c",
    "abc",
    "-1",
    "0",
    "2147483648",
    "99999999999999999999999",
    "1e5",
    "nan",
    "😀",
    "x" * 5000,
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
]


def test_no_value_sent_to_any_board_form_gives_a_server_error(app, maya, bags):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    shelter = builders.get(app, Need, bags).category_id
    token = csrf_token_from(board(maya))
    forms = {
        f"/admin/board/{bags}/urgency": ["urgency", "version"],
        f"/admin/board/{bags}/checked": ["version"],
        f"/admin/board/{bags}/received": ["received", "add", "total", "version"],
        "/admin/board/pause": ["pause", "message", "version"],
        "/admin/board/new": [
            "name",
            "urgency",
            "category",
            "quantity",
            "unit",
            "site",
            "needed_until",
            "details",
            "is_visible",
        ],
        "/admin/board/99999999999999999999/urgency": ["urgency"],
    }
    valid = {
        "csrf_token": token,
        "urgency": "urgent",
        "version": "1",
        "name": "Tents",
        "category": str(shelter),
    }

    failures = [
        (url, name, value[:12])
        for url, names in forms.items()
        for name in names
        for value in HOSTILE
        if maya.post(url, data={**valid, name: value}).status_code >= 500
    ]

    assert failures == []


def test_a_date_past_what_can_be_shown_is_refused_beside_the_field(app, maya):
    shelter = builders.category(app, "Shelter")

    response = submit(
        maya,
        "/admin/board/new",
        builders.need_form(shelter, "Tents", needed_until="9999-12-31", is_visible="y"),
    )

    assert response.status_code == 200
    assert "Enter a date between 1900 and 2999." in response.text
    with app.app_context():
        assert db.session.scalar(select(Need).where(Need.name == "Tents")) is None
