"""Who may open which admin page: anonymous → log in, organiser → content only, admin → all."""

import re

import pytest
from flask_admin.contrib.sqla import ModelView
from sqlalchemy import select

from app.extensions import db
from app.models import Need, Role, Urgency, User
from tests import builders
from tests.apps import make_app
from tests.pages import csrf_token, csrf_token_from, elements


def admin_rules():
    """(view, rule) for every URL rule of every admin view, read from an app's URL map."""
    app = make_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    (admin,) = app.extensions["admin"]
    views = {view.endpoint: view for view in admin.views}
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        view_name, _, method = rule.endpoint.partition(".")
        if view_name in views and method != "static":
            yield views[view_name], rule


def is_page(view, rule) -> bool:
    """A GET without an id that shows a page rather than sending the visitor elsewhere."""
    if "GET" not in rule.methods or rule.arguments:
        return False
    if not isinstance(view, ModelView):  # the dashboard and the board: every GET is a page
        return True
    return rule.endpoint.endswith(".index_view") or (
        rule.endpoint.endswith(".create_view") and view.can_create
    )


def for_organisers(view) -> bool:
    return Role.organiser in view.allowed_roles


def url_of(rule) -> str:
    return re.sub(r"<[^>]+>", "1", rule.rule)


RULES = list(admin_rules())
# Pages with an id: the settings row exists in every database.
CONTENT_URLS = [url_of(r) for v, r in RULES if is_page(v, r) and for_organisers(v)] + [
    "/admin/settings/edit/?id=1"
]
USER_URLS = [url_of(r) for v, r in RULES if is_page(v, r) and not for_organisers(v)]
# Every GET, pages or not, of the views organisers may not open.
ADMIN_ONLY_GETS = [url_of(r) for v, r in RULES if "GET" in r.methods and not for_organisers(v)]
ALL_GETS = [url_of(r) for v, r in RULES if "GET" in r.methods]
ALL_POSTS = [url_of(r) for v, r in RULES if "POST" in r.methods]


def test_the_lists_of_admin_urls_are_read_from_the_whole_url_map():
    assert {"/admin/", "/admin/board/", "/admin/needs/", "/admin/needs/new/"} <= set(CONTENT_URLS)
    assert "/admin/changes/new/" not in CONTENT_URLS  # nobody creates a change by hand
    assert {"/admin/users/", "/admin/users/new/"} <= set(USER_URLS)
    assert "/admin/users/edit/" in ADMIN_ONLY_GETS
    assert {
        "/admin/needs/1/urgency",
        "/admin/board/pause",
        "/admin/users/delete/",
        "/admin/language/",
    } <= set(ALL_POSTS)
    assert len(CONTENT_URLS) >= 25 and len(ALL_GETS) >= 80


def test_anonymous_visitors_are_sent_to_log_in_and_back_from_every_admin_url(client):
    # One test for all of them: an app and database each would add minutes to the suite.
    answers = {url: client.get(url) for url in ALL_GETS}

    not_sent = [
        f"GET {url} answered {response.status_code} {response.headers.get('Location', '')}"
        for url, response in answers.items()
        if response.status_code != 302 or response.headers["Location"] != f"/login?next={url}"
    ]
    assert not not_sent, "\n".join(not_sent)


def opens(client, url) -> bool:
    """The page opens, perhaps after a redirect to another admin page (settings → its form)."""
    response = client.get(url, follow_redirects=True)
    return response.status_code == 200 and response.request.path.startswith("/admin/")


@pytest.mark.parametrize("url", CONTENT_URLS)
def test_organisers_can_open_content_pages(auth, client, url):
    auth.login_as(Role.organiser)

    assert opens(client, url)


@pytest.mark.parametrize("url", ADMIN_ONLY_GETS)
def test_organisers_cannot_open_user_management(auth, client, url):
    auth.login_as(Role.organiser)

    response = client.get(url)

    assert response.status_code == 403
    assert "Not allowed" in response.get_data(as_text=True)


@pytest.mark.parametrize(("role", "shown"), [(Role.organiser, False), (Role.admin, True)])
def test_only_admins_see_users_in_the_menu(auth, client, role, shown):
    auth.login_as(role)

    links = {link.get("href") for link in elements(client.get("/admin/").text, "a[href]")}

    assert ("/admin/users/" in links) is shown


@pytest.mark.parametrize("url", CONTENT_URLS + USER_URLS)
def test_admins_can_open_every_page(auth, client, url):
    auth.login_as(Role.admin)

    assert opens(client, url)


