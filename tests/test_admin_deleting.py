"""Deleting in the admin says what goes before and after, and names what stands in the way."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Change, Figure, Need, Place, Role, Route, Settings, Site, Stage, User
from tests import builders
from tests.pages import csrf_token, csrf_token_from, element, elements, submit

GENERIC_REFUSAL = "a value is too large or clashes with another record"


def figure(app, label="people dead or missing", **owner) -> int:
    return builders.add(
        app,
        Figure(
            label=label,
            value=100,
            source_name="IOM",
            source_url="https://missingmigrants.iom.int",
            **owner,
        ),
    )


@pytest.fixture
def mediterranean(app):
    """The route “Central Mediterranean” with 4 stages and 6 figures (2 its own, 4 its stages’)."""
    route_id = builders.route(app, "Central Mediterranean")
    tripoli = builders.place(app, "Tripoli", "Libya", 32.9, 13.2)
    sfax = builders.place(app, "Sfax", "Tunisia", 34.7, 10.8)
    lampedusa = builders.place(app, "Lampedusa", "Italy", 35.5, 12.6)
    sicily = builders.place(app, "Augusta", "Italy", 37.2, 15.2)
    stages = [
        builders.stage(app, route_id, tripoli, lampedusa, position=0),
        builders.stage(app, route_id, sfax, lampedusa, position=1),
        builders.stage(app, route_id, lampedusa, sicily, position=2),
        builders.stage(app, route_id, tripoli, sicily, position=3),
    ]
    figure(app, "deaths since 2014", route_id=route_id)
    figure(app, "people intercepted", route_id=route_id)
    for stage_id in stages:
        figure(app, stage_id=stage_id)
    return {"route": route_id, "stages": stages, "tripoli": tripoli, "lampedusa": lampedusa}


def confirmation(client, view, id_) -> str:
    response = client.get(f"/admin/{view}/delete/confirm?id={id_}&url=/admin/{view}/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def submit_confirmation(client, html: str):
    """Post the confirmation page's delete form, as the browser would."""
    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', html, re.S)
    assert form, "the confirmation page has no delete form"
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(2))
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return client.post(form.group(1), data=data, follow_redirects=True)


def from_the_list(client, view: str, action: str, data: dict, **options):
    """`data` POSTed to `action` of the list of `view` (/admin/<view>/), as its forms send it."""
    listing = f"/admin/{view}/"
    return submit(client, listing + action, {**data, "url": listing}, listing, **options)


def bulk_delete(client, view: str, ids: list[int], confirmed: bool = False, **options):
    """The list's "Delete" action on the rows `ids` (already confirmed, or not)."""
    data = {"action": "delete", "rowid": [str(id_) for id_ in ids]}
    if confirmed:
        data["confirmed"] = "1"
    return from_the_list(client, view, "action/", data, **options)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&amp;", "&")


def test_the_list_delete_button_leads_to_the_confirmation_page(app, auth, client, mediterranean):
    auth.login_as(Role.organiser)

    html = client.get("/admin/routes/").get_data(as_text=True)

    link = next(
        a for a in elements(html, "a[aria-label]") if a.attrs["aria-label"] == "Delete Record"
    )  # named: the icon alone names nothing
    assert link.attrs["href"].startswith(
        f"/admin/routes/delete/confirm?id={mediterranean['route']}&"
    )
    assert "data-confirm" not in html


def test_the_edit_page_links_to_the_confirmation_page(app, auth, client, mediterranean):
    auth.login_as(Role.organiser)

    html = client.get(f"/admin/routes/edit/?id={mediterranean['route']}").get_data(as_text=True)

    assert f"/admin/routes/delete/confirm?id={mediterranean['route']}" in html
    assert "Delete this route…" in html


def test_the_confirmation_for_a_route_counts_and_names_its_stages_and_figures(
    app, auth, client, mediterranean
):
    auth.login_as(Role.organiser)

    html = confirmation(client, "routes", mediterranean["route"])

    page = text(html)
    assert "Delete the route “Central Mediterranean”?" in page
    assert "This also deletes its 4 stages and 6 figures" in page
    assert "Tripoli → Lampedusa" in page and "deaths since 2014" in page
    assert "can be restored afterwards from Recent changes" in page
    form = element(html, "form[action='/admin/routes/delete/']")
    assert form.get("method", "").lower() == "post"
    assert csrf_token_from(html)
    assert "Cancel" in [link.text for link in elements(html, "a[href='/admin/routes/']")]
    assert builders.count(app, Route) == 1


