"""The site's languages: which one a request is in, each language's addresses, and text
shown in it.

- **Addresses.** The public blueprint is registered once per language (`create_app`):
  the default language (DEFAULT_LANGUAGE) at `/`, every other under `/<code>/`
  (`/fr/needs`), as blueprints named `public` and `public_<code>`. A request's language
  is read from its address alone, never from a cookie or Accept-Language, so every page
  stays cacheable and the mirror stays static. Organisers' pages (`/admin/…`, `/login`),
  never cached, are in the organiser's own language (`User.language`), or before logging in
  the browser's, or the default.
- **Links.** `url_for("public.needs")` names the page, not its language: it is built in
  the language of the page being rendered (`SiteFlask.url_for`), or in the one given with
  `_lang="fr"` (the language switch, hreflang links, the sitemap). So templates and views
  never mention a language.
- **Interface text** is marked for translation (Flask-Babel: `_()`, `{% trans %}`) and
  translated in `app/translations/<code>/LC_MESSAGES/messages.po` (`make translations`).
- **Content** (what organisers write) is translated in each record's `translations`
  (app/models/translations.py); the filters here show it, and mark the original with its
  own `lang` when a text has no translation yet.

A new language is a code in LANGUAGES and a catalogue; no migration.
"""

from functools import lru_cache
from pathlib import Path

from babel import Locale
from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import Babel, get_locale
from flask_login import current_user
from markupsafe import Markup, escape

from app.addresses import site_addresses
from app.models.translations import LocalText, Translated

TRANSLATIONS = Path(__file__).parent / "translations"
SOURCE_LANGUAGE = "en"  # the language templates and code are written in
PUBLIC = "public"  # the public blueprint's name in the default language
CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")

babel = Babel()


def available_languages() -> tuple[str, ...]:
    """The source language and every language with a catalogue."""
    catalogues = sorted(path.parent.parent.name for path in TRANSLATIONS.glob("*/LC_MESSAGES/*.po"))
    return tuple(dict.fromkeys((SOURCE_LANGUAGE, *catalogues)))


def blueprint_name(language: str) -> str:
    """`public` for the default language, `public_fr` for French."""
    return PUBLIC if language == default_language() else f"{PUBLIC}_{language}"


def register_public_blueprint(app: Flask, blueprint) -> None:
    """The public pages once per language: the default at /, the others under /<code>/."""
    default = app.config["DEFAULT_LANGUAGE"]
    for language in app.config["LANGUAGES"]:
        if language == default:
            app.register_blueprint(blueprint)
        else:
            app.register_blueprint(
                blueprint, name=f"{PUBLIC}_{language}", url_prefix=f"/{language}"
            )


def default_language() -> str:
    return current_app.config["DEFAULT_LANGUAGE"]


def site_languages() -> tuple[str, ...]:
    return current_app.config["LANGUAGES"]


def language_of_path(path: str) -> str | None:
    """`fr` for `/fr/needs` (and `/fr`), None for addresses in the default language."""
    first = path.removeprefix("/").partition("/")[0]
    if first != default_language() and first in site_languages():
        return first
    return None


def request_language() -> str:
    """The language of this request: its address's, or, on organisers' pages, the
    organiser's own (set in the admin), or the default."""
    if not has_request_context():
        return default_language()
    if "language" not in g:
        g.language = language_of_path(request.path) or organisers_language() or default_language()
    return g.language


def organisers_language() -> str | None:
    """On an organiser's address: the language they chose in the admin ("" is the site's
    default); before they log in, the one they chose with the page's switch (`?lang=`) or
    the best of their browser's languages. These pages are never cached or mirrored, so
    reading Accept-Language here costs nothing."""
    if not site_addresses(current_app).is_organisers(request.path):
        return None
    if current_user.is_authenticated:
        language = getattr(current_user, "language", "")
        return language if language in site_languages() else None
    chosen = request.args.get("lang")  # the login page's language switch
    if chosen in site_languages():
        return chosen
    return request.accept_languages.best_match(site_languages())


def vary_on_browser_language(response):
    """An organiser's page chosen by Accept-Language says so (no cache may mix them up)."""
    if site_addresses(current_app).is_organisers(request.path):
        response.vary.add("Accept-Language")
    return response


def current_language() -> str:
    return str(get_locale() or default_language())


class SiteFlask(Flask):
    """Flask, whose url_for builds a public page's address in the current language."""

    def url_for(self, endpoint: str, *, _lang: str | None = None, **values):
        blueprint, dot, view = endpoint.rpartition(".")
        if dot and blueprint == PUBLIC:
            language = _lang or (current_language() if has_request_context() else None)
            if language and language in site_languages():
                endpoint = f"{blueprint_name(language)}.{view}"
        return super().url_for(endpoint, **values)


