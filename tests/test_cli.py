"""The flask commands organisers' admins run: users create, demo load (in both languages)."""

import re

from sqlalchemy import func, select

from app.backup import translations_value_problem
from app.demo import FIGURES, TRANSLATED_DEMO_MODELS
from app.extensions import db
from app.languages import plural
from app.maps import PALETTE
from app.models import Category, Figure, Need, Role, Route, Settings, Site, User
from tests import builders


def test_create_user_reads_the_password_from_stdin(app, runner):
    result = runner.invoke(
        args=["users", "create", "Maya@Example.org", "--role", "organiser", "--password-stdin"],
        input="plenty of dry socks\n",
    )

    assert result.exit_code == 0, result.output
    assert "Created organiser maya@example.org" in result.output
    with app.app_context():
        user = User.by_email("maya@example.org")
        assert user.role == Role.organiser
        assert user.check_password("plenty of dry socks")


def test_create_user_asks_twice_and_refuses_a_mismatch(app, runner):
    result = runner.invoke(
        args=["users", "create", "maya@example.org", "--role", "admin"],
        input="plenty of dry socks\nplenty of wet socks\n",
    )

    assert result.exit_code == 1
    assert "the two passwords do not match; nothing was saved." in result.output
    with app.app_context():
        assert User.count() == 0


def test_create_user_accepts_matching_passwords_typed_twice(app, runner):
    result = runner.invoke(
        args=["users", "create", "maya@example.org", "--role", "admin"],
        input="plenty of dry socks\nplenty of dry socks\n",
    )

    assert result.exit_code == 0, result.output
    with app.app_context():
        assert User.by_email("maya@example.org").role == Role.admin


def test_create_user_refuses_weak_passwords(app, runner):
    for weak in ("short", "password123", "aaaaaaaaaaaa"):
        result = runner.invoke(
            args=["users", "create", "maya@example.org", "--role", "organiser", "--password-stdin"],
            input=f"{weak}\n",
        )
        assert result.exit_code == 1
        assert "Nothing was saved." in result.output
    with app.app_context():
        assert User.count() == 0


def test_create_user_refuses_a_duplicate_email(app, runner):
    args = ["users", "create", "maya@example.org", "--role", "organiser", "--password-stdin"]
    runner.invoke(args=args, input="plenty of dry socks\n")

    result = runner.invoke(
        args=[*args[:2], "MAYA@example.org", *args[3:]], input="plenty of dry socks\n"
    )

    assert result.exit_code == 1
    assert "already exists" in result.output


def test_create_user_refuses_an_unknown_role(runner):
    result = runner.invoke(args=["users", "create", "maya@example.org", "--role", "boss"])

    assert result.exit_code == 2
    assert "'boss' is not one of 'admin', 'organiser'" in result.output


def counts(app) -> tuple[int, ...]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Category, Need, Site)
        )


def test_demo_load_fills_the_board_and_is_idempotent(app, runner, client):
    first = runner.invoke(args=["demo", "load"])
    after_first = counts(app)
    second = runner.invoke(args=["demo", "load"])

    assert first.exit_code == 0 and second.exit_code == 0
    assert "0 record(s) added" in second.output
    assert counts(app) == after_first
    assert after_first[1] >= 15
    html = client.get("/needs").get_data(as_text=True)
    for text in (
        "Sleeping bags",
        "Tents",
        "Wedding dresses",
        "High heels",
        "Calais warehouse",
        "Tell us what you are bringing and when, before you come.",
    ):
        assert text in html


def test_demo_load_does_not_undo_organisers_changes(app, runner):
    runner.invoke(args=["demo", "load"])
    with app.app_context():
        settings = db.session.get(Settings, 1)
        settings.group_name = "Our own name"
        db.session.commit()

    runner.invoke(args=["demo", "load"])

    with app.app_context():
        assert db.session.get(Settings, 1).group_name == "Our own name"


def test_demo_load_if_empty_leaves_a_database_with_content_alone(app, runner):
    builders.category(app, "Our own category")

    result = runner.invoke(args=["demo", "load", "--if-empty"])

    assert "already has content" in result.output
    assert counts(app) == (1, 0, 0)


def demo_figures() -> list[dict]:
    """The figures in the database, as the demo's FIGURES write them (without the quotes)."""
    return [
        {
            "route": figure.route.slug,
            **{name: getattr(figure, name) for name in FIGURE_FIELDS},
        }
        for figure in db.session.scalars(select(Figure).order_by(Figure.id))
    ]


FIGURE_FIELDS = ("label", "value", "unit", "period", "is_minimum", "source_name", "source_url")


def test_demo_load_adds_published_routes_with_only_the_sourced_figures(app, runner, client):
    runner.invoke(args=["demo", "load"])

    with app.app_context():
        routes = Route.published()
        names = [route.name for route in routes]
        assert {"Central Mediterranean", "Western Balkans", "English Channel to the UK"} <= set(
            names
        )
        assert all(route.stages for route in routes)
        # Exactly the published figures the demo cites, none invented, each with its period
        # and an https source.
        assert demo_figures() == [
            {name: figure[name] for name in ("route", *FIGURE_FIELDS)} for figure in FIGURES
        ]
        assert all(figure["period"] and figure["quote"] for figure in FIGURES)
        assert all(figure["source_url"].startswith("https://") for figure in FIGURES)
    html = client.get("/routes/central-mediterranean").get_data(as_text=True)
    assert "Tripoli, Libya → Lampedusa, Italy" in html and "Drowning" in html
    assert "Desert crossing" in client.get("/routes/sahara-desert-crossing").get_data(as_text=True)


