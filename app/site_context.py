"""What every template may use, public, admin and error pages alike: the group's settings
and navigation, the urgency vocabulary, and when the list and the site last changed."""

from flask import Flask, g
from sqlalchemy.exc import SQLAlchemyError

from app import content_version, outages
from app.extensions import db
from app.models import Page, Settings, Urgency


def register_site_context(app: Flask) -> None:
    app.context_processor(inject_site_context)
    app.add_template_global(list_updated_at)
    app.add_template_global(site_changed_at)


def inject_site_context() -> dict:
    settings, nav_pages = site_context()
    return {"settings": settings, "nav_pages": nav_pages, "Urgency": Urgency}


def site_context() -> tuple[Settings, list[Page]]:
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
