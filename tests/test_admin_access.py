"""Who may open which admin page: anonymous → log in, organiser → content only, admin → all."""

import pytest

from app.models import Need, Role, Urgency, User
from tests import builders
from tests.pages import csrf_token_from

CONTENT_URLS = [
    "/admin/",
    "/admin/board/",
    "/admin/board/new",
    "/admin/needs/",
    "/admin/needs/new/",
    "/admin/categories/",
    "/admin/categories/new/",
    "/admin/sites/",
    "/admin/sites/new/",
    "/admin/settings/edit/?id=1",
    "/admin/routes/",
    "/admin/routes/new/",
    "/admin/stages/",
    "/admin/stages/new/",
    "/admin/places/",
    "/admin/places/new/",
    "/admin/figures/",
    "/admin/figures/new/",
    "/admin/posts/",
    "/admin/posts/new/",
    "/admin/pages/",
    "/admin/pages/new/",
    "/admin/images/",
    "/admin/images/new/",
    "/admin/changes/",
]
USER_URLS = ["/admin/users/", "/admin/users/new/"]


@pytest.mark.parametrize("url", CONTENT_URLS + USER_URLS)
def test_anonymous_visitors_are_sent_to_log_in_and_back(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("url", CONTENT_URLS)
def test_organisers_can_open_content_pages(auth, client, url):
    auth.login_as(Role.organiser)

    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", USER_URLS)
def test_organisers_cannot_open_user_management(auth, client, url):
    auth.login_as(Role.organiser)

    response = client.get(url)

    assert response.status_code == 403
    assert "Not allowed" in response.get_data(as_text=True)


def test_organisers_do_not_see_users_in_the_menu(auth, client):
    auth.login_as(Role.organiser)

    assert "/admin/users/" not in client.get("/admin/").get_data(as_text=True)


@pytest.mark.parametrize("url", CONTENT_URLS + USER_URLS)
def test_admins_can_open_every_page(auth, client, url):
    auth.login_as(Role.admin)

    assert client.get(url).status_code == 200


def test_organisers_cannot_create_users_by_posting(app, auth, client):
    auth.login_as(Role.organiser)
    token = csrf_token_from(client.get("/admin/needs/new/").get_data(as_text=True))

    response = client.post(
        "/admin/users/new/",
        data={
            "email": "mole@example.org",
            "display_name": "Mole",
            "role": "admin",
            "is_active": "y",
            "new_password": "a long enough passphrase",
            "csrf_token": token,
        },
    )

    assert response.status_code == 403
    with app.app_context():
        assert User.by_email("mole@example.org") is None


def test_admin_state_changing_endpoints_refuse_anonymous_posts(app, client):
    clothes = builders.category(app)
    need_id = builders.need(app, clothes)

    response = client.post(f"/admin/needs/{need_id}/urgency", data={"urgency": "urgent"})

    assert response.status_code in (302, 400)
    assert (
        builders.get(app, __import__("app.models", fromlist=["Need"]).Need, need_id).urgency
        == "needed"
    )


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/admin/needs/{id}/urgency", {"urgency": "urgent"}),
        ("/admin/needs/{id}/move", {"direction": "up"}),
        ("/admin/needs/action/", {"action": "mark_urgent", "rowid": "{id}"}),
        ("/admin/needs/delete/", {"id": "{id}"}),
        ("/admin/needs/edit/?id={id}", {"name": "Defaced", "urgency": "urgent"}),
        ("/admin/board/{id}/urgency", {"urgency": "urgent"}),
        ("/admin/board/{id}/checked", {}),
        ("/admin/board/{id}/received", {"add": "10"}),
        ("/admin/board/new", {"name": "Defaced", "urgency": "urgent", "category": "1"}),
    ],
)
def test_anonymous_posts_with_a_valid_csrf_token_are_still_refused(app, client, url, data):
    need_id = builders.need(app, builders.category(app), "Socks", Urgency.needed, position=1)
    builders.need(app, builders.category(app, "Other"), "Hats")
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    filled = {key: value.format(id=need_id) for key, value in data.items()}

    response = client.post(url.format(id=need_id), data={**filled, "csrf_token": token})

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    need = builders.get(app, Need, need_id)
    assert (need.name, need.urgency, need.position) == ("Socks", Urgency.needed, 1)


def test_an_expired_session_posting_a_form_returns_to_its_page_after_login(app, client):
    need_id = builders.need(app, builders.category(app))
    token = csrf_token_from(client.get("/login").get_data(as_text=True))

    response = client.post(
        f"/admin/needs/{need_id}/urgency",
        data={"urgency": "urgent", "csrf_token": token},
        headers={"Referer": "http://localhost/admin/needs/?search=socks"},
    )

    assert response.headers["Location"] == "/login?next=/admin/needs/?search%3Dsocks"
