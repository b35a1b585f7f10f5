"""Every change is attributable and reversible, and nobody overwrites someone else's edit."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Category, Change, Need, Role, Urgency
from app.models.history import CannotRestore, restore
from tests import builders
from tests.accounts import PASSWORD, AuthActions, create_user
from tests.pages import csrf_token, csrf_token_from


def changes(app, **where) -> list[Change]:
    with app.app_context():
        query = select(Change).order_by(Change.id)
        for key, value in where.items():
            query = query.where(getattr(Change, key) == value)
        found = list(db.session.scalars(query))
        for change in found:
            db.session.expunge(change)
        return found


def edit_need(client, need_id, **fields):
    url = f"/admin/needs/edit/?id={need_id}"
    html = client.get(url).get_data(as_text=True)
    return submit_need(client, need_id, html, **fields)


def submit_need(client, need_id, form_html, **fields):
    version = re.search(r'name="version_seen" type="hidden" value="(\d*)"', form_html).group(1)
    data = {
        "category": fields.pop("category"),
        "name": "Sleeping bags",
        "urgency": "needed",
        "position": "0",
        "is_visible": "y",
        "version_seen": version,
        "csrf_token": csrf_token_from(form_html),
        **fields,
    }
    return client.post(f"/admin/needs/edit/?id={need_id}", data=data)


@pytest.fixture
def need(app):
    category = builders.category(app, "Shelter")
    return category, builders.need(app, category, "Sleeping bags", Urgency.needed)


def test_admin_edits_are_recorded_with_who_when_and_the_fields_before_and_after(
    app, auth, client, need
):
    category, need_id = need
    auth.login_as(Role.organiser, display_name="Maya")

    edit_need(client, need_id, category=str(category), details="3-season or warmer")

    change = changes(app, record_type="needs", action="update")[-1]
    assert change.user_name == "Maya" and change.record_id == need_id
    assert change.before["details"] == "" and change.after["details"] == "3-season or warmer"
    assert "details" in change.changed_fields


def test_creates_deletes_and_cli_changes_are_recorded(app, runner):
    runner.invoke(args=["demo", "load"])

    created = changes(app, record_type="needs", action="create")
    assert created and created[0].user_name == "command line"
    with app.app_context():
        need = db.session.scalar(select(Need).where(Need.name == "Tents"))
        db.session.delete(need)
        db.session.commit()
    deleted = changes(app, record_type="needs", action="delete")
    assert deleted[-1].before["name"] == "Tents" and deleted[-1].after is None


def test_a_change_that_fails_leaves_no_history_entry(app, need):
    category, _ = need
    before = len(changes(app))
    with app.app_context():
        db.session.add(Need(category_id=category, name="Bad", quantity=-1))
        with pytest.raises(Exception):  # noqa: B017 - the database refuses it
            db.session.commit()
        db.session.rollback()

    assert len(changes(app)) == before


def test_an_earlier_version_is_restored_in_one_action_and_the_restore_is_recorded(
    app, auth, client, need
):
    category, need_id = need
    auth.login_as(Role.organiser, display_name="Maya")
    edit_need(client, need_id, category=str(category), details="first wording")
    edit_need(client, need_id, category=str(category), details="careless edit")
    first = changes(app, record_type="needs", action="update")[0]

    response = client.post(
        f"/admin/changes/{first.id}/restore", data={"csrf_token": csrf_token(client)}
    )

    assert response.status_code == 302
    assert builders.get(app, Need, need_id).details == "first wording"
    restored = changes(app, record_type="needs")[-1]
    assert restored.action == "restore" and restored.user_name == "Maya"
    assert restored.before["details"] == "careless edit"


def test_a_deleted_record_is_restored_with_its_id(app, auth, client, need):
    _, need_id = need
    auth.login_as(Role.organiser)
    client.post("/admin/needs/delete/", data={"id": str(need_id), "csrf_token": csrf_token(client)})
    assert builders.get(app, Need, need_id) is None
    deletion = changes(app, record_type="needs", action="delete")[-1]

    client.post(f"/admin/changes/{deletion.id}/restore", data={"csrf_token": csrf_token(client)})

    restored = builders.get(app, Need, need_id)
    assert restored is not None and restored.name == "Sleeping bags"
    assert "Sleeping bags" in client.get("/needs").get_data(as_text=True)


def test_restoring_something_whose_parent_is_gone_is_refused_clearly(app, auth, client, need):
    category, need_id = need
    auth.login_as(Role.organiser)
    with app.app_context():
        db.session.delete(db.session.get(Need, need_id))
        db.session.commit()
        db.session.delete(db.session.get(Category, category))
        db.session.commit()
    deletion = changes(app, record_type="needs", action="delete")[-1]

    response = client.post(
        f"/admin/changes/{deletion.id}/restore",
        data={"csrf_token": csrf_token(client)},
        follow_redirects=True,
    )

    assert "cannot be restored as it was" in response.get_data(as_text=True)
    assert builders.get(app, Need, need_id) is None


def test_the_edit_page_links_to_the_records_history(app, auth, client, need):
    category, need_id = need
    auth.login_as(Role.organiser)
    edit_need(client, need_id, category=str(category), details="warm")

    edit_page = client.get(f"/admin/needs/edit/?id={need_id}").get_data(as_text=True)
    link = f"/admin/changes/?flt0_table_equals=needs&amp;flt1_record_equals={need_id}"
    assert link in edit_page
    history = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "Sleeping bags" in history and "details" in history


def test_logins_failures_and_logouts_are_recorded_without_passwords(app, auth, client):
    create_user(app, Role.organiser, email="maya@example.org", display_name="Maya")

    auth.login("maya@example.org", "my secret guess")
    auth.login("maya@example.org")
    auth.logout()

    actions = [
        (change.action, change.user_name)
        for change in changes(app, record_type="users")
        if change.action in ("login", "login_failed", "logout")
    ]
    assert actions == [("login_failed", ""), ("login", "Maya"), ("logout", "Maya")]
    with app.app_context():
        everything = " ".join(
            str((c.summary, c.before, c.after)) for c in db.session.scalars(select(Change))
        )
    assert "my secret guess" not in everything and PASSWORD not in everything
    assert "$argon2" not in everything


def test_failed_logins_name_the_account_and_never_keep_what_was_typed(app, auth):
    create_user(app, Role.organiser, email="maya@example.org", display_name="Maya")

    auth.login(" MAYA@example.org", "wrong guess")
    auth.login("correct horse battery staple", "typed in the wrong box")
    auth.login("<b>anyone can write here</b>", "x")

    summaries = [
        change.summary
        for change in changes(app, record_type="users")
        if change.action == "login_failed"
    ]
    assert summaries == ["Failed login as Maya"] + ["Failed login (no such account)"] * 2


def test_role_changes_are_recorded_and_no_hash_enters_the_history(app, auth, client):
    organiser_id = create_user(app, Role.organiser, email="maya@example.org")
    auth.login_as(Role.admin)
    url = f"/admin/users/edit/?id={organiser_id}"

    html = client.get(url).get_data(as_text=True)
    version = re.search(r'name="version_seen" type="hidden" value="(\d*)"', html).group(1)
    form = {
        "email": "maya@example.org",
        "display_name": "Maya",
        "role": "admin",
        "is_active": "y",
        "new_password": "a brand new passphrase",
        "version_seen": version,
    }
    client.post(url, data={**form, "csrf_token": csrf_token_from(html)})

    change = changes(app, record_type="users", action="update")[-1]
    assert change.before["role"] == "organiser" and change.after["role"] == "admin"
    assert change.after["password_changed"] is True
    assert "password_hash" not in change.after and "session_token" not in change.after


def test_organisers_see_content_history_but_not_accounts_or_logins(app, auth, client, need):
    category, need_id = need
    auth.login_as(Role.organiser)
    edit_need(client, need_id, category=str(category), details="warm")
    account_change = changes(app, record_type="users")[-1]

    listing = client.get("/admin/changes/").get_data(as_text=True)

    assert "Sleeping bags" in listing
    assert "Failed login" not in listing and ">users<" not in listing
    assert client.get(f"/admin/changes/details/?id={account_change.id}").status_code == 302
    response = client.post(
        f"/admin/changes/{account_change.id}/restore", data={"csrf_token": csrf_token(client)}
    )
    assert response.status_code == 404


def test_a_second_save_based_on_an_old_copy_is_refused_and_loses_nothing(app, need):
    category, need_id = need
    maya, sam = app.test_client(), app.test_client()
    AuthActions(app, maya).login_as(Role.organiser, display_name="Maya")
    AuthActions(app, sam).login_as(Role.organiser, display_name="Sam")
    url = f"/admin/needs/edit/?id={need_id}"
    maya_form, sam_form = maya.get(url).get_data(as_text=True), sam.get(url).get_data(as_text=True)

    submit_need(maya, need_id, maya_form, category=str(category), urgency="urgent")
    refused = submit_need(
        sam, need_id, sam_form, category=str(category), details="Sam's careful wording"
    )

    html = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "Maya changed “Sleeping bags” (Urgency)" in html  # the form's label
    assert "Sam&#39;s careful wording" in html or "Sam's careful wording" in html
    saved = builders.get(app, Need, need_id)
    assert saved.urgency == Urgency.urgent and saved.details == ""

    submit_need(
        sam,
        need_id,
        html,
        category=str(category),
        urgency="urgent",
        details="Sam's careful wording",
    )
    assert builders.get(app, Need, need_id).details == "Sam's careful wording"


def test_a_one_tap_change_based_on_an_old_list_is_refused(app, need):
    category, need_id = need
    maya, sam = app.test_client(), app.test_client()
    AuthActions(app, maya).login_as(Role.organiser, display_name="Maya")
    AuthActions(app, sam).login_as(Role.organiser, display_name="Sam")
    stale_version = builders.get(app, Need, need_id).version
    maya.post(
        f"/admin/needs/{need_id}/urgency",
        data={"urgency": "urgent", "version": stale_version, "csrf_token": csrf_token(maya)},
    )

    response = sam.post(
        f"/admin/needs/{need_id}/urgency",
        data={"urgency": "plenty", "version": stale_version, "csrf_token": csrf_token(sam)},
        follow_redirects=True,
    )

    assert "Maya changed “Sleeping bags” meanwhile" in response.get_data(as_text=True)
    assert builders.get(app, Need, need_id).urgency == Urgency.urgent


def test_a_bulk_change_leaves_alone_items_changed_since_the_list_was_shown(app, need):
    category, need_id = need
    other = builders.need(app, category, "Tents")
    maya = app.test_client()
    AuthActions(app, maya).login_as(Role.organiser)
    listed_at = builders.get(app, Need, other).updated_at + timedelta(milliseconds=1)
    with app.app_context():  # someone changes the sleeping bags after the list was shown
        db.session.get(Need, need_id).details = "new details"
        db.session.commit()

    response = maya.post(
        "/admin/needs/action/",
        data={
            "action": "mark_plenty",
            "rowid": [need_id, other],
            "csrf_token": csrf_token(maya),
            "listed_at": listed_at.isoformat(),
        },
        follow_redirects=True,
    )

    html = response.get_data(as_text=True)
    assert "1 item(s) marked “Plenty”." in html
    assert "someone changed them after you opened the list: “Sleeping bags”" in html
    assert builders.get(app, Need, need_id).urgency == Urgency.needed
    assert builders.get(app, Need, other).urgency == Urgency.plenty


def test_versions_go_up_with_every_save(app, need):
    _, need_id = need
    first = builders.get(app, Need, need_id).version
    with app.app_context():
        db.session.get(Need, need_id).details = "x"
        db.session.commit()

    assert builders.get(app, Need, need_id).version == first + 1


def test_a_deleted_record_whose_number_was_reused_is_not_restored_over_the_new_one(app, need):
    category, need_id = need
    with app.app_context():
        db.session.delete(db.session.get(Need, need_id))
        db.session.commit()
        db.session.add(Need(id=need_id, category_id=category, name="Blankets"))
        db.session.commit()
    deletion = changes(app, record_type="needs", action="delete")[-1]

    with app.app_context():
        with pytest.raises(CannotRestore):
            restore(db.session.get(Change, deletion.id))
        db.session.rollback()

    assert builders.get(app, Need, need_id).name == "Blankets"


def test_adding_an_item_is_not_recorded_as_an_edit_of_its_category(app, need):
    category, _ = need

    builders.need(app, category, "Tents")

    assert [c.action for c in changes(app, record_type="categories")] == ["create"]


def translate_need(app, need_id, field, text):
    with app.app_context():
        db.session.get(Need, need_id).set_translation("fr", field, text)
        db.session.commit()


def test_a_change_of_translations_reads_as_each_languages_text(app, auth, client, need):
    _, need_id = need
    translate_need(app, need_id, "name", "Sacs de couchage")
    translate_need(app, need_id, "name", "Duvets")
    translate_need(app, need_id, "details", "Lavés")
    renamed, detailed = changes(app, record_type="needs", action="update")[-2:]
    auth.login_as(Role.organiser)

    html = client.get(f"/admin/changes/details/?id={renamed.id}").get_data(as_text=True)
    rows = re.findall(r"<tr[^>]*>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", html, re.S)
    cells = {label: re.findall(r"<td[^>]*>(.*?)</td>", row) for label, row in rows}

    # Each field by the needs form's label, with the translation's language.
    assert cells["Name — Français"] == ["Sacs de couchage", "Duvets"]
    assert "translations" not in cells and "source" not in html
    html = client.get(f"/admin/changes/details/?id={detailed.id}").get_data(as_text=True)
    assert re.search(r"Details — Français</th>\s*<td[^>]*>—</td>\s*<td[^>]*>Lavés</td>", html)
    listed = client.get("/admin/changes/").get_data(as_text=True)
    assert "Details — Français" in listed and "Name — Français" in listed


def test_restoring_an_earlier_version_brings_its_translations_back(app, auth, client, need):
    _, need_id = need
    translate_need(app, need_id, "name", "Sacs de couchage")
    translate_need(app, need_id, "name", "Duvets")
    first = changes(app, record_type="needs", action="update")[0]
    auth.login_as(Role.organiser)

    client.post(f"/admin/changes/{first.id}/restore", data={"csrf_token": csrf_token(client)})

    restored = builders.get(app, Need, need_id)
    assert restored.translation("fr", "name") == "Sacs de couchage"
    assert not restored.is_outdated("fr", "name")
    assert changes(app, record_type="needs")[-1].action == "restore"
