"""The admin in French, as a French-speaking organiser reads it: the board's pause message and
quick-add form in every language, the change history in words, plurals, French punctuation and
messages written for "vous", and the organisers' English content marked as English."""

import re
from datetime import UTC, datetime

import pytest

from app.admin.history import shown_value
from app.demo import french_typography as french
from app.extensions import db
from app.models import Need, Role, Settings, Site, SiteKind, Urgency
from tests import builders
from tests.accounts import AuthActions
from tests.pages import csrf_token_from, element, elements


@pytest.fixture
def amelie(app, client):
    """A French-speaking organiser."""
    AuthActions(app, client).login_as(Role.organiser, display_name="Amélie", language="fr")
    return client


@pytest.fixture
def bags(app):
    shelter = builders.category(app, "Shelter")
    return builders.need(app, shelter, "Sleeping bags", Urgency.needed, quantity=100, unit="bags")


def post(client, url: str, **data):
    token = csrf_token_from(client.get("/admin/board/").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def settings_version(app) -> int:
    return builders.get(app, Settings, 1).version


def test_the_pause_message_is_written_and_saved_in_every_language(app, amelie):
    builders.get(app, Settings, 1)  # the row exists
    html = amelie.get("/admin/board/").get_data(as_text=True)

    original, french = element(html, "textarea#message"), element(html, "textarea#message__fr")
    assert (original.get("lang"), french.get("lang")) == ("en", "fr")
    labels = [label.text for label in elements(html, "#pause label")]
    assert labels == [
        "Message pour les donateurs — English",
        "Message pour les donateurs — Français",
    ]

    post(
        amelie,
        "/admin/board/pause",
        pause="on",
        message="Warehouse full until 8 December",
        message__fr="Entrepôt plein jusqu’au 8 décembre",
        version=settings_version(app),
    )

    settings = builders.get(app, Settings, 1)
    assert settings.pause_enabled and settings.pause_message == "Warehouse full until 8 December"
    assert settings.translation("fr", "pause_message") == "Entrepôt plein jusqu’au 8 décembre"
    paused = amelie.get("/admin/board/").get_data(as_text=True)
    shown = {p.get("lang"): p.text for p in elements(paused, "p.pause-message")}
    assert "Entrepôt plein" in shown["fr"] and "Warehouse full" in shown["en"]


def test_a_translation_left_alone_stays_marked_outdated_when_the_original_changes(app, amelie):
    with app.app_context():
        settings = db.session.get(Settings, 1) or Settings.current()
        settings.pause_message = "Full"
        settings.set_translation("fr", "pause_message", "Plein")
        db.session.add(settings)
        db.session.commit()

    post(
        amelie,
        "/admin/board/pause",
        pause="on",
        message="Full until Monday",
        message__fr="Plein",
        version=settings_version(app),
    )

    settings = builders.get(app, Settings, 1)
    assert settings.pause_message == "Full until Monday"
    assert settings.translation("fr", "pause_message") == "Plein"
    assert settings.is_outdated("fr", "pause_message")


def test_the_quick_add_form_takes_the_name_and_details_in_each_language(app, client, auth):
    shelter = builders.category(app, "Shelter")
    auth.login_as(Role.organiser)
    html = client.get("/admin/board/new").get_data(as_text=True)

    assert element(html, 'label[for="name"]').text == "What is needed — English"
    assert element(html, "input#name").get("lang") == "en"
    assert element(html, 'label[for="name__fr"]').text == "What is needed — Français (optional)"
    assert element(html, "input#name__fr").get("lang") == "fr"
    assert element(html, "textarea#details__fr").get("lang") == "fr"

    response = client.post(
        "/admin/board/new",
        data={
            "csrf_token": csrf_token_from(html),
            "name": "Tents",
            "name__fr": "Tentes",
            "details__fr": "Neuves seulement",
            "urgency": "urgent",
            "category": str(shelter),
            "is_visible": "y",
        },
    )

    assert response.status_code == 302
    with app.app_context():
        need = db.session.scalars(db.select(Need).filter_by(name="Tents")).one()
        assert need.translation("fr", "name") == "Tentes"
        assert need.translation("fr", "details") == "Neuves seulement"


def test_the_boards_translations_are_held_to_their_originals_length(app, client, auth):
    """A translation may be no longer than its original may be: nothing is saved."""
    shelter = builders.category(app, "Shelter")
    auth.login_as(Role.organiser)
    html = client.get("/admin/board/new").get_data(as_text=True)
    form = {"csrf_token": csrf_token_from(html), "urgency": "urgent", "category": str(shelter)}

    too_long = client.post(
        "/admin/board/new", data={**form, "name": "Tents", "name__fr": "T" * 121}
    )
    assert too_long.status_code == 200 and "120" in element(too_long.text, "#name__fr-error").text
    assert builders.count(app, Need) == 0

    board = client.get("/admin/board/").get_data(as_text=True)
    client.post(
        "/admin/board/pause",
        data={
            "csrf_token": csrf_token_from(board),
            "pause": "on",
            "message": "Full",
            "message__fr": "P" * 1001,
            "version": settings_version(app),
        },
    )
    settings = builders.get(app, Settings, 1)
    assert not settings.pause_enabled and settings.translation("fr", "pause_message") == ""


def test_the_change_history_reads_in_french(app, client, auth):
    need_id = builders.need(app, builders.category(app, "Shelter"), "Tents")
    with app.app_context():
        db.session.get(Need, need_id).is_visible = False
        db.session.commit()
        settings = db.session.get(Settings, 1) or Settings.current()
        settings.check_after_days = 9
        db.session.add(settings)
        db.session.commit()
    auth.login_as(Role.admin, language="fr")

    listing = client.get("/admin/changes/").get_data(as_text=True)
    text = " " + element(listing, "table.model-list").text.replace("\n", " ") + " "
    assert "besoin" in text and "Modification" in text and "Création" in text
    assert "Réglages du site" in text and "ligne de commande" in text
    for raw in (" needs ", " update ", " create ", " settings ", "command line", "is visible"):
        assert raw not in text
    assert "Affiché" in text  # the field, as the needs form names it
    filters = listing.split('id="filter-groups-data"')[1].split("</div>")[0]
    assert "Modification" in filters and "Type" in filters and '"Table"' not in filters

    with app.app_context():
        from app.models import Change

        change = db.session.scalars(
            db.select(Change).filter_by(record_type="needs", action="update")
        ).first()
    details = client.get(f"/admin/changes/details/?id={change.id}").get_data(as_text=True)
    assert "Modification : besoin « Tents »" in element(details, "h1").text
    cells = [td.text for td in elements(details, "td")]
    assert "Oui" in cells and "Non" in cells
    assert not any(re.match(r"\d{4}-\d\d-\d\dT", cell) for cell in cells)


def edit_need(client, need_id, form_html, **fields):
    version = re.search(r'name="version_seen" type="hidden" value="(\d*)"', form_html).group(1)
    category = builders.get(client.application, Need, need_id).category_id
    data = {
        "category": str(category),
        "name": "Sleeping bags",
        "urgency": "needed",
        "quantity": "100",
        "received": "0",
        "unit": "bags",
        "position": "0",
        "is_visible": "y",
        "version_seen": version,
        "csrf_token": csrf_token_from(form_html),
        **fields,
    }
    return client.post(f"/admin/needs/edit/?id={need_id}", data=data)


def test_a_conflict_names_the_fields_by_their_labels_and_a_translation_by_its_language(app, bags):
    maya, sam = app.test_client(), app.test_client()
    AuthActions(app, maya).login_as(Role.organiser, display_name="Maya")
    AuthActions(app, sam).login_as(Role.organiser, display_name="Sam")
    url = f"/admin/needs/edit/?id={bags}"
    maya_form, sam_form = maya.get(url).get_data(as_text=True), sam.get(url).get_data(as_text=True)

    edit_need(maya, bags, maya_form, name__fr="Sacs de couchage")
    refused = edit_need(sam, bags, sam_form, details="Washed")

    assert "Maya changed “Sleeping bags” (Name — Français) while you were editing" in refused.text


def test_your_own_change_in_another_tab_is_said_with_vous(app, amelie, bags):
    shown = builders.get(app, Need, bags).version
    post(amelie, f"/admin/board/{bags}/urgency", urgency="urgent", version=shown)

    post(amelie, f"/admin/board/{bags}/urgency", urgency="plenty", version=shown)

    card = element(amelie.get("/admin/board/").get_data(as_text=True), f"li#need-{bags}")
    assert "Vous avez modifié « Sleeping bags »" in card.text
    assert "Vous a modifié" not in card.text


@pytest.mark.parametrize(
    ("received", "words", "bar"),
    [
        (0, "(0 reçu)", "0 reçu sur 100"),
        (1, "(1 reçu)", "1 reçu sur 100"),
        (2, "(2 reçus)", "2 reçus sur 100"),
    ],
)
def test_what_arrived_agrees_with_its_number_in_french(app, amelie, bags, received, words, bar):
    with app.app_context():
        db.session.get(Need, bags).received = received
        db.session.commit()

    html = amelie.get("/admin/board/").get_data(as_text=True)

    assert words in element(html, f"li#need-{bags}").text
    assert element(html, f"li#need-{bags} progress").get("aria-label") == bar


def test_french_punctuation_and_whole_sentences_on_the_dashboard(app, amelie, bags):
    with app.app_context():
        db.session.get(Need, bags).checked_at = datetime(2020, 1, 1, tzinfo=UTC)
        db.session.commit()

    html = amelie.get("/admin/").get_data(as_text=True)

    counts = [a.text for a in elements(html, ".dashboard-counts a")]
    assert "Nécessaire : 1" in counts
    assert not any(re.search(r"\S: \d", c) for c in counts)
    look = element(html, ".dashboard-look").text
    assert (
        "1 article à vérifier : personne ne l’a confirmé depuis plus de" in look
    )  # .text: spaces plain


def test_the_board_marks_the_english_content_in_a_french_page(app, amelie, bags):
    html = amelie.get("/admin/board/").get_data(as_text=True)
    assert element(html, f"li#need-{bags} .card-name").get("lang") == "en"
    assert '<span lang="en">Sleeping bags</span>' in html  # "Urgence de Sleeping bags"
    assert '<span lang="en">100 bags</span>' in html


def test_the_english_board_is_not_marked(app, client, auth, bags):
    auth.login_as(Role.organiser)
    html = client.get("/admin/board/").get_data(as_text=True)

    assert '<span lang="en">' not in html and 'class="card-name" lang' not in html


def test_a_translated_forms_original_is_labelled_and_marked_with_its_language(app, amelie, bags):
    html = amelie.get(f"/admin/needs/edit/?id={bags}").get_data(as_text=True)

    assert element(html, "input#name").get("lang") == "en"
    assert element(html, 'label[for="name"]').text.startswith("Nom — English")
    assert element(html, "input#name__fr").get("lang") == "fr"


def test_lists_show_words_and_dates_not_stored_values(app, client, auth):
    builders.site(app, "Calais warehouse", SiteKind.warehouse)
    builders.category(app, "Shelter")
    auth.login_as(Role.admin, language="fr")

    sites = client.get("/admin/sites/").get_data(as_text=True)
    assert "Entrepôt" in element(sites, "table.model-list").text and ">warehouse<" not in sites
    users = client.get("/admin/users/").get_data(as_text=True)
    body = element(users, "table.model-list").text
    assert "Admin (everything" not in body and ">admin<" not in users
    assert not re.search(r"\d\d:\d\d:\d\d\.\d+", body)  # no raw UTC with microseconds
    categories = client.get("/admin/categories/").get_data(as_text=True)
    assert "Nom" in element(categories, "table.model-list").text
    form = client.get("/admin/categories/new/").get_data(as_text=True)
    assert element(form, 'label[for="slug"]').text.strip() != "Slug"


def test_stage_filters_are_the_routes_name_and_position_only(app, client, auth):
    auth.login_as(Role.organiser, language="fr")

    html = client.get("/admin/stages/").get_data(as_text=True)
    filters = html.split('id="filter-groups-data"')[1].split("</div>")[0]

    assert "Slug" not in filters and "Body" not in filters and "Version" not in filters
    assert "routes_name_contains" in filters and "routes_position_equals" in filters
    form = client.get("/admin/stages/new/").get_data(as_text=True)
    assert "Moyen de transport" in form


def test_the_admin_page_declares_its_direction_and_names_its_navigation(app, amelie):
    html = amelie.get("/admin/routes/").get_data(as_text=True)

    assert element(html, "html").get("dir") == "ltr"
    assert element(html, "nav.navbar").get("aria-label") == "Administration"
    assert "Toggle navigation" not in html
    title = element(html, "title").text
    assert title.count(title.split(" - ")[0]) == 1


def test_sites_kind_filter_offers_the_kinds_by_name(app, client, auth):
    builders.site(app, "Dunkirk", SiteKind.drop_off)
    auth.login_as(Role.organiser, language="fr")

    html = client.get("/admin/sites/").get_data(as_text=True)
    filters = html.split('id="filter-groups-data"')[1].split("</div>")[0]

    assert '["drop_off", "Point de d\\u00e9p\\u00f4t"]' in filters
    assert '["drop_off", "drop_off"]' not in filters
    assert builders.get(app, Site, 1).kind == SiteKind.drop_off


def test_a_save_in_the_full_admin_names_the_record_in_french(app, amelie, bags):
    url = f"/admin/needs/edit/?id={bags}"

    response = edit_need(amelie, bags, amelie.get(url).get_data(as_text=True), details="Lavés")

    html = amelie.get(response.headers["Location"]).get_data(as_text=True)
    assert french("Modifications de « Sleeping bags » enregistrées.") in html
    assert "A été enregistrée avec succès" not in html


def test_roles_and_dangers_in_the_history_read_as_words(app):
    with app.test_request_context("/admin/changes/", headers={"Accept-Language": "fr"}):
        assert shown_value("role", "organiser") == "Organisateur ou organisatrice"
        assert shown_value("dangers", ["drowning", "cold"]) == "Noyade, Froid et intempéries"
        assert shown_value("dangers", ["drowning", "unheard-of"]) == "Noyade, unheard-of"