def test_deleting_a_route_says_what_went_and_all_of_it_can_be_restored(
    app, auth, client, mediterranean
):
    auth.login_as(Role.organiser)

    response = submit_confirmation(client, confirmation(client, "routes", mediterranean["route"]))

    assert (
        "Deleted the route “Central Mediterranean”, with its 4 stages and 6 figures. "
        "All of it can be restored from Recent changes." in text(response.get_data(as_text=True))
    )
    assert (
        builders.count(app, Route),
        builders.count(app, Stage),
        builders.count(app, Figure),
    ) == (0, 0, 0)
    with app.app_context():
        deleted = db.session.scalars(select(Change).where(Change.action == "delete")).all()
        assert sorted(change.record_type for change in deleted) == sorted(
            ["routes"] + ["stages"] * 4 + ["figures"] * 6
        )
        route_change = next(change.id for change in deleted if change.record_type == "routes")
        stage_change = next(
            change.id
            for change in deleted
            if change.record_type == "stages" and change.record_id == mediterranean["stages"][0]
        )
    token = csrf_token_from(client.get("/admin/changes/").get_data(as_text=True))
    for change_id in (route_change, stage_change):
        client.post(f"/admin/changes/{change_id}/restore", data={"csrf_token": token})
    with app.app_context():
        stage = db.session.get(Stage, mediterranean["stages"][0])
        assert stage is not None and stage.route.name == "Central Mediterranean"


def test_a_place_that_stages_use_names_them_and_offers_no_delete_button(
    app, auth, client, mediterranean
):
    auth.login_as(Role.organiser)

    html = confirmation(client, "places", mediterranean["lampedusa"])

    page = text(html)
    assert "The place “Lampedusa, Italy” cannot be deleted" in page
    assert "“Tripoli → Lampedusa”" in page and "“Lampedusa → Augusta”" in page
    assert "Change or delete those stages first" in page
    assert 'action="/admin/places/delete/"' not in html
    assert builders.count(app, Place) == 4


