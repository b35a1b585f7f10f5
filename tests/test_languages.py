"""The public site in English and French: addresses, the switch, hreflang, the sitemap,
content shown in the page's language (or the original, marked with its own lang), French
feeds, dates and plural forms."""

import re
from datetime import UTC, date, datetime, timedelta
from xml.etree import ElementTree

import feedparser
import time_machine

from app.demo import french_typography as french
from app.extensions import db
from app.models import Need, Place
from tests import builders
from tests.pages import elements, parse

FRENCH_ADDRESSES = (
    "/fr/",
    "/fr/needs",
    "/fr/routes",
    "/fr/routes/english-channel-to-the-uk",
    "/fr/news",
    "/fr/news/report",
    "/fr/about",
)
FEEDS = ("/fr/feeds/news.atom", "/fr/feeds/needs.atom")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def head_links(html: str) -> dict[str, str]:
    return {
        link.get("hreflang"): link.get("href")
        for link in elements(html, "link[rel=alternate]")
        if link.get("hreflang")
    }


def test_every_french_address_answers_in_french(app, client):
    builders.bilingual_site(app)
    for url in (*FRENCH_ADDRESSES, "/fr/needs.txt", *FEEDS):
        assert client.get(url).status_code == 200, url
    for url in FRENCH_ADDRESSES:
        assert elements(html_of(client, url), "html")[0].get("lang") == "fr", url
    assert elements(html_of(client, "/needs"), "html")[0].get("lang") == "en"


def test_the_switch_on_every_page_leads_to_the_same_page_in_the_other_language(app, client):
    builders.bilingual_site(app)
    for in_french in FRENCH_ADDRESSES:
        english = in_french.removeprefix("/fr") or "/"
        (to_english,) = elements(html_of(client, in_french), "nav.languages a")
        (to_french,) = elements(html_of(client, english), "nav.languages a")
        assert (to_english.get("href"), to_english.get("lang")) == (english, "en")
        assert (to_french.get("href"), to_french.get("lang")) == (in_french, "fr")
        assert to_english.text == "English" and to_french.text == "Français"


def test_hreflang_links_are_absolute_reciprocal_and_name_a_default(app, client):
    builders.bilingual_site(app)
    for in_french in FRENCH_ADDRESSES:
        english = in_french.removeprefix("/fr") or "/"
        from_french = head_links(html_of(client, in_french))
        from_english = head_links(html_of(client, english))
        assert from_french == from_english
        assert from_french["fr"] == f"http://localhost{in_french}"
        assert from_french["en"] == f"http://localhost{english}"
        assert from_french["x-default"] == from_french["en"]


def test_open_graph_names_the_page_language_and_the_other(app, client):
    html = html_of(client, "/fr/needs")
    assert elements(html, "meta[property=og:locale]")[0].get("content") == "fr_FR"
    alternate = elements(html, "meta[property=og:locale:alternate]")
    assert [meta.get("content") for meta in alternate] == ["en_GB"]


def test_the_sitemap_lists_every_page_in_both_languages_with_alternates(app, client):
    builders.bilingual_site(app)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = ElementTree.fromstring(response.data).findall(f"{SITEMAP}url")
    locations = [url.find(f"{SITEMAP}loc").text for url in urls]
    for in_french in FRENCH_ADDRESSES:
        english = in_french.removeprefix("/fr") or "/"
        assert f"http://localhost{in_french}" in locations
        assert f"http://localhost{english}" in locations
    for url in urls:
        links = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        assert set(links) == {"en", "fr", "x-default"}
        assert url.find(f"{SITEMAP}loc").text in (links["en"], links["fr"])
        assert links["x-default"] == links["en"]
    assert client.get("/fr/sitemap.xml").status_code == 404


