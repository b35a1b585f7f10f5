"""Organisers change the needs list: one-tap urgency, bulk marks, order, validated forms."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Category, Need, Page, Role, Settings, Site, Urgency, User
from tests import builders
from tests.pages import csrf_token, elements, submit


def test_one_tap_changes_urgency_and_credits_the_organiser(app, auth, client):
    user_id = auth.login_as(Role.organiser, display_name="Maya")
    need_id = builders.need(app, builders.category(app), "Sleeping bags", Urgency.needed)

    response = client.post(
        f"/admin/needs/{need_id}/urgency",
        data={
            "urgency": "urgent",
            "version": builders.get(app, Need, need_id).version,
            "csrf_token": csrf_token(client),
            "url": "/admin/needs/",
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/needs/"
    need = builders.get(app, Need, need_id)
    assert need.urgency == Urgency.urgent
    assert need.updated_by_id == user_id
    page = client.get("/admin/needs/").get_data(as_text=True)
    assert "“Sleeping bags” is now marked “Urgent”." in page
    assert "Sleeping bags" in client.get("/").get_data(as_text=True)


def test_a_one_tap_change_without_the_version_it_was_shown_is_refused(app, auth, client):
    """As on the phone board: a request that does not say what it was based on is outdated."""
    auth.login_as(Role.organiser)
    need_id = builders.need(app, builders.category(app), "Tents", Urgency.needed)

    response = client.post(
        f"/admin/needs/{need_id}/urgency",
        data={"urgency": "urgent", "csrf_token": csrf_token(client)},
        follow_redirects=True,
    )

    assert "Someone changed “Tents” meanwhile" in response.text
    assert builders.get(app, Need, need_id).urgency == Urgency.needed


def test_urgency_buttons_show_which_urgency_is_current(app, auth, client):
    auth.login_as(Role.organiser)
    builders.need(app, builders.category(app), "Tents", Urgency.plenty)

    html = client.get("/admin/needs/").get_data(as_text=True)

    pressed = {
        button.get("aria-label"): button.get("aria-pressed")
        for button in elements(html, "button[aria-pressed]")
    }
    assert pressed["Plenty: Tents"] == "true"
    assert pressed["Urgent: Tents"] == "false"


def test_unknown_urgency_is_refused_and_nothing_changes(app, auth, client):
    auth.login_as(Role.organiser)
    need_id = builders.need(app, builders.category(app), "Tents", Urgency.needed)

    response = client.post(
        f"/admin/needs/{need_id}/urgency",
        data={"urgency": "extremely", "csrf_token": csrf_token(client)},
        follow_redirects=True,
    )

    assert "Choose one of the urgency buttons; nothing was changed." in response.get_data(
        as_text=True
    )
    assert builders.get(app, Need, need_id).urgency == Urgency.needed


def test_urgency_change_for_a_missing_item_is_404(auth, client):
    auth.login_as(Role.organiser)

    response = client.post(
        "/admin/needs/999/urgency", data={"urgency": "urgent", "csrf_token": csrf_token(client)}
    )

    assert response.status_code == 404


@pytest.mark.parametrize("with_token", [False, True])
def test_urgency_change_without_csrf_token_is_refused(app, auth, client, with_token):
    auth.login_as(Role.organiser)
    need_id = builders.need(app, builders.category(app), "Tents", Urgency.needed)
    token = {"csrf_token": csrf_token(client)} if with_token else {}
    version = builders.get(app, Need, need_id).version

    response = client.post(
        f"/admin/needs/{need_id}/urgency", data={"urgency": "urgent", "version": version, **token}
    )

    if with_token:  # the same request, with its token, goes through
        assert response.status_code == 302
        assert builders.get(app, Need, need_id).urgency == Urgency.urgent
    else:
        assert response.status_code == 400
        assert "nothing was saved" in response.text
        assert builders.get(app, Need, need_id).urgency == Urgency.needed


def test_return_url_after_urgency_change_stays_on_this_site(app, auth, client):
    auth.login_as(Role.organiser)
    need_id = builders.need(app, builders.category(app))

    response = client.post(
        f"/admin/needs/{need_id}/urgency",
        data={
            "urgency": "urgent",
            "csrf_token": csrf_token(client),
            "url": "https://evil.example/",
        },
    )

    assert response.headers["Location"] == "/admin/needs/"


def test_bulk_action_marks_several_items_at_once(app, auth, client):
    auth.login_as(Role.organiser)
    clothes = builders.category(app)
    ids = [builders.need(app, clothes, name) for name in ("Socks", "Hats", "Gloves")]

    response = client.post(
        "/admin/needs/action/",
        data={"action": "mark_do_not_send", "rowid": ids[:2], "csrf_token": csrf_token(client)},
        follow_redirects=True,
    )

    assert "2 item(s) marked “Do not send”." in response.get_data(as_text=True)
    urgencies = [builders.get(app, Need, id_).urgency for id_ in ids]
    assert urgencies == [Urgency.do_not_send, Urgency.do_not_send, Urgency.needed]


def test_items_move_up_and_down_within_their_category(app, auth, client):
    auth.login_as(Role.organiser)
    clothes = builders.category(app)
    socks, hats, gloves = (
        builders.need(app, clothes, name, position=i)
        for i, name in enumerate(("Socks", "Hats", "Gloves"))
    )

    client.post(
        f"/admin/needs/{gloves}/move", data={"direction": "up", "csrf_token": csrf_token(client)}
    )

    order = [builders.get(app, Need, id_).position for id_ in (socks, hats, gloves)]
    assert order == [0, 2, 1]
    board = client.get("/needs").get_data(as_text=True)
    assert board.index("Socks") < board.index("Gloves") < board.index("Hats")


def test_moving_the_first_item_up_changes_nothing(app, auth, client):
    auth.login_as(Role.organiser)
    clothes = builders.category(app)
    socks = builders.need(app, clothes, "Socks", position=0)

    response = client.post(
        f"/admin/needs/{socks}/move",
        data={"direction": "up", "csrf_token": csrf_token(client)},
        follow_redirects=True,
    )

    assert "cannot move further that way" in response.get_data(as_text=True)


def test_creating_a_need_with_bad_quantity_shows_the_error_and_saves_nothing(app, auth, client):
    auth.login_as(Role.organiser)
    clothes = builders.category(app)

    response = submit(client, "/admin/needs/new/", builders.need_form(clothes, quantity="-5"))

    assert response.status_code == 200
    assert "Enter a number of 1 or more." in response.get_data(as_text=True)
    assert builders.count(app, Need) == 0


def test_creating_a_need_without_a_name_saves_nothing(app, auth, client):
    auth.login_as(Role.organiser)
    clothes = builders.category(app)

    response = submit(client, "/admin/needs/new/", builders.need_form(clothes, name=""))

    assert "This field is required." in response.get_data(as_text=True)
    assert builders.count(app, Need) == 0


def test_creating_a_need_with_an_invented_urgency_saves_nothing(app, auth, client):
    auth.login_as(Role.organiser)
    clothes = builders.category(app)

    submit(client, "/admin/needs/new/", builders.need_form(clothes, urgency="panic"))

    assert builders.count(app, Need) == 0


def test_creating_a_need_through_the_form_stamps_who_and_when(app, auth, client):
    user_id = auth.login_as(Role.organiser)
    clothes = builders.category(app)

    response = submit(
        client,
        "/admin/needs/new/",
        builders.need_form(
            clothes,
            details="New only",
            quantity="300",
            unit="pairs",
            is_visible="y",
            position="0",
        ),
    )

    assert response.status_code == 302
    with app.app_context():
        need = db.session.scalar(select(Need))
        assert (need.name, need.urgency, need.quantity, need.updated_by_id) == (
            "Socks",
            Urgency.urgent,
            300,
            user_id,
        )
    assert "<strong>300</strong> of 300 pairs still needed" in client.get("/needs").get_data(
        as_text=True
    )


def test_needs_list_can_be_filtered_by_urgency_and_searched(app, auth, client):
    auth.login_as(Role.organiser)
    clothes = builders.category(app)
    builders.need(app, clothes, "Sleeping bags", Urgency.urgent)
    builders.need(app, clothes, "Blankets", Urgency.plenty)

    html = client.get("/admin/needs/?search=sleeping").get_data(as_text=True)
    assert "Sleeping bags" in html and "Blankets" not in html

    filter_index = client.get("/admin/needs/").get_data(as_text=True)
    assert "Urgency" in filter_index


def test_search_with_sql_characters_is_harmless(app, auth, client):
    auth.login_as(Role.organiser)
    builders.need(app, builders.category(app), "Socks")

    response = client.get("/admin/needs/?search=%27%3B%20DROP%20TABLE%20needs%3B--")

    assert response.status_code == 200
    assert builders.count(app, Need) == 1


def test_a_category_with_items_cannot_be_deleted(app, auth, client):
    auth.login_as(Role.organiser)
    clothes = builders.category(app, "Warm clothes")
    builders.need(app, clothes)

    response = client.post(
        "/admin/categories/delete/",
        data={"id": str(clothes), "csrf_token": csrf_token(client, "/admin/categories/")},
        follow_redirects=True,
    )

    assert "still has 1 item(s)" in response.get_data(as_text=True)
    assert builders.count(app, Category) == 1


def test_category_slug_must_be_lowercase_words(app, auth, client):
    auth.login_as(Role.organiser)

    response = submit(
        client,
        "/admin/categories/new/",
        {"name": "Warm clothes", "slug": "Warm Clothes!", "position": "0"},
    )

    assert "Use lower-case letters, digits and single hyphens" in response.get_data(as_text=True)
    assert builders.count(app, Category) == 0


def test_site_window_cannot_end_before_it_starts(app, auth, client):
    auth.login_as(Role.organiser)

    window = {"open_from": "2026-11-27", "open_until": "2026-11-17"}
    response = submit(
        client,
        "/admin/sites/new/",
        {
            "name": "UK collection",
            "kind": "collection",
            **window,
            "is_active": "y",
            "position": "0",
        },
    )

    assert "The last day cannot come before the first day." in response.get_data(as_text=True)
    assert builders.count(app, Site) == 0


def save_settings(client, **fields):
    """The one settings form sent, for the group "Calais group", with `fields`."""
    return submit(client, "/admin/settings/edit/?id=1", {"group_name": "Calais group", **fields})


def test_pause_banner_needs_a_message(app, auth, client):
    auth.login_as(Role.organiser)

    response = save_settings(client, pause_enabled="y", pause_message="")

    assert "Say why donations are paused." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Settings, 1).pause_enabled is False


def test_organiser_turns_on_the_pause_banner(app, auth, client):
    auth.login_as(Role.organiser)

    response = save_settings(client, pause_enabled="y", pause_message="Warehouse full until March")

    assert response.status_code == 302
    html = client.get("/needs").get_data(as_text=True)
    assert "Warehouse full until March" in html and "Calais group" in html


def test_donation_link_must_be_https(app, auth, client):
    auth.login_as(Role.organiser)

    response = save_settings(client, donate_url="javascript:alert(1)")

    assert "Enter a full web address starting with https://" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Settings, 1).donate_url == ""


def test_organiser_chooses_the_volunteering_page_the_routes_pages_link_to(app, auth, client):
    auth.login_as(Role.organiser)
    page_id = builders.page(app, slug="come-and-help", title="Come and help")
    builders.page(app, slug="about", title="About us")

    form = client.get("/admin/settings/edit/?id=1").get_data(as_text=True)
    offered = [option.text for option in elements(form, "#volunteer_page option")]
    assert "About us" in offered and "Come and help" in offered
    response = save_settings(client, volunteer_page=str(page_id))

    assert response.status_code == 302
    links = elements(client.get("/routes").get_data(as_text=True), ".acting a")
    assert "/come-and-help" in [link.get("href") for link in links]

    # Deleting the page unsets it: the link goes, the settings stay.
    with app.app_context():
        db.session.delete(db.session.get(Page, page_id))
        db.session.commit()
        assert db.session.get(Settings, 1).volunteer_page_id is None
    links = elements(client.get("/routes").get_data(as_text=True), ".acting a")
    assert "/come-and-help" not in [link.get("href") for link in links]


def test_organiser_chooses_the_groups_place_from_the_places(app, auth, client):
    auth.login_as(Role.organiser)
    calais = builders.place(app, "Calais", "France", 50.95, 1.86)
    builders.place(app, "Dover", "United Kingdom", 51.13, 1.31)

    form = client.get("/admin/settings/edit/?id=1").get_data(as_text=True)
    offered = [option.text for option in elements(form, "#home_place option")]
    assert "Calais, France" in offered and "Dover, United Kingdom" in offered
    assert "Named first on the routes maps, e.g. Calais." in form
    response = save_settings(client, home_place=str(calais))

    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Settings, 1).home_place.name == "Calais"


def test_settings_list_goes_straight_to_the_one_settings_form(auth, client):
    auth.login_as(Role.organiser)

    response = client.get("/admin/settings/")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/settings/edit/?id=1")


def test_admin_creates_an_organiser_with_a_strong_password_only(app, auth, client):
    auth.login_as(Role.admin)
    url = "/admin/users/new/"
    form = builders.organiser_form("New@Example.org", "New")

    weak = submit(client, url, {**form, "new_password": "password1"})
    assert "Use at least 10 characters" in weak.get_data(as_text=True)
    assert builders.count(app, User) == 1

    strong = submit(client, url, {**form, "new_password": "plenty of dry socks"})
    assert strong.status_code == 302
    with app.app_context():
        user = User.by_email("new@example.org")
        assert user.check_password("plenty of dry socks")


def test_email_addresses_are_unique_whatever_their_case(app, auth, client):
    auth.login_as(Role.admin, email="boss@example.org")

    response = submit(
        client,
        "/admin/users/new/",
        builders.organiser_form("BOSS@example.org", "Copy", new_password="plenty of dry socks"),
    )

    assert "Already exists." in response.get_data(as_text=True)
    assert builders.count(app, User) == 1


def test_admin_cannot_remove_their_own_admin_role(app, auth, client):
    user_id = auth.login_as(Role.admin, email="boss@example.org")

    response = submit(
        client,
        f"/admin/users/edit/?id={user_id}",
        builders.organiser_form("boss@example.org", "Boss"),
        follow_redirects=True,
    )

    assert "You cannot remove your own admin role" in response.get_data(as_text=True)
    assert builders.get(app, User, user_id).role == Role.admin


def test_the_user_list_never_shows_password_hashes(auth, client):
    auth.login_as(Role.admin)

    html = client.get("/admin/users/").get_data(as_text=True)

    assert "$argon2" not in html