def test_deleting_a_place_that_a_stage_uses_anyway_names_the_stages_and_deletes_nothing(
    app, auth, client, mediterranean
):
    auth.login_as(Role.organiser)

    response = from_the_list(
        client, "places", "delete/", {"id": str(mediterranean["lampedusa"])}, follow_redirects=True
    )

    page = text(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "the stages “Tripoli → Lampedusa”, “Sfax → Lampedusa” and “Lampedusa → Augusta”" in page
    assert GENERIC_REFUSAL not in page
    assert (builders.count(app, Place), builders.count(app, Stage)) == (4, 4)


def test_a_record_with_nothing_depending_on_it_gets_a_plain_confirmation(app, auth, client):
    auth.login_as(Role.organiser)
    figure_id = figure(app, route_id=builders.route(app))

    html = confirmation(client, "figures", figure_id)
    response = submit_confirmation(client, html)

    page = text(html)
    assert "Delete the figure “people dead or missing”?" in page
    assert "Nothing else is deleted with it." in page
    assert "also deletes" not in page and "cannot be deleted" not in page
    assert (
        "Deleted the figure “people dead or missing”. It can be restored from Recent changes."
        in text(response.get_data(as_text=True))
    )
    assert builders.count(app, Figure) == 0


def test_deleting_a_site_keeps_the_needs_that_used_it_and_says_so(app, auth, client):
    auth.login_as(Role.organiser)
    site_id = builders.site(app, "Calais warehouse")
    need_id = builders.need(app, builders.category(app), "Socks", site_id=site_id)

    html = confirmation(client, "sites", site_id)
    response = submit_confirmation(client, html)

    assert "Kept, but no longer linked to it" in text(html) and "Socks" in text(html)
    assert "The need that used it was kept, without it." in text(response.get_data(as_text=True))
    assert builders.count(app, Site) == 0
    assert builders.get(app, Need, need_id).site_id is None


def test_deleting_the_groups_place_clears_the_setting_and_keeps_the_settings(app, auth, client):
    auth.login_as(Role.organiser)
    calais = builders.place(app, "Calais", "France", 50.95, 1.86)
    builders.set_settings(app, group_name="Calais group", home_place_id=calais)

    html = confirmation(client, "places", calais)
    response = submit_confirmation(client, html)

    assert "cannot be deleted" not in text(html)
    assert "Deleted the place “Calais, France”." in text(response.get_data(as_text=True))
    assert builders.count(app, Place) == 0
    settings = builders.get(app, Settings, 1)
    assert (settings.home_place_id, settings.group_name) == (None, "Calais group")


def test_a_category_with_items_names_them_on_the_confirmation_page(app, auth, client):
    auth.login_as(Role.organiser)
    clothes = builders.category(app, "Warm clothes")
    builders.need(app, clothes, "Socks")

    page = text(confirmation(client, "categories", clothes))

    assert "the need “Socks” uses it" in page
    assert "Change or delete that need first" in page


def test_bulk_delete_asks_first_then_says_what_went(app, auth, client, mediterranean):
    auth.login_as(Role.organiser)
    other = builders.route(app, "Western Balkans")

    asked = bulk_delete(client, "routes", [mediterranean["route"], other])
    assert asked.status_code == 200
    assert "Delete 2 routes?" in text(asked.get_data(as_text=True))
    assert builders.count(app, Route) == 2

    response = submit_confirmation(client, asked.get_data(as_text=True))

    assert "Deleted 2 routes, with their 4 stages and 6 figures." in text(
        response.get_data(as_text=True)
    )
    assert (
        builders.count(app, Route),
        builders.count(app, Stage),
        builders.count(app, Figure),
    ) == (0, 0, 0)


def test_bulk_delete_of_places_offers_to_delete_only_the_unused_ones(
    app, auth, client, mediterranean
):
    auth.login_as(Role.organiser)
    unused = builders.place(app, "Malta", "Malta", 35.9, 14.5)

    asked = bulk_delete(client, "places", [mediterranean["tripoli"], unused])
    response = submit_confirmation(client, asked.get_data(as_text=True))

    question = text(asked.get_data(as_text=True))
    assert "The place “Tripoli, Libya” cannot be deleted: the stages “Tripoli → Lampedusa”" in (
        question
    )
    assert "Delete 1 place" in question
    assert "Deleted the place “Malta, Malta”." in text(response.get_data(as_text=True))
    assert builders.count(app, Place) == 4


def test_a_confirmed_bulk_delete_of_a_used_place_names_the_stages_and_deletes_nothing(
    app, auth, client, mediterranean
):
    auth.login_as(Role.organiser)

    response = bulk_delete(
        client, "places", [mediterranean["tripoli"]], confirmed=True, follow_redirects=True
    )

    page = text(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "The place “Tripoli, Libya” cannot be deleted: the stages “Tripoli → Lampedusa”" in page
    assert GENERIC_REFUSAL not in page
    assert builders.count(app, Place) == 4


def test_anonymous_visitors_are_sent_to_log_in_from_the_confirmation_page(client, mediterranean):
    response = client.get(f"/admin/routes/delete/confirm?id={mediterranean['route']}")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_anonymous_deletes_with_a_valid_csrf_token_are_refused(app, client, mediterranean):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))

    response = client.post(
        "/admin/routes/delete/", data={"id": str(mediterranean["route"]), "csrf_token": token}
    )

    assert response.headers["Location"].startswith("/login?next=")
    assert builders.count(app, Route) == 1  # the same request deletes it when logged in (above)


def test_organisers_cannot_open_the_confirmation_page_of_user_accounts(app, auth, client):
    user_id = auth.login_as(Role.organiser)

    assert client.get(f"/admin/users/delete/confirm?id={user_id}").status_code == 403


@pytest.mark.parametrize(
    ("view", "model", "offered"),
    [("users", User, False), ("changes", Change, False), ("settings", Settings, False)]
    + [("needs", Need, True)],  # the same request where deleting is allowed
)
def test_views_that_never_delete_do_not_offer_a_confirmation(
    app, auth, client, view, model, offered
):
    user_id = auth.login_as(Role.admin)
    need_id = builders.need(app, builders.category(app))
    client.post(  # leaves a change in the history
        f"/admin/needs/{need_id}/urgency",
        data={
            "urgency": "urgent",
            "version": builders.get(app, Need, need_id).version,
            "csrf_token": csrf_token(client),
        },
    )
    with app.app_context():
        change_id = db.session.scalars(select(Change.id)).first()
    record_id = {User: user_id, Change: change_id, Settings: 1, Need: need_id}[model]
    assert builders.get(app, model, record_id) is not None

    response = client.get(f"/admin/{view}/delete/confirm?id={record_id}")

    assert response.status_code == (200 if offered else 302)
    assert builders.get(app, model, record_id) is not None


def test_an_unknown_record_is_said_not_to_exist(app, auth, client):
    auth.login_as(Role.organiser)

    response = client.get("/admin/routes/delete/confirm?id=abc", follow_redirects=True)

    assert response.status_code == 200
    assert "Record does not exist." in response.get_data(as_text=True)
