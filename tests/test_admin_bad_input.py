"""Bad input to the admin gets a clear answer, never a database error, on both databases."""

import pytest

from app.extensions import db
from app.models import Category, Need, Role, Urgency, User
from tests import builders
from tests.accounts import create_user
from tests.pages import csrf_token, elements, submit


@pytest.mark.parametrize(
    "url",
    [
        "/admin/needs/edit/?id=abc",
        "/admin/needs/edit/?id=99999999999",
        "/admin/needs/edit/?id=-1",
        "/admin/users/edit/?id=abc",
        "/admin/needs/?page=-1",
        "/admin/needs/?page=abc",
        "/admin/needs/?flt0_category_equals=zzz",
        "/admin/needs/?flt0_urgency_equals=zzz",
        "/admin/needs/?flt0_shown_equals=zzz",
        "/admin/needs/?sort=999",
        "/admin/places/edit/?id=1e9",
        "/admin/needs/edit/?id=%C2%B2",  # "²": str.isdigit() says yes, int() says no
        "/admin/needs/edit/?id=" + "9" * 5000,  # more digits than int() reads
        "/admin/needs/?page=99999999999999999999",
        "/admin/needs/?sort=-1&desc=abc",
        "/admin/needs/?sort=abc&desc=99999999999999999999",
        "/admin/needs/?page_size=99999999999999999999",
        "/admin/sites/?flt0_kind_equals=abc",
        "/admin/users/?flt0_role_equals=abc",
        "/admin/stages/?flt0_routes_position_equals=99999999999999999999999",
        "/admin/changes/?flt0_record_equals=99999999999999999999999",
        "/admin/needs/details/?url=/admin/%0D%0ASet-Cookie:%20x=1",
    ],
)
def test_malformed_admin_urls_never_fail_with_a_server_error(auth, client, url):
    auth.login_as(Role.admin)

    response = client.get(url)

    assert response.status_code in (200, 302, 404)


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/admin/needs/99999999999/urgency", {"urgency": "urgent"}),
        ("/admin/needs/abc/urgency", {"urgency": "urgent"}),
        ("/admin/needs/99999999999/move", {"direction": "up"}),
        ("/admin/needs/action/", {"action": "mark_urgent", "rowid": ["abc", "99999999999"]}),
        ("/admin/needs/delete/", {"id": "abc"}),
    ],
)
def test_malformed_admin_posts_never_fail_with_a_server_error(app, organiser, client, url, data):
    builders.need(app, builders.category(app))

    response = client.post(url, data={**data, "csrf_token": csrf_token(client)})

    assert response.status_code in (302, 404)


def test_numbers_too_large_for_the_database_are_refused_beside_the_field(app, organiser, client):
    clothes = builders.category(app)

    response = submit(
        client,
        "/admin/needs/new/",
        builders.need_form(clothes, quantity="99999999999", position="99999999999"),
    )

    html = response.get_data(as_text=True)
    assert "Enter a number of 1 or more." in html
    assert "Enter a number from 0 up." in html
    assert "psycopg" not in html and "[SQL:" not in html
    with app.app_context():
        assert db.session.query(Need).count() == 0


def test_nul_bytes_are_refused_with_400_everywhere(app, client):
    create_user(app, email="maya@example.org")
    login_token = csrf_token(client, "/login")

    def log_in(email: str):
        return client.post(
            "/login", data={"email": email, "password": "x", "csrf_token": login_token}
        )

    assert log_in("maya\x00@example.org").status_code == 400
    assert log_in("maya@example.org").status_code == 401  # the same form, without the NUL
    assert client.get("/needs?x=%00").status_code == 400
    assert client.get("/needs?x=0").status_code == 200


def test_line_breaks_from_a_phone_form_are_stored_plainly(app, organiser, client):
    clothes = builders.category(app)

    submit(
        client,
        "/admin/needs/new/",
        builders.need_form(clothes, details="New only\r\nAdult sizes", position="0"),
    )

    with app.app_context():
        assert db.session.query(Need).one().details == "New only\nAdult sizes"
    assert "\r" not in client.get("/needs.txt").get_data(as_text=True)


def test_filters_narrow_the_needs_list(app, organiser, client):
    clothes = builders.category(app, "Clothes")
    shelter = builders.category(app, "Shelter")
    builders.need(app, clothes, "Sleeping bags", Urgency.urgent)
    builders.need(app, shelter, "Blankets", Urgency.plenty)

    by_urgency = client.get("/admin/needs/?flt0_urgency_equals=plenty").get_data(as_text=True)
    by_category = client.get(f"/admin/needs/?flt0_category_equals={clothes}").get_data(as_text=True)

    assert "Blankets" in by_urgency and "Sleeping bags" not in by_urgency
    assert "Sleeping bags" in by_category and "Blankets" not in by_category