def test_french_pages_show_the_french_content(app, client):
    builders.bilingual_site(app)
    needs = html_of(client, "/fr/needs")
    for text in (
        "Sacs de couchage",
        "Des chauds",
        "Vêtements chauds",
        "Entrepôt de Calais",
        "Appelez avant",
        "Aide aux personnes exilées à Calais",
        "L’argent achète des produits frais.",
        "Qui sommes-nous",
        "<strong>100</strong> sur 100 sacs restent à trouver",
        "<strong>1</strong> sur 1 tente reste à trouver",
    ):
        assert text in needs, text
    assert "Sleeping bags" not in needs and "Warm clothes" not in needs
    route = html_of(client, "/fr/routes/english-channel-to-the-uk")
    for text in (
        "De la Manche au Royaume-Uni",
        "Calais, France → Douvres, Royaume-Uni",
        french("Moyen de transport : Petits bateaux"),
        "Noyade",
        "La mer est <strong>agitée</strong>",
        "au moins 1\u202f234 personnes",
        "personnes mortes à la frontière (depuis 1999)",
    ):
        assert text in route, text
    # The map names places and countries in French too, at every size.
    page = parse(route)
    for layout in ("small", "medium", "large"):
        names = {text.text for text in page.select(f"svg g.map-{layout} .map-names text")}
        assert {"Calais", "Douvres"} <= names, layout

    assert "Comment les gens <strong>arrivent</strong>" in html_of(client, "/fr/routes")
    assert "Nous sommes <strong>bénévoles</strong>" in html_of(client, "/fr/about")
    post = html_of(client, "/fr/news/report")
    assert "Une semaine à l’entrepôt" in post and "Nous avons <strong>trié</strong>" in post
    assert "(en anglais)" not in post


def test_the_english_pages_are_unchanged_by_translations(app, client):
    builders.bilingual_site(app)
    needs = html_of(client, "/needs")
    assert "Sleeping bags" in needs and "<strong>100</strong> of 100 bags still needed" in needs
    main = needs.split("<main")[1]
    assert "Sacs" not in main and 'lang="fr"' not in main


def test_text_with_no_french_shows_the_english_marked_as_english(app, client):
    category = builders.category(app, "Hygiene")
    builders.need(app, category, "Soap bars", details="Unscented", quantity=5, unit="bar | bars")
    builders.page(app, "about", "About us", body="We are **volunteers**.")
    builders.published_post(app, "report", "A week at the warehouse", body="We **sorted**.")

    needs = html_of(client, "/fr/needs")
    assert '<span lang="en">Soap bars</span>' in needs
    assert '<span lang="en">Unscented</span>' in needs
    assert '<span lang="en">bars</span>' in needs
    page = html_of(client, "/fr/about")
    assert '<div lang="en"><p>We are <strong>volunteers</strong>.</p>' in page
    assert '<h1><span lang="en">About us</span></h1>' in page

    news = parse(html_of(client, "/fr/news"))
    (title,) = news.select("article.post-card h2")
    assert title.text == "A week at the warehouse (en anglais)"
    assert title.select("span[lang=en]")[0].text == "A week at the warehouse"
    post = html_of(client, "/fr/news/report")
    assert "(en anglais)" in post and '<div lang="en"><p>We <strong>sorted' in post


def test_the_plain_text_list_in_french(app, client):
    builders.bilingual_site(app)
    response = client.get("/fr/needs.txt")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert french("Needs Now : nos besoins du moment") in text
    assert french("BESOINS URGENTS\nVêtements chauds :\n- Sacs de couchage : ") in text
    assert "100 sur 100 sacs restent à trouver\n  Des chauds\n" in text
    assert "OÙ ET QUAND DÉPOSER VOS DONS" in text
    assert "Entrepôt de Calais (Entrepôt, " in text and ")\n  1 rue de la Mer\n" in text
    assert french("Horaires d’ouverture : Lun–ven 10–16") in text
    assert french("Liste complète : http://localhost/fr/needs") in text
    assert "still needed" not in text and "Sleeping" not in text


def test_french_feeds_are_valid_atom_in_french(app, client):
    builders.bilingual_site(app)
    news = feedparser.parse(client.get("/fr/feeds/news.atom").data)
    assert not news.bozo, news.get("bozo_exception")
    assert news.feed.language == "fr"
    assert news.feed.title == french("Needs Now : nouvelles du terrain")
    assert news.feed.link == "http://localhost/fr/news"
    (entry,) = news.entries
    assert entry.title == "Une semaine à l’entrepôt"
    assert entry.link == "http://localhost/fr/news/report"
    assert "Nous avons <strong>trié</strong>" in entry.content[0].value

    needs = feedparser.parse(client.get("/fr/feeds/needs.atom").data)
    assert not needs.bozo, needs.get("bozo_exception")
    assert needs.feed.language == "fr"
    titles = [entry.title for entry in needs.entries]
    assert french("Urgent : Sacs de couchage") in titles
    bags = needs.entries[titles.index(french("Urgent : Sacs de couchage"))]
    assert bags.summary.startswith(
        french("Vêtements chauds — Sacs de couchage : désormais « Urgent ».")
    )
    english = feedparser.parse(client.get("/feeds/needs.atom").data)
    assert english.feed.language == "en"
    assert "Urgent: Sleeping bags" in [entry.title for entry in english.entries]


