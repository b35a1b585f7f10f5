"""Organisers' sessions: they end with a new password, after idling, or on deactivation."""

import time
from datetime import timedelta

from app.extensions import db
from app.models import Role, User
from tests.conftest import PASSWORD, AuthActions, create_user, csrf_token_from

NEW_PASSWORD = "a brand new passphrase"


def edit_user(client, user_id, **fields):
    url = f"/admin/users/edit/?id={user_id}"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    data = {"email": fields.pop("email"), "display_name": "Someone", "role": "organiser",
            "is_active": "y", "csrf_token": token, **fields}  # fmt: skip
    return client.post(url, data=data)


def test_a_new_password_set_by_an_admin_ends_that_users_sessions(app, auth, client):
    organiser_client = app.test_client()
    organiser = AuthActions(app, organiser_client)
    organiser_id = organiser.login_as(Role.organiser, email="maya@example.org")
    assert organiser_client.get("/admin/").status_code == 200
    auth.login_as(Role.admin)

    edit_user(client, organiser_id, email="maya@example.org", new_password=NEW_PASSWORD)

    response = organiser_client.get("/admin/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert organiser.login("maya@example.org", NEW_PASSWORD).status_code == 302


def test_changing_your_own_password_keeps_this_session_and_ends_the_others(app):
    create_user(app, Role.admin, email="boss@example.org")
    phone, laptop = app.test_client(), app.test_client()
    AuthActions(app, phone).login("boss@example.org")
    AuthActions(app, laptop).login("boss@example.org")
    with app.app_context():
        boss_id = User.by_email("boss@example.org").id

    response = edit_user(phone, boss_id, email="boss@example.org", role="admin",
                         new_password=NEW_PASSWORD)  # fmt: skip

    assert response.status_code == 302
    assert phone.get("/admin/").status_code == 200
    assert laptop.get("/admin/").status_code == 302


def test_an_unchanged_password_keeps_sessions(app, auth, client):
    organiser_client = app.test_client()
    organiser_id = AuthActions(app, organiser_client).login_as(
        Role.organiser, email="maya@example.org"
    )
    auth.login_as(Role.admin)

    edit_user(client, organiser_id, email="maya@example.org", new_password="")

    assert organiser_client.get("/admin/").status_code == 200


def test_sessions_end_after_the_idle_time(app, auth, client):
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=1)
    auth.login_as(Role.organiser)
    assert client.get("/admin/").status_code == 200

    time.sleep(2.1)  # idle longer than the lifetime: the signed cookie is now too old

    assert client.get("/admin/").status_code == 302


def test_the_session_cookie_expires_and_is_renewed_while_in_use(auth, client):
    auth.login_as(Role.organiser)

    cookie = client.get("/admin/").headers.get("Set-Cookie", "")

    assert "Expires=" in cookie and "HttpOnly" in cookie


def test_a_session_id_without_the_current_token_is_refused(app):
    user_id = create_user(app, email="maya@example.org")
    with app.app_context():
        user = db.session.get(User, user_id)
        assert User.from_session_id(user.get_id()) == user
        assert User.from_session_id(f"{user_id}") is None
        assert User.from_session_id(f"{user_id}:wrong") is None
        assert User.from_session_id("abc:def") is None


def test_no_password_is_ever_logged(app, client, caplog):
    create_user(app, email="maya@example.org")
    token = csrf_token_from(client.get("/login").get_data(as_text=True))

    with caplog.at_level("DEBUG"):
        client.post("/login", data={"email": "maya@example.org", "password": "Wrong " + PASSWORD,
                                    "csrf_token": token})  # fmt: skip
        client.post("/login", data={"email": "maya@example.org", "password": PASSWORD,
                                    "csrf_token": token})  # fmt: skip

    assert PASSWORD not in caplog.text
