"""Content in every language in the admin's forms: a field per translated field and
language beside the original, saved in the record's translations, marked when the original
changed since, and confirmed with one tick."""

from sqlalchemy import select

from app.extensions import db
from app.models import Need, Settings
from tests import builders
from tests.pages import element, elements, parse, submit


def edit_form_values(client, url: str) -> dict[str, str]:
    """The edit form's fields as a browser would send them back unchanged."""
    page = parse(client.get(url).get_data(as_text=True))
    (form,) = [form for form in page.select("form") if form.attrs.get("class") == "admin-form"]
    values = {}
    for field in form.select("input[name]"):
        kind = field.attrs.get("type")
        if kind == "checkbox":
            if "checked" in field.attrs:
                values[field.attrs["name"]] = field.attrs.get("value", "y")
        elif kind != "submit":
            values[field.attrs["name"]] = field.attrs.get("value", "")
    for field in form.select("textarea[name]"):
        values[field.attrs["name"]] = field.text.strip()
    for field in form.select("select[name]"):
        chosen = [o for o in field.select("option") if "selected" in o.attrs]
        values[field.attrs["name"]] = chosen[0].attrs.get("value", "") if chosen else ""
    return values


def edit(client, url: str, **changes):
    return client.post(url, data={**edit_form_values(client, url), **changes})


def sleeping_bags(app) -> tuple[int, str]:
    need_id = builders.need(app, builders.category(app), "Sleeping bags")
    return need_id, f"/admin/needs/edit/?id={need_id}"


def test_the_form_has_the_french_beside_each_translated_field(app, organiser, client):
    _, url = sleeping_bags(app)

    html = client.get(url).get_data(as_text=True)

    pairs = elements(html, ".translated-field")
    assert [pair.select("[name]")[-1].get("name") for pair in pairs] == [
        "name__fr",
        "details__fr",
        "unit__fr",
    ]
    assert element(html, "label[for=name__fr]").text.startswith("Name — Français")
    assert element(html, "input[name=name__fr]").get("lang") == "fr"
    assert element(html, "input[name=name__fr]").get("maxlength") == "120"
    assert element(html, "textarea[name=details__fr]")
    assert "The French still matches the English" in html


def test_a_french_name_is_saved_in_the_translations(app, organiser, client):
    need_id, url = sleeping_bags(app)

    response = edit(client, url, name__fr="Sacs de couchage")

    assert response.status_code == 302
    need = builders.get(app, Need, need_id)
    assert need.name == "Sleeping bags"
    assert need.translations["fr"]["name"]["text"] == "Sacs de couchage"
    assert "details" not in need.translations["fr"]  # empty: no translation
    html = client.get(url).get_data(as_text=True)
    assert element(html, "input[name=name__fr]").get("value") == "Sacs de couchage"
    assert not elements(html, ".translation-outdated")


def test_the_french_name_shows_on_the_french_pages_and_the_english_is_unchanged(
    app, organiser, client
):
    _, url = sleeping_bags(app)
    edit(client, url, name__fr="Sacs de couchage")

    assert "Sacs de couchage" in client.get("/fr/needs").get_data(as_text=True)
    assert "Sacs de couchage" in client.get("/fr/needs.txt").get_data(as_text=True)
    english = client.get("/needs").get_data(as_text=True)
    assert "Sleeping bags" in english and "Sacs de couchage" not in english


def test_changing_the_english_marks_the_french_until_it_is_confirmed(app, organiser, client):
    need_id, url = sleeping_bags(app)
    edit(client, url, name__fr="Sacs de couchage")

    edit(client, url, name="Sleeping bags (adult)")

    html = client.get(url).get_data(as_text=True)
    mark = element(html, ".translation-outdated")
    assert "The English changed since this was translated" in mark.text
    assert element(html, "input[name=name__fr]").get("aria-describedby") == mark.get("id")
    with app.app_context():
        assert db.session.get(Need, need_id).is_outdated("fr", "name")

    edit(client, url, confirm_translations__fr="y")

    with app.app_context():
        need = db.session.get(Need, need_id)
        assert not need.is_outdated("fr", "name")
        assert need.translation("fr", "name") == "Sacs de couchage"
    assert not elements(client.get(url).get_data(as_text=True), ".translation-outdated")


def test_a_too_long_translation_is_refused_beside_the_field(app, organiser, client):
    need_id, url = sleeping_bags(app)

    response = edit(client, url, name__fr="S" * 121, name="Sleeping bags, warm")

    assert response.status_code == 200
    field = element(response.get_data(as_text=True), "input[name=name__fr]")
    assert "is-invalid" in field.classes
    assert "120" in element(response.get_data(as_text=True), ".invalid-feedback").text
    need = builders.get(app, Need, need_id)
    assert need.name == "Sleeping bags" and not need.translations


def test_a_new_item_can_be_created_with_its_french(app, organiser, client):
    category = builders.category(app)

    response = submit(
        client,
        "/admin/needs/new/",
        builders.need_form(category, "Tents", name__fr="Tentes", received="0"),
    )

    assert response.status_code == 302
    with app.app_context():
        need = db.session.scalar(select(Need).where(Need.name == "Tents"))
        assert need.translation("fr", "name") == "Tentes"


def test_the_settings_tagline_has_its_french(app, organiser, client):
    url = "/admin/settings/edit/?id=1"
    assert element(client.get(url).get_data(as_text=True), "input[name=tagline__fr]")

    response = edit(
        client, url, tagline="Warm things for Calais", tagline__fr="Du chaud pour Calais"
    )

    assert response.status_code == 302
    with app.app_context():
        settings = db.session.get(Settings, 1)
        assert settings.tagline == "Warm things for Calais"
        assert settings.translation("fr", "tagline") == "Du chaud pour Calais"


def test_the_french_admin_shows_the_mark_in_french(app, auth, client):
    auth.login_as(language="fr")
    need_id, url = sleeping_bags(app)
    edit(client, url, name__fr="Sacs de couchage")
    edit(client, url, name="Sleeping bags (adult)")

    html = client.get(url).get_data(as_text=True)

    assert "L’original en anglais a changé" in element(html, ".translation-outdated").text
    assert "Nom — Français" in element(html, "label[for=name__fr]").text
