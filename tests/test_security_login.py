"""Logging in and out: generic errors, safe redirects, CSRF, session renewal."""

import pytest

from app.extensions import db
from app.models import Role, User
from tests.accounts import PASSWORD, create_user
from tests.pages import csrf_token_from, element


def test_organiser_logs_in_and_lands_on_the_phone_board(auth, client):
    user_email = "maya@example.org"
    create_user(auth.app, email=user_email)

    response = auth.login(user_email)

    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/board/"
    assert client.get("/admin/board/").status_code == 200


def test_login_email_is_case_insensitive(auth, client):
    create_user(auth.app, email="maya@example.org")

    assert auth.login("  Maya@Example.ORG ").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_generic_message(auth):
    create_user(auth.app, email="maya@example.org")

    wrong_password = auth.login("maya@example.org", "not the password")
    unknown_email = auth.login("nobody@example.org", "not the password")

    for response in (wrong_password, unknown_email):
        assert response.status_code == 401
        html = response.get_data(as_text=True)
        assert "That email and password do not match an active account." in html
    assert wrong_password.get_data(as_text=True).count("do not match") == 1


def test_deactivated_accounts_cannot_log_in(auth):
    create_user(auth.app, email="gone@example.org", is_active=False)

    response = auth.login("gone@example.org")

    assert response.status_code == 401


def test_deactivated_user_is_logged_out_on_next_request(app, auth, client):
    user_id = auth.login_as(Role.organiser)
    assert client.get("/admin/").status_code == 200

    with app.app_context():
        db.session.get(User, user_id).is_active = False
        db.session.commit()

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_empty_login_form_shows_errors_beside_the_fields(client):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))

    response = client.post("/login", data={"email": "", "password": "", "csrf_token": token})

    html = response.get_data(as_text=True)
    assert "Enter your email address." in element(html, "#email-error").text
    assert "Enter your password." in element(html, "#password-error").text


def test_login_without_csrf_token_is_refused(auth, client):
    create_user(auth.app, email="maya@example.org")

    response = client.post("/login", data={"email": "maya@example.org", "password": PASSWORD})

    assert response.status_code == 400
    assert "nothing was saved" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_after_login_the_user_returns_to_the_page_they_asked_for(auth):
    create_user(auth.app, email="maya@example.org")

    response = auth.login("maya@example.org", next_path="/admin/needs/?search=socks")

    assert response.headers["Location"] == "/admin/needs/?search=socks"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/%0d%0aLocation: https://evil.example",
    ],
)
def test_after_login_never_redirects_to_another_site(auth, target):
    create_user(auth.app, email="maya@example.org")

    response = auth.login("maya@example.org", next_path=target.replace("\\", "%5C"))

    location = response.headers["Location"]
    assert location == "/admin/board/" or location.startswith("/%0")


def test_session_is_renewed_at_login(auth, client):
    create_user(auth.app, email="maya@example.org")
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"

    auth.login("maya@example.org")

    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("_user_id")


def test_logout_needs_a_post_with_csrf_token(auth, client):
    auth.login_as(Role.organiser)

    assert client.get("/logout").status_code in (404, 405)  # a link cannot log anyone out
    assert client.post("/logout").status_code == 400
    assert client.get("/admin/").status_code == 200

    response = auth.logout()

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302


def test_session_cookie_is_httponly_and_samesite(auth, client):
    create_user(auth.app, email="maya@example.org")

    response = auth.login("maya@example.org")

    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_passwords_are_hashed_with_argon2(app):
    user_id = create_user(app, email="maya@example.org")

    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


def test_the_login_page_says_which_cookie_it_sets_and_why(client):
    response = client.get("/login")
    footer = response.get_data(as_text=True).split('class="site-footer"')[1]

    assert "needs_now_session" in response.headers["Set-Cookie"]
    assert "sets no cookies" not in footer.split("The public pages")[0]
    assert "needs_now_session" in footer and "120 minutes" in footer
    assert "The public pages set no cookies" in footer
