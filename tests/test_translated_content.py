"""Content in more than one language (app/models/translations.py) and the rules of the site's
languages (app/languages.py): where each language lives, how links follow the page's language,
plural forms of units, and what a new language costs."""

import pytest
from flask import url_for

from app.config import site_languages
from app.extensions import db
from app.languages import plural, plural_categories
from app.models import Category, Need, Settings
from app.models.translations import translations_problem
from tests import builders
from tests.apps import create_database, drop_database, make_app
from tests.pages import element


@pytest.fixture
def socks(app) -> int:
    return builders.need(app, builders.category(app), name="Socks", unit="pair | pairs")


def test_a_translation_is_shown_in_its_language_and_the_original_elsewhere(app, socks):
    with app.app_context():
        need = db.session.get(Need, socks)
        need.set_translation("fr", "name", "Chaussettes")
        db.session.commit()

        assert (
            need.local("name", "fr") == "Chaussettes" and not need.local("name", "fr").is_fallback
        )
        assert need.local("name", "en") == "Socks" and need.local("name", "en").language == "en"
        # No French details: the English, marked as English.
        need.details = "Wool, men's sizes"
        details = need.local("details", "fr")
        assert details == "Wool, men's sizes"
        assert (details.language, details.is_fallback) == ("en", True)


def test_a_translation_is_outdated_when_the_original_changes_until_confirmed(app, socks):
    with app.app_context():
        need = db.session.get(Need, socks)
        need.set_translation("fr", "name", "Chaussettes")
        db.session.commit()
        assert not need.is_outdated("fr", "name")

        need.name = "Warm socks"
        db.session.commit()
        assert need.is_outdated("fr", "name")
        assert need.local("name", "fr") == "Chaussettes"  # still shown: better than nothing

        need.confirm_translations("fr")
        db.session.commit()
        assert not db.session.get(Need, socks).is_outdated("fr", "name")


def test_an_empty_translation_removes_it_and_only_translated_fields_take_one(app, socks):
    with app.app_context():
        need = db.session.get(Need, socks)
        need.set_translation("fr", "name", "Chaussettes")
        need.set_translation("fr", "name", "   ")
        db.session.commit()
        assert db.session.get(Need, socks).translations == {}

        with pytest.raises(ValueError, match="urgency is not translated"):
            need.set_translation("fr", "urgency", "urgent")


def test_translations_are_cleaned_of_control_characters_as_any_text_is(app, socks):
    with app.app_context():
        need = db.session.get(Need, socks)
        need.set_translation("fr", "name", "Chaus\x0csettes\x1b")
        db.session.commit()
        assert db.session.get(Need, socks).translation("fr", "name") == "Chaussettes"


def test_a_new_language_needs_no_schema_change(app, socks):
    """German is not a site language here; its translations still fit the same column."""
    with app.app_context():
        need = db.session.get(Need, socks)
        need.set_translation("de", "name", "Socken")
        need.set_translation("fr", "name", "Chaussettes")
        db.session.commit()
        db.session.expire_all()
        stored = db.session.get(Need, socks)
        assert (
            stored.local("name", "de") == "Socken" and stored.local("name", "fr") == "Chaussettes"
        )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ([], "must be an object of languages"),
        ({"fr": "Chaussettes"}, "fr: must be an object of fields"),
        ({"fr": {"urgency": {"text": "x", "source": "y"}}}, "fr: 'urgency' is not a translated"),
        ({"fr": {"name": {"text": 3, "source": "y"}}}, "fr.name: must be a text and its source"),
        ({"fr": {"name": {"text": "x"}}}, "fr.name: must be a text and its source"),
        ({"../x": {}}, "has a language code that is not one"),
    ],
)
def test_stored_translations_that_are_not_translations_are_named(value, problem):
    assert translations_problem(value, Need.TRANSLATED).startswith(problem)
    assert translations_problem({"fr": {"name": {"text": "x", "source": "y"}}}, ("name",)) is None


@pytest.mark.parametrize(
    ("forms", "language", "count", "expected"),
    [
        ("pair | pairs", "en", 1, "pair"),
        ("pair | pairs", "en", 0, "pairs"),
        ("pair | pairs", "en", 2, "pairs"),
        ("sac | sacs", "fr", 0, "sac"),
        ("sac | sacs", "fr", 1, "sac"),
        ("sac | sacs", "fr", 100, "sacs"),
        ("sac | sacs", "fr", 1_000_000, "sacs"),  # French's "many": takes the last form
        ("kg", "fr", 40, "kg"),
        ("bag | ", "en", 2, "bag"),  # a form left empty is no form
        (" | bags", "en", 1, "bags"),
        ("", "en", 3, ""),
    ],
)
def test_a_unit_takes_the_plural_form_of_its_count(forms, language, count, expected):
    assert plural(forms, count, language) == expected