def test_the_base_page_points_at_the_feeds_of_its_language(app, client):
    html = html_of(client, "/fr/news")
    feeds = [link.get("href") for link in elements(html, "link[type=application/atom+xml]")]
    assert feeds == ["/fr/feeds/needs.atom", "/fr/feeds/news.atom"]


def test_dates_are_written_in_french_in_the_group_s_time_zone(app, client):
    category = builders.category(app)
    checked = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)  # the 21st, 00:30 in Paris
    socks = builders.need(app, category)
    with app.app_context():
        db.session.get(Need, socks).checked_at = checked
        db.session.commit()
    builders.site(app, open_from=date(2026, 11, 17), open_until=date(2026, 11, 27))
    app.config["TIMEZONE"] = "Europe/Paris"
    with time_machine.travel(datetime(2026, 11, 24, 12, tzinfo=UTC), tick=False):
        french = html_of(client, "/fr/needs")
        english = html_of(client, "/needs")
    assert "il y a 3 jours" in french and "(sam. 21 nov. 2026 à 00:30)" in french
    assert "3 days ago" in english and "(Sat, 21 Nov 2026, 00:30)" in english
    assert "17–27 nov." in french and "17–27 Nov" in english


def test_relative_days_have_plural_forms(app):
    from app.dates import relative_day

    today = date(2026, 11, 24)
    with app.test_request_context("/fr/needs"):
        app.preprocess_request()
        said = [relative_day(today - timedelta(days=days), today) for days in (0, 1, 2, 14, 70)]
    assert said == ["aujourd’hui", "hier", "il y a 2 jours", "il y a 2 semaines", "il y a 2 mois"]
    with app.test_request_context("/needs"):
        assert relative_day(today - timedelta(days=7), today) == "7 days ago"


def test_units_take_the_plural_form_of_their_count(app, client):
    category = builders.category(app)
    one = builders.need(app, category, "Tent", quantity=1, unit="tent | tents")
    many = builders.need(app, category, "Bags", quantity=100, unit="bag | bags")
    builders.translate(app, Need, one, name="Tente", unit="tente | tentes")
    builders.translate(app, Need, many, name="Sacs", unit="sac | sacs")
    french, english = html_of(client, "/fr/needs"), html_of(client, "/needs")
    assert "sur 1 tente reste à trouver" in french and "sur 100 sacs restent à trouver" in french
    assert "of 1 tent still needed" in english and "of 100 bags still needed" in english