def public_view(endpoint: str | None) -> str | None:
    """`public.needs` for `public_fr.needs`; None for anything not a public page."""
    if not endpoint:
        return None
    blueprint, _, view = endpoint.rpartition(".")
    names = {blueprint_name(language) for language in site_languages()}
    return f"{PUBLIC}.{view}" if blueprint in names else None


# Query arguments that choose a different page of the same address (/news?page=2).
PAGE_ARGUMENTS = ("page",)


def alternates(external: bool = False) -> list[tuple[str, str]]:
    """(language, address) of this page in every language, the current one included:
    the language switch and the hreflang links (absolute with `external`; the switch uses
    paths, which the mirror follows). An error page offers each language's home page, an
    organiser's page not yet logged in (the login page) itself with `?lang=`."""
    view = public_view(request.endpoint) if request.url_rule else None
    if g.get("showing_an_error") or not request.url_rule:  # set by app/errors.py
        view = None
    elif view is None and request.endpoint and not current_user.is_authenticated:
        return [
            (code, url_for(request.endpoint, lang=code, _external=external))
            for code in site_languages()
        ]
    values = dict(request.view_args or {}) if view else {}
    values |= {name: request.args[name] for name in PAGE_ARGUMENTS if view and name in request.args}
    return [
        (language, url_for(view or "public.index", _lang=language, _external=external, **values))
        for language in site_languages()
    ]


def canonical_url() -> str:
    """This page's own address: with its page number (/news?page=2), without anything else."""
    if g.get("showing_an_error") or public_view(request.endpoint) is None:
        return request.base_url
    return dict(alternates(external=True))[current_language()]


@lru_cache
def language_name(code: str) -> str:
    """A language's name in itself: "English", "Français"."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def translated(record: Translated | None, field: str) -> Markup:
    """A record's text in the page's language, as HTML; the original, marked with its
    own language, when it has no translation (screen readers pronounce it right)."""
    if record is None:
        return Markup("")
    return marked(record.local(field, current_language()))


def marked(text: LocalText) -> Markup:
    if text and text.is_fallback:
        return Markup('<span lang="{}">{}</span>').format(text.language, text)
    return escape(text)


def translated_text(record: Translated | None, field: str) -> LocalText:
    """The same, as plain text: for attributes, titles, feeds and the plain-text list."""
    return record.local(field, current_language()) if record is not None else LocalText("")


@lru_cache
def plural_categories(language: str) -> tuple[str, ...]:
    """The CLDR plural categories of a language, in CLDR's order: ["one", "many", "other"]."""
    tags = Locale.parse(language).plural_form.tags | {"other"}
    return tuple(tag for tag in CLDR_ORDER if tag in tags)


def plural(forms: str, count: int, language: str | None = None) -> str:
    """One of a unit's forms for a count: "bag | bags" → "bag" for 1, "bags" for 5.

    Organisers write a unit's forms separated by "|", singular first, in the order of
    the language's plural categories (CLDR: one, few, many, other…); a category without
    a form of its own takes the last one, so "sac | sacs" serves French whole.
    """
    parts = [part.strip() for part in forms.split("|")]
    parts = [part for part in parts if part] or [""]  # "bag |": a form left empty is none
    if len(parts) == 1:
        return parts[0]
    locale = Locale.parse(language or current_language())
    category = locale.plural_form(abs(count))
    categories = plural_categories(str(locale))
    index = categories.index(category) if category in categories else len(parts) - 1
    return parts[min(index, len(parts) - 1)]


def unit_for(record: Translated, count: int, field: str = "unit") -> LocalText:
    """A record's unit in the page's language, in the form for this count."""
    text = translated_text(record, field)
    return LocalText(plural(text, count, text.language), text.language, text.is_fallback)


@lru_cache
def text_direction(language: str) -> str:
    """`rtl` for a language written right to left (Arabic), else `ltr`: for `<html dir>`."""
    return "rtl" if Locale.parse(language).character_order == "right-to-left" else "ltr"


def inject_languages() -> dict:
    language = current_language()
    return {
        "current_language": language,
        "text_direction": text_direction(language),
        "site_languages": site_languages(),
        "language_name": language_name,
        "alternates": alternates,
        "canonical_url": canonical_url,
    }


def init_languages(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=request_language,
        default_locale=app.config["DEFAULT_LANGUAGE"],
        default_translation_directories=str(TRANSLATIONS),
    )
    app.context_processor(inject_languages)
    app.after_request(vary_on_browser_language)
    app.add_template_filter(translated, "tr")
    app.add_template_filter(translated_text, "tr_text")
    app.add_template_filter(marked)
    app.add_template_filter(unit_for, "unit")
    app.add_template_filter(plural)
