"""Views for the needs board, its plain-text copy and the home page."""

from flask import g, render_template
from sqlalchemy.exc import SQLAlchemyError

from app import outages
from app.dates import local_today
from app.extensions import db
from app.models import Need, Page, Settings, Site, Urgency
from app.public import bp


@bp.app_context_processor
def inject_site_context():
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


@bp.get("/")
def index():
    today = local_today()
    return render_template(
        "public/index.html",
        most_urgent=Need.most_urgent(today),
        list_checked_at=Need.list_checked_at(today),
        sites=Site.public_list(today),
    )


def board_context() -> dict:
    """The needs board and the drop-off sites, as of the group's today."""
    today = local_today()
    return {"board": Need.public_board(today), "sites": Site.public_list(today)}


@bp.get("/needs")
def needs():
    return render_template("public/needs.html", **board_context())


@bp.get("/needs.txt")
def needs_text():
    body = render_template("public/needs.txt", **board_context())
    return body, 200, {"Content-Type": "text/plain; charset=utf-8"}
