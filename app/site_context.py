"""What every template may use, public, admin and error pages alike: the group's settings
and navigation, the urgency vocabulary, when the list and the site last changed, and the
names of languages."""

from babel import Locale
from babel.core import get_global
from flask import Flask, g
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from app import content_version, outages
from app.dates import DATE_LOCALES
from app.extensions import db
from app.models import Page, Settings, Urgency
from app.models.content import NavigationLink


def register_site_context(app: Flask) -> None:
    app.context_processor(inject_site_context)
    app.add_template_global(list_updated_at)
    app.add_template_global(site_changed_at)
    app.add_template_global(og_locale)
    app.add_template_global(in_language)


def inject_site_context() -> dict:
    settings, nav_pages = site_context()
    return {"settings": settings, "nav_pages": nav_pages, "Urgency": Urgency}


def site_context() -> tuple[Settings, list[NavigationLink]]:
    """The group's settings and navigation for a page; defaults when the database cannot say.

    Every page, error pages included, shows the group's name: an error page
    must still render when the database is what failed.
    """
    if "site_context" not in g:
        try:
            g.site_context = (Settings.current(), Page.in_navigation())
        except SQLAlchemyError as error:
            db.session.rollback()
            outages.DATABASE.failed(getattr(error, "orig", error))  # the page shows defaults
            g.site_context = (Settings.defaults(), [])
    return g.site_context


def list_updated_at():
    """The needs list's "last updated" (app/content_version.py), read once per page."""
    if "list_updated_at" not in g:
        g.list_updated_at = content_version.list_updated_at()
    return g.list_updated_at


def site_changed_at():
    """When anything public last changed: a feed's <updated> when nothing newer says."""
    return content_version.last_changed_at() or content_version.EPOCH


def og_locale(language: str) -> str:
    """A language as Open Graph names it, with a country: "en_GB", "fr_FR"."""
    tag = DATE_LOCALES.get(language) or get_global("likely_subtags").get(language, language)
    parts = Locale.parse(tag)
    return f"{parts.language}_{parts.territory}" if parts.territory else parts.language


def in_language(language: str) -> str:
    """The note beside a text shown in another language: "(in French)", "(en anglais)"."""
    name = Locale.parse(language).get_display_name(str(get_locale() or language))
    return _("(in %(language)s)", language=name)
