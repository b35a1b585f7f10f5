"""Organisers' sessions: they end at logout (on the server), with a new password, after idling
or a week, or on deactivation."""

import time
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import LoginSession, Role, User
from app.models.types import utcnow
from tests import builders
from tests.accounts import PASSWORD, AuthActions, create_user
from tests.pages import csrf_token_from, submit

NEW_PASSWORD = "a brand new passphrase"


def edit_user(client, user_id, email, **fields):
    form = builders.organiser_form(email, "Someone", **fields)
    return submit(client, f"/admin/users/edit/?id={user_id}", form)


def maya_logged_in_elsewhere(app):
    """Maya, an organiser, logged in on a device of her own: its client and her id."""
    device = app.test_client()
    return device, AuthActions(app, device).login_as(Role.organiser, email="maya@example.org")


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

    response = edit_user(
        phone, boss_id, email="boss@example.org", role="admin", new_password=NEW_PASSWORD
    )

    assert response.status_code == 302
    assert phone.get("/admin/").status_code == 200
    assert laptop.get("/admin/").status_code == 302


def test_an_unchanged_password_keeps_sessions(app, auth, client):
    organiser_client, organiser_id = maya_logged_in_elsewhere(app)
    auth.login_as(Role.admin)

    edit_user(client, organiser_id, email="maya@example.org", new_password="")

    assert organiser_client.get("/admin/").status_code == 200


def test_a_login_ended_by_deactivation_stays_ended_when_the_account_comes_back(app, auth, client):
    organiser_client, organiser_id = maya_logged_in_elsewhere(app)
    auth.login_as(Role.admin)

    edit_user(client, organiser_id, email="maya@example.org", is_active="")  # unticked
    assert organiser_client.get("/admin/").status_code == 302
    edit_user(client, organiser_id, email="maya@example.org", is_active="y")

    assert organiser_client.get("/admin/").status_code == 302


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


def test_a_session_id_without_the_current_tokens_is_refused(app):
    user_id = create_user(app, email="maya@example.org")
    hours = {"idle": timedelta(hours=2), "longest": timedelta(days=7)}
    with app.app_context():
        user = db.session.get(User, user_id)
        user.login_token = LoginSession.start(user_id)
        db.session.commit()
        session_id = user.get_id()
        assert User.from_session_id(session_id, **hours) == user
        account, token, login = session_id.split(":")
        for refused in (
            f"{user_id}",
            f"{account}:{token}",
            f"{account}:wrong:{login}",
            f"{account}:{token}:wrong",
            "abc:def:ghi",
            f"{'9' * 30}:{token}:{login}",
        ):
            assert User.from_session_id(refused, **hours) is None, refused


def test_a_cookie_copied_before_logout_is_refused_after_it(app, auth, client):
    auth.login_as(Role.organiser)
    assert client.get("/admin/").status_code == 200
    copied = client.get_cookie("needs_now_session").value
    thief = app.test_client()
    thief.set_cookie("needs_now_session", copied)
    assert thief.get("/admin/").status_code == 200  # the copy works until the logout

    auth.logout()

    response = thief.get("/admin/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_logging_out_on_one_device_keeps_the_others(app):
    create_user(app, email="maya@example.org")
    phone, laptop = AuthActions(app, app.test_client()), AuthActions(app, app.test_client())
    phone.login("maya@example.org")
    laptop.login("maya@example.org")

    phone.logout()

    assert phone.client.get("/admin/").status_code == 302
    assert laptop.client.get("/admin/").status_code == 200


def test_a_login_ends_after_the_longest_time_however_much_it_is_used(app, auth, client):
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(days=30)  # only the longest time counts
    auth.login_as(Role.organiser)
    assert client.get("/admin/").status_code == 200

    with time_machine.travel(datetime.now(UTC) + timedelta(days=7, minutes=1)):
        # used every minute of the week: still too old (the cookie itself is re-signed)
        with app.app_context():
            db.session.execute(update(LoginSession).values(last_seen_at=utcnow()))
            db.session.commit()
        response = client.get("/admin/")

    assert response.status_code == 302


def test_ended_and_stale_logins_are_not_kept(app, auth):
    user_id = auth.login_as(Role.organiser)
    auth.logout()
    with app.app_context():
        db.session.add(
            LoginSession(
                token_hash="0" * 64, user_id=user_id, last_seen_at=utcnow() - timedelta(days=1)
            )
        )
        db.session.commit()

    auth.login_as(Role.organiser)

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 1


def test_no_password_is_ever_logged(app, client, caplog):
    create_user(app, email="maya@example.org")
    token = csrf_token_from(client.get("/login").get_data(as_text=True))

    with caplog.at_level("DEBUG"):
        client.post(
            "/login",
            data={
                "email": "maya@example.org",
                "password": "Wrong " + PASSWORD,
                "csrf_token": token,
            },
        )
        client.post(
            "/login", data={"email": "maya@example.org", "password": PASSWORD, "csrf_token": token}
        )

    assert PASSWORD not in caplog.text