@pytest.mark.parametrize(("role", "allowed"), [(Role.organiser, False), (Role.admin, True)])
def test_only_admins_can_create_users_by_posting(app, auth, client, role, allowed):
    auth.login_as(role)

    response = client.post(
        "/admin/users/new/",
        data={
            "email": "mole@example.org",
            "display_name": "Mole",
            "role": "admin",
            "is_active": "y",
            "new_password": "a long enough passphrase",
            "csrf_token": csrf_token(client, "/admin/needs/new/"),
        },
    )

    assert response.status_code == (302 if allowed else 403)
    with app.app_context():
        assert (User.by_email("mole@example.org") is not None) is allowed


def test_every_admin_post_refuses_anonymous_visitors_even_with_a_valid_token(app, client):
    need_id = builders.need(app, builders.category(app))  # so that /<id>/ names a record
    token = csrf_token(client, "/login")
    answers = {
        url: client.post(url.replace("/1/", f"/{need_id}/"), data={"csrf_token": token})
        for url in ALL_POSTS
    }

    not_sent = [
        f"POST {url} answered {response.status_code} {response.headers.get('Location', '')}"
        for url, response in answers.items()
        if response.status_code != 302
        or not response.headers["Location"].startswith("/login?next=")
    ]
    assert not not_sent, "\n".join(not_sent)


STATE_CHANGING_POSTS = [
    ("/admin/needs/{id}/urgency", {"urgency": "urgent", "version": "1"}),
    ("/admin/needs/{id}/move", {"direction": "up"}),
    ("/admin/needs/action/", {"action": "mark_urgent", "rowid": "{id}"}),
    ("/admin/needs/delete/", {"id": "{id}"}),
    (
        "/admin/needs/edit/?id={id}",
        {"name": "Defaced", "urgency": "urgent", "category": "{category}", "received": "0"},
    ),
    ("/admin/board/{id}/urgency", {"urgency": "urgent", "version": "1"}),
    ("/admin/board/{id}/checked", {"version": "1"}),
    ("/admin/board/{id}/received", {"add": "10", "version": "1"}),
    ("/admin/board/new", {"name": "Defaced", "urgency": "urgent", "category": "1"}),
    ("/admin/language/", {"language": "fr"}),
]


def needs_state(app) -> list[tuple]:
    """Every item and what these requests change about it (and each organiser's language)."""
    with app.app_context():
        needs = db.session.scalars(select(Need).order_by(Need.id)).all()
        users = db.session.scalars(select(User).order_by(User.id)).all()
        return [(n.name, n.urgency, n.position, n.received, n.checked_at) for n in needs] + [
            (u.email, u.language) for u in users
        ]


@pytest.mark.parametrize(("url", "data"), STATE_CHANGING_POSTS)
def test_anonymous_posts_with_a_valid_csrf_token_are_still_refused(app, client, url, data):
    category = builders.category(app)
    need_id = builders.need(app, category, "Socks", Urgency.needed, position=1)
    builders.need(app, category, "Hats", position=0)  # so that Socks can move up
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    filled = {key: value.format(id=need_id, category=category) for key, value in data.items()}
    before = needs_state(app)

    response = client.post(url.format(id=need_id), data={**filled, "csrf_token": token})

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert needs_state(app) == before


@pytest.mark.parametrize(("url", "data"), STATE_CHANGING_POSTS)
def test_the_same_posts_by_an_organiser_change_the_list(app, auth, client, url, data):
    """The control for the refusal above: logged in, each request goes through."""
    category = builders.category(app)
    need_id = builders.need(app, category, "Socks", Urgency.needed, position=1)
    builders.need(app, category, "Hats", position=0)  # so that Socks can move up
    auth.login_as(Role.organiser)
    filled = {key: value.format(id=need_id, category=category) for key, value in data.items()}
    token = csrf_token(client)
    before = needs_state(app)

    response = client.post(url.format(id=need_id), data={**filled, "csrf_token": token})

    assert response.status_code == 302
    assert not response.headers["Location"].startswith("/login")
    assert needs_state(app) != before


def test_an_expired_session_posting_a_form_returns_to_its_page_after_login(app, client):
    need_id = builders.need(app, builders.category(app))
    token = csrf_token_from(client.get("/login").get_data(as_text=True))

    response = client.post(
        f"/admin/needs/{need_id}/urgency",
        data={"urgency": "urgent", "csrf_token": token},
        headers={"Referer": "http://localhost/admin/needs/?search=socks"},
    )

    assert response.headers["Location"] == "/login?next=/admin/needs/?search%3Dsocks"