def test_a_language_with_more_plural_forms_writes_more_of_them():
    assert plural_categories("en") == ("one", "other")
    assert plural_categories("ar") == ("zero", "one", "two", "few", "many", "other")
    forms = "أكياس | كيس | كيسان | أكياس | كيسًا | كيس"
    assert [plural(forms, n, "ar") for n in (1, 2, 3, 11)] == ["كيس", "كيسان", "أكياس", "كيسًا"]


def test_links_are_built_in_the_language_of_the_page(app):
    with app.test_request_context("/fr/needs"):
        assert url_for("public.needs") == "/fr/needs"
        assert url_for("public.route", slug="balkans") == "/fr/routes/balkans"
        assert url_for("public.needs", _lang="en") == "/needs"
        assert url_for("site.sitemap") == "/sitemap.xml"  # the same in every language
    with app.test_request_context("/needs"):
        assert url_for("public.needs") == "/needs"
        assert url_for("public.needs", _lang="fr") == "/fr/needs"


def test_the_default_language_is_a_setting(database_config):
    app = make_app(database_config, LANGUAGES=("fr", "en"), DEFAULT_LANGUAGE="fr")
    create_database(app)
    try:
        client = app.test_client()
        french, english = client.get("/needs"), client.get("/en/needs")
        assert element(french.get_data(as_text=True), "html").get("lang") == "fr"
        assert element(english.get_data(as_text=True), "html").get("lang") == "en"
        assert client.get("/fr/needs").status_code == 404
    finally:
        drop_database(app)


@pytest.mark.parametrize(
    ("languages", "default", "problem"),
    [
        ("en,xx", "en", "LANGUAGES='en,xx': the site speaks en, fr"),
        ("", "en", "LANGUAGES='': the site speaks"),
        ("en", "fr", "DEFAULT_LANGUAGE='fr' must be one of LANGUAGES='en'"),
    ],
)
def test_languages_the_site_cannot_speak_are_refused_at_start(languages, default, problem):
    with pytest.raises(RuntimeError, match=problem):
        site_languages(languages, default)


def test_the_default_language_comes_first():
    assert site_languages(" fr , en ,fr", "en") == (("en", "fr"), "en")


def test_settings_defaults_have_no_translations(app):
    with app.app_context():
        assert Settings.defaults().local("tagline", "fr") == ""
        category = Category(name="Food", slug="food")
        assert category.local("name", "fr").is_fallback


def test_the_login_page_speaks_the_browsers_language_and_says_so(client):
    french = client.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8"})
    german = client.get("/login", headers={"Accept-Language": "de"})

    assert element(french.get_data(as_text=True), "html").get("lang") == "fr"
    assert element(german.get_data(as_text=True), "html").get("lang") == "en"  # the default
    assert "Accept-Language" in french.headers["Vary"]
    # Public pages never depend on it: they are cached and mirrored as they are.
    public = client.get("/needs", headers={"Accept-Language": "fr"})
    assert element(public.get_data(as_text=True), "html").get("lang") == "en"
    assert "Accept-Language" not in public.headers.get("Vary", "")


def test_an_outdated_pause_message_is_not_shown_in_french_the_new_one_is(app, client):
    with app.app_context():
        settings = db.session.get(Settings, 1)
        settings.pause_enabled = True
        settings.pause_message = "The warehouse is full until Monday."
        settings.set_translation("fr", "pause_message", "L’entrepôt est plein jusqu’à lundi.")
        db.session.commit()
    assert "jusqu’à lundi" in client.get("/fr/").text

    with app.app_context():
        db.session.get(Settings, 1).pause_message = "Closed for the holidays until 4 January."
        db.session.commit()
    french = client.get("/fr/").text

    assert "jusqu’à lundi" not in french
    assert '<span lang="en">Closed for the holidays until 4 January.</span>' in french


def test_the_switch_and_hreflang_keep_the_page_of_a_list(app, client):
    builders.report_backs(app, 12)
    second = client.get("/fr/news?page=2").text

    assert element(second, 'link[rel="canonical"]').get("href") == "http://localhost/fr/news?page=2"
    assert element(second, 'link[hreflang="en"]').get("href") == "http://localhost/news?page=2"
    assert element(second, "nav.languages a").get("href") == "/news?page=2"


@pytest.mark.parametrize("path", ["/fr/admin", "/fr/login", "/fr/no-such-page"])
def test_an_error_page_switches_to_the_other_languages_home_page(client, path):
    missing = client.get(path)

    assert missing.status_code == 404
    assert element(missing.text, "nav.languages a").get("href") == "/"
    assert element(missing.text, 'link[hreflang="en"]').get("href") == "http://localhost/"
    assert element(missing.text, 'link[rel="canonical"]').get("href") == f"http://localhost{path}"


def test_the_login_page_switches_language_by_itself(client):
    french = client.get("/login", headers={"Accept-Language": "fr"}).text
    switch = element(french, "nav.languages a").get("href")
    assert switch == "/login?lang=en"

    english = client.get(switch, headers={"Accept-Language": "fr"}).text
    assert element(english, "html").get("lang") == "en"
    assert element(english, "nav.languages a").get("href") == "/login?lang=fr"
