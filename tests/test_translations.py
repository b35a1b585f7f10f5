"""The interface catalogues: complete, compiled, up to date with the code, and no English
left on French pages."""

import html as html_module
import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app.extensions import db
from app.models import Settings
from tests import builders

ROOT = Path(__file__).parent.parent
TRANSLATIONS = ROOT / "app" / "translations"
LANGUAGES = sorted(path.parent.parent.name for path in TRANSLATIONS.glob("*/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
TAG = re.compile(r"<[^>]+>")
ATTRIBUTE = re.compile(r'\s(?:aria-label|alt|title|content)="([^"]*)"')


def catalogue(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po)


def forms(message) -> tuple:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def ids(message) -> tuple:
    return message.id if isinstance(message.id, tuple) else (message.id,)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_translates_every_message_and_none_is_fuzzy(language):
    messages = [message for message in catalogue(language) if message.id]
    assert messages
    untranslated = [message.id for message in messages if not all(forms(message))]
    fuzzy = [message.id for message in messages if message.fuzzy]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    for message in catalogue(language):
        if not message.id:
            continue
        wanted = set(PLACEHOLDER.findall(ids(message)[-1])) - {"%(num)d", "%(num)s"}
        for form in forms(message):
            assert wanted <= set(PLACEHOLDER.findall(form)), message.id


# French typography: no line may start with ":", ";", "!", "?" or "»" on a narrow screen.
BREAKABLE_FRENCH_SPACE = re.compile(r" [:;!?»]|« ")


def test_french_translations_keep_their_punctuation_with_no_break_spaces():
    wrong = [
        form
        for message in catalogue("fr")
        if message.id
        for form in forms(message)
        if BREAKABLE_FRENCH_SPACE.search(form)
    ]
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_is_the_po_compiled(language):
    folder = TRANSLATIONS / language / "LC_MESSAGES"
    compiled = BytesIO()
    write_mo(compiled, catalogue(language))
    assert (folder / "messages.mo").read_bytes() == compiled.getvalue(), "run make translations"


def test_the_template_is_up_to_date_with_the_code(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run(
        [
            *("pybabel", "extract", "-F", str(TRANSLATIONS / "babel.cfg")),
            *("-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2"),
            *("--no-wrap", "--omit-header", "-o", str(fresh), "."),
        ]
    )
    with open(fresh, "rb") as extracted, open(TRANSLATIONS / "messages.pot", "rb") as committed:
        wanted = {message.id for message in read_po(extracted) if message.id}
        have = {message.id for message in read_po(committed) if message.id}
    assert wanted - have == set(), "run make translations"
    assert have - wanted == set(), "run make translations"
    for language in LANGUAGES:
        translated = {message.id for message in catalogue(language) if message.id}
        assert wanted - translated == set(), f"{language}: run make translations"


def english_phrases(language: str) -> list[str]:
    """The interface's English, in pieces of two words or more, wherever its translation
    differs: what must never show on a page in `language`."""
    phrases = set()
    for message in catalogue(language):
        if not message.id or ids(message) == forms(message):
            continue
        for english in ids(message):
            for piece in PLACEHOLDER.split(TAG.sub("", english)):
                piece = piece.strip(" .,:;()“”")
                if len(piece.split()) >= 2 and piece not in "".join(forms(message)):
                    phrases.add(piece)
    return sorted(phrases)


def visible_text(body: str) -> str:
    """What a reader sees or hears: the text, and the attributes read aloud or shown."""
    attributes = " ".join(ATTRIBUTE.findall(body))
    text = TAG.sub(" ", html_module.unescape(TAG.sub(" ", body)))
    return " ".join(f"{html_module.unescape(text)} {html_module.unescape(attributes)}".split())


FRENCH_PAGES = (
    "/fr/",
    "/fr/needs",
    "/fr/needs.txt",
    "/fr/routes",
    "/fr/routes/english-channel-to-the-uk",
    "/fr/news",
    "/fr/news/report",
    "/fr/about",
    "/fr/feeds/news.atom",
    "/fr/feeds/needs.atom",
)


@pytest.mark.parametrize("paused", [False, True], ids=["open", "paused"])
def test_french_pages_hold_no_english_interface_text(app, client, paused):
    builders.bilingual_site(app)
    with app.app_context():
        settings = db.session.get(Settings, 1)
        settings.pause_enabled = paused
        settings.pause_message = "The warehouse is full until Monday."
        settings.set_translation("fr", "pause_message", "L’entrepôt est plein jusqu’à lundi.")
        db.session.commit()
    phrases = english_phrases("fr")
    assert "What we need now" in phrases
    # The login page is in the browser's language (public pages ignore it).
    for url in (*FRENCH_PAGES, "/fr/no-such-page", "/login"):
        response = client.get(url, headers={"Accept-Language": "fr"})
        assert response.status_code == (404 if url == "/fr/no-such-page" else 200), url
        text = visible_text(response.get_data(as_text=True))
        found = [phrase for phrase in phrases if phrase in text]
        assert found == [], url
