"""When the database goes away: a short 503, nothing half-saved, and recovery without restart."""

import pytest
from sqlalchemy.exc import IntegrityError

from app.admin import board
from app.extensions import db
from app.models import Category, Need, Role, Urgency
from tests import builders
from tests.accounts import AuthActions, create_user
from tests.apps import create_database, make_app
from tests.pages import csrf_token_from
from tests.servers import SwitchableProxy


@pytest.fixture
def flaky_app(postgres_server):
    proxy = SwitchableProxy()
    schema = postgres_server.fresh_schema()
    config = postgres_server.config(schema)
    config["SQLALCHEMY_DATABASE_URI"] = config["SQLALCHEMY_DATABASE_URI"].replace(
        "127.0.0.1:5432", f"127.0.0.1:{proxy.port}"
    )
    assert str(proxy.port) in config["SQLALCHEMY_DATABASE_URI"]
    app = make_app(config)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    create_database(app)
    yield app, proxy
    proxy.close()
    with app.app_context():
        db.engine.dispose()
    postgres_server.drop_schema(schema)


def test_public_pages_answer_503_while_the_database_is_down_and_recover_by_themselves(flaky_app):
    app, proxy = flaky_app
    builders.need(app, builders.category(app), "Sleeping bags")
    client = app.test_client()
    assert client.get("/needs").status_code == 200

    proxy.cut()
    kept = client.get("/needs")  # already rendered: nothing can change while the database is down
    down = client.get("/routes")  # never rendered: cannot be shown now

    assert kept.status_code == 200 and "Sleeping bags" in kept.get_data(as_text=True)
    assert down.status_code == 503
    assert down.headers["Retry-After"] == "30"
    html = down.get_data(as_text=True)
    assert "Temporarily unavailable" in html and "Traceback" not in html and "psycopg" not in html

    proxy.restore()
    back = client.get("/routes")
    assert back.status_code == 200


def test_an_outage_is_logged_once_not_once_a_request(flaky_app, caplog):
    app, proxy = flaky_app
    client = app.test_client()
    assert client.get("/about").status_code in (200, 404)

    proxy.cut()
    with caplog.at_level("WARNING"):
        statuses = {client.get(url).status_code for url in ["/routes", "/news", "/sitemap.xml"] * 5}
        proxy.restore()
        assert client.get("/routes").status_code == 200

    assert statuses == {503}
    lines = [record.getMessage() for record in caplog.records if record.name == "app.database"]
    assert [line.split(" (")[0] for line in lines] == ["Database unavailable", "Database is back"]
    assert not any(record.exc_info for record in caplog.records)


def test_the_admin_refuses_to_save_while_the_database_is_down(flaky_app):
    app, proxy = flaky_app
    create_user(app, Role.organiser, email="maya@example.org")
    category = builders.category(app)
    client = app.test_client()
    AuthActions(app, client).login("maya@example.org")
    form = builders.need_form(
        category,
        "Tents",
        position="0",
        csrf_token=csrf_token_from(client.get("/admin/needs/new/").get_data(as_text=True)),
    )

    proxy.cut()
    response = client.post("/admin/needs/new/", data=form)
    proxy.restore()

    assert response.status_code in (200, 302, 503)
    assert "psycopg" not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.text("SELECT count(*) FROM needs")).scalar() == 0
    assert client.get("/admin/needs/").status_code == 200
    # The same form saves once the database is back: only the outage stopped it.
    assert client.post("/admin/needs/new/", data=form).status_code == 302
    with app.app_context():
        assert db.session.execute(db.text("SELECT count(*) FROM needs")).scalar() == 1


def test_a_failure_after_a_save_says_it_was_saved_and_one_before_says_it_was_not(
    app, auth, client, monkeypatch
):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    bags = builders.need(app, builders.category(app), "Sleeping bags")
    auth.login_as(Role.organiser)
    page = client.get("/admin/board/").get_data(as_text=True)

    def broken(*args, **kwargs):
        raise RuntimeError("the next page could not be shown")

    monkeypatch.setattr(board, "url_for", broken)  # fails after the commit

    def tap(urgency: str):
        version = builders.get(app, Need, bags).version
        data = {"csrf_token": csrf_token_from(page), "urgency": urgency, "version": version}
        return client.post(f"/admin/board/{bags}/urgency", data=data)

    saved = tap("urgent")
    monkeypatch.setattr(board.db.session, "commit", broken)  # fails before anything is saved
    not_saved = tap("plenty")

    assert saved.status_code == 500 and "Your change was saved" in saved.text
    assert not_saved.status_code == 500 and "nothing was changed" in not_saved.text
    assert builders.get(app, Need, bags).urgency == Urgency.urgent


def test_a_refusal_without_a_message_is_still_answered_with_one(app, auth, client, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    clothes = builders.category(app, "Warm clothes")
    auth.login_as(Role.admin)
    url = f"/admin/categories/edit/?id={clothes}"
    token = csrf_token_from(client.get(url).text)

    def refused():
        raise IntegrityError("UPDATE categories …", {}, Exception(""))  # the database said nothing

    monkeypatch.setattr(db.session, "commit", refused)
    response = client.post(
        url,
        data={
            "name": "Winter clothes",
            "slug": "warm-clothes",
            "position": "0",
            "csrf_token": token,
        },
    )
    monkeypatch.undo()

    assert response.status_code == 200 and "could not be saved" in response.text
    assert builders.get(app, Category, clothes).name == "Warm clothes"
