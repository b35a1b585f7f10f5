"""Who may open which admin page: anonymous → log in, organiser → content only, admin → all."""

import pytest

from app.models import Role
from tests import builders

CONTENT_URLS = [
    "/admin/",
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
    from app.models import User
    from tests.conftest import csrf_token_from

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