def test_a_missing_french_page_is_not_found_in_french(app, client):
    response = client.get("/fr/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert elements(html, "html")[0].get("lang") == "fr"
    assert "Page introuvable" in html and 'href="/fr/needs"' in html


def test_the_language_comes_from_the_address_only(app, client):
    html = html_of(client, "/needs")
    client.get("/fr/needs")
    again = client.get("/needs", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert again == html
    assert not re.search(r"set-cookie", str(client.get("/fr/needs").headers), re.I)


def test_the_organisers_quantity_takes_the_unit_form_of_its_count(app):
    with app.app_context():
        assert Need(quantity=1, unit="bag | bags").quantity_text == "1 bag"
        assert Need(quantity=100, unit="bag | bags").quantity_text == "100 bags"
        assert Need(quantity=3, unit="pairs").quantity_text == "3 pairs"


def test_counts_of_what_arrived_agree_with_their_number_in_french(app, client):
    category = builders.category(app)
    for name, received, wanted in (("None", 0, 60), ("One", 1, 1), ("Two", 2, 3)):
        builders.need(app, category, name, quantity=wanted, received=received)
    french = [bar.get("aria-label") for bar in elements(html_of(client, "/fr/needs"), "progress")]
    english = [bar.get("aria-label") for bar in elements(html_of(client, "/needs"), "progress")]
    assert sorted(french) == ["0 reçu sur 60", "1 reçu sur 1", "2 reçus sur 3"]
    assert sorted(english) == ["0 of 60 received", "1 of 1 received", "2 of 3 received"]


def test_the_plain_text_list_reads_as_a_message_in_french(app, client):
    builders.bilingual_site(app)
    text = client.get("/fr/needs.txt").get_data(as_text=True)
    # The organisers' sentences start their own lines, never after a colon.
    assert not re.search(
        r"\s: [A-ZÉÈÀ][a-zé]",
        text.replace(french("Horaires d’ouverture : "), "").replace(
            french("Avant de venir : "), ""
        ),
    )
    assert french("- Tente : 1 sur 1 tente reste à trouver\n") in text


def test_the_first_of_the_month_is_written_1er_in_french(app):
    from app.dates import date_window, day_month, local_datetime, long_date

    first = date(2026, 12, 1)
    app.config["TIMEZONE"] = "Europe/Paris"
    with app.test_request_context("/fr/needs"):
        app.preprocess_request()
        french = [
            long_date(first),
            day_month(first),
            date_window(first, None),
            date_window(None, date(2027, 1, 1)),
            date_window(first, date(2026, 12, 11)),
            date_window(date(2026, 11, 21), first),
            date_window(date(2026, 12, 11), date(2026, 12, 21)),
            local_datetime(datetime(2026, 12, 1, 9, 1, tzinfo=UTC)),
        ]
    with app.test_request_context("/needs"):
        english = [long_date(first), date_window(first, None)]
    assert french == [
        "mar. 1er déc. 2026",
        "1er déc.",
        "à partir du 1er déc.",
        "jusqu’au 1er janv.",
        "1er–11 déc.",
        "21 nov. – 1er déc.",
        "11–21 déc.",
        "mar. 1er déc. 2026 à 10:01",
    ]
    assert english == ["Tue, 1 Dec 2026", "from 1 Dec"]


def test_the_paused_home_page_gives_the_message_its_own_paragraph(app, client):
    builders.set_settings(
        app,
        pause_enabled=True,
        pause_message="Our warehouse is full: thank you for waiting.",
        translations={"pause_message": "Notre entrepôt est plein : merci de patienter."},
    )
    for url, heading, paused, message in (
        (
            "/fr/",
            "Merci de ne rien envoyer pour le moment",
            "Les dons sont suspendus.",
            "Notre entrepôt est plein : merci de patienter.",
        ),
        (
            "/",
            "Please do not send anything now",
            "Donations are paused.",
            "Our warehouse is full: thank you for waiting.",
        ),
    ):
        section = parse(html_of(client, url)).select("section.most-urgent")[0]
        assert section.select("h2")[0].text == heading
        assert [p.text for p in section.select("p")][:2] == [paused, message]


def test_an_english_only_report_back_is_noted_in_the_french_feed(app, client):
    builders.published_post(app, "report", "A week at the warehouse", body="We **sorted**.")
    feed = client.get("/fr/feeds/news.atom").get_data(as_text=True)
    (entry,) = ElementTree.fromstring(feed).findall("{http://www.w3.org/2005/Atom}entry")
    assert entry.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert entry.find("{http://www.w3.org/2005/Atom}title").text == (
        "A week at the warehouse (en anglais)"
    )
    english = client.get("/feeds/news.atom").get_data(as_text=True)
    assert "<title>A week at the warehouse</title>" in english


def test_a_place_with_no_french_is_marked_english_on_the_map(app, client):
    route = builders.route(app)
    calais = builders.place(app, "Calais")
    dover = builders.place(app, "Dover", "United Kingdom", 51.13, 1.31)
    builders.translate(app, Place, calais, name="Calais", country="France")
    builders.stage(app, route, calais, dover)
    html = html_of(client, "/fr/routes")
    (item,) = parse(html).select("ol.map-list ol li")
    assert item.text == "Calais → Dover"
    assert item.select("span[lang=en]")[0].text == "Dover"


def test_the_routes_map_names_places_and_countries_in_french(app, runner, client):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    english, french = parse(html_of(client, "/routes")), parse(html_of(client, "/fr/routes"))

    for layout in ("small", "medium", "large"):
        names = f"svg g.map-{layout} .map-names text"
        in_english = {text.text for text in english.select(names)}
        in_french = {text.text for text in french.select(names)}
        assert {"Tehran", "LIBYA"} <= in_english and {"Téhéran", "LIBYE"} <= in_french, layout
        assert not {"Tehran", "LIBYA"} & in_french, layout