def test_dashboard_counts_link_to_the_filtered_list(app, organiser, client):
    clothes = builders.category(app)
    builders.need(app, clothes, "Sleeping bags", Urgency.urgent)
    builders.need(app, clothes, "Blankets", Urgency.plenty)

    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "Urgent: 1" in dashboard
    link = "/admin/needs/?flt0_urgency_equals=urgent"
    assert elements(dashboard, f"a[href='{link}']")

    html = client.get(link).get_data(as_text=True)
    assert "Sleeping bags" in html and "Blankets" not in html


def test_moving_an_item_does_not_mark_others_as_updated(app, organiser, client):
    clothes = builders.category(app)
    ids = [builders.need(app, clothes, name) for name in ("Socks", "Hats", "Gloves")]
    with app.app_context():  # make every stamp old, and every position the same
        old = db.session.get(Need, ids[0]).updated_at.replace(year=2020)
        db.session.execute(db.update(Need).values(updated_at=old, position=0))
        db.session.commit()

    client.post(
        f"/admin/needs/{ids[2]}/move", data={"direction": "up", "csrf_token": csrf_token(client)}
    )

    stamps = [builders.get(app, Need, id_).updated_at.year for id_ in ids]
    assert stamps == [2020, 2020, 2020]


def test_moving_stays_within_the_items_shown_together(app, organiser, client):
    clothes = builders.category(app)
    urgent = builders.need(app, clothes, "Socks", Urgency.urgent, position=0)
    needed_first = builders.need(app, clothes, "Hats", Urgency.needed, position=1)
    needed_second = builders.need(app, clothes, "Gloves", Urgency.needed, position=2)

    client.post(
        f"/admin/needs/{needed_first}/move",
        data={"direction": "up", "csrf_token": csrf_token(client)},
    )
    client.post(
        f"/admin/needs/{needed_second}/move",
        data={"direction": "up", "csrf_token": csrf_token(client)},
    )

    board = client.get("/needs").get_data(as_text=True)
    assert board.index("Gloves") < board.index("Hats")
    assert builders.get(app, Need, urgent).position == 0


def test_category_filter_options_include_categories_added_later(app, organiser, client):
    client.get("/admin/needs/")
    builders.category(app, "Added later")

    assert "Added later" in client.get("/admin/needs/").get_data(as_text=True)


def test_users_are_deactivated_not_deleted(app, auth, client):
    auth.login_as(Role.admin)
    maya = create_user(app, email="maya@example.org")
    clothes = builders.category(app)
    token = csrf_token(client, "/admin/users/")

    # The same form, token and session delete a category: only the rule keeps users.
    deleted = client.post("/admin/categories/delete/", data={"id": clothes, "csrf_token": token})
    kept = client.post("/admin/users/delete/", data={"id": maya, "csrf_token": token})

    assert deleted.status_code == 302 and builders.get(app, Category, clothes) is None
    assert kept.status_code == 302
    assert builders.get(app, User, maya) is not None
    with app.app_context():
        assert User.count() == 2


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        (
            "/admin/sites/new/",
            {"name": "Calais warehouse", "kind": "warehouse", "position": str(2**31)},
            "Enter a whole number from 0 to",
        ),
        (
            "/admin/routes/new/",
            {"name": "Balkans", "slug": "balkans", "position": "-1"},
            "Enter a whole number from 0 to",
        ),
        (
            "/admin/posts/new/",
            {"title": "Far", "slug": "far", "published_at": "9999-12-31T23:59"},
            "Enter a date between 1900 and 2999.",
        ),
        (
            "/admin/sites/new/",
            {"name": "Old", "kind": "warehouse", "open_from": "0001-01-01"},
            "Enter a date between 1900 and 2999.",
        ),
    ],
)
def test_every_admin_form_refuses_numbers_and_dates_it_cannot_keep_beside_the_field(
    app, organiser, client, url, data, message
):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    response = client.post(url, data={**data, "csrf_token": csrf_token(client, url)})

    assert response.status_code == 200 and message in response.text
    listing = client.get(url.replace("new/", ""))
    assert (
        listing.status_code == 200
        and data["name" if "name" in data else "title"] not in (listing.text.split("<tbody>")[-1])
    )