def test_demo_figures_show_with_their_source_and_period_in_both_languages(app, runner, client):
    runner.invoke(args=["demo", "load"])

    html = client.get("/routes/english-channel-to-the-uk").get_data(as_text=True)
    assert "at least 69" in html and "people died trying to cross the Channel to the UK" in html
    assert "(2024)" in html and 'href="https://refugeecouncil.org.uk/' in html
    assert "people crossed the Channel to the UK in small boats" in client.get("/routes").get_data(
        as_text=True
    )
    french = client.get("/fr/routes/western-balkans").get_data(as_text=True)
    assert "au moins 400" in french and "sur la route des Balkans occidentaux" in french
    assert "(de 2014 à 2025)" in french


def test_demo_load_adds_its_figures_to_a_database_loaded_before_it_had_them(app, runner):
    runner.invoke(args=["demo", "load"])
    with app.app_context():
        channel = db.session.scalar(select(Route).where(Route.slug == "english-channel-to-the-uk"))
        channel.figures.clear()  # as loaded before the demo had figures
        db.session.commit()

    runner.invoke(args=["demo", "load"])
    second = runner.invoke(args=["demo", "load"])

    assert "0 record(s) added" in second.output
    with app.app_context():
        assert len(demo_figures()) == len(FIGURES)  # back, and nothing twice
        channel = db.session.scalar(select(Route).where(Route.slug == "english-channel-to-the-uk"))
        assert channel.figures[0].translation("fr", "label") == (
            "personnes ont traversé la Manche vers le Royaume-Uni en small boat"
        )


def test_demo_load_gives_the_routes_the_palette_and_a_volunteering_page(app, runner):
    runner.invoke(args=["demo", "load"])

    with app.app_context():
        assert {route.colour for route in Route.published()} == set(PALETTE)
        assert db.session.get(Settings, 1).volunteer_page.slug == "get-involved"


def test_demo_load_makes_calais_the_groups_place_even_in_a_database_loaded_before(app, runner):
    runner.invoke(args=["demo", "load"])
    with app.app_context():
        settings = db.session.get(Settings, 1)
        assert settings.home_place.name == "Calais"
        settings.home_place = None  # as a database loaded before the setting existed
        db.session.commit()

    runner.invoke(args=["demo", "load"])

    with app.app_context():
        assert db.session.get(Settings, 1).home_place.name == "Calais"


ENGLISH_ONLY_REPORT_BACK = "a-week-with-calais-migrant-solidarity"


def test_demo_load_gives_every_demo_text_its_french_but_one_report_back(app, runner):
    runner.invoke(args=["demo", "load"])

    with app.app_context():
        for model in TRANSLATED_DEMO_MODELS:
            for record in db.session.scalars(select(model)):
                if getattr(record, "slug", None) == ENGLISH_ONLY_REPORT_BACK:
                    assert record.translations == {}  # shown on /fr/news with a note
                    continue
                for field in record.TRANSLATED:
                    if getattr(record, field):
                        assert record.translation("fr", field), (model.__name__, field)
                        assert not record.is_outdated("fr", field)
                assert translations_value_problem(model.__table__, record.translations) is None
        bags = db.session.scalar(select(Need).where(Need.name == "Sleeping bags"))
        assert (bags.translation("fr", "name"), bags.unit) == ("Sacs de couchage", "bag | bags")
        units = bags.translation("fr", "unit")
    assert [plural(bags.unit, n, "en") for n in (1, 100)] == ["bag", "bags"]
    assert [plural(units, n, "fr") for n in (0, 1, 100)] == ["sac", "sac", "sacs"]


def test_demo_load_brings_french_to_demo_texts_without_it_but_never_to_organisers_words(
    app, runner
):
    runner.invoke(args=["demo", "load"])
    with app.app_context():
        tents = db.session.scalar(select(Need).where(Need.name == "Tents"))
        bags = db.session.scalar(select(Need).where(Need.name == "Sleeping bags"))
        tents.translations, bags.translations = {}, {}  # as loaded before the demo spoke French
        bags.name = "Warm sleeping bags"  # an organiser's own words
        tents_id, bags_id = tents.id, bags.id
        db.session.commit()

    result = runner.invoke(args=["demo", "load"])

    assert result.exit_code == 0
    with app.app_context():
        assert db.session.get(Need, tents_id).translation("fr", "name") == "Tentes"
        bags = db.session.get(Need, bags_id)
        assert bags.translation("fr", "name") == ""
        assert bags.translation("fr", "details").startswith("En bon état")


def test_french_typography_spaces_the_punctuation_of_the_french_demo():
    from app.demo import DEMO_FRENCH, french_typography

    assert french_typography("Note : oui ; « le game » ! Vraiment ?") == (
        "Note\u00a0: oui\u202f; «\u202fle game\u202f»\u202f! Vraiment\u202f?"
    )
    # Addresses keep their colons and question marks.
    assert french_typography("[liste](https://example.org/fr/news?page=2)") == (
        "[liste](https://example.org/fr/news?page=2)"
    )
    french = "".join(DEMO_FRENCH.values())
    assert not re.search(r" [:;!?»]|« ", french)
    assert "plein\u00a0: merci" in french and "«\u202fle game\u202f»" in french


def test_the_demo_s_french_pause_message_reads_with_french_spaces(app, runner, client):
    runner.invoke(args=["demo", "load"])
    with app.app_context():
        settings = db.session.get(Settings, Settings.current().id)
        settings.pause_enabled = True
        db.session.commit()
    html = client.get("/fr/").get_data(as_text=True)
    assert "Notre entrepôt est plein\u00a0: merci de garder vos dons" in html
