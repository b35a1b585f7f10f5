"""Views for the needs board, its plain-text copy and the home page."""

from flask import g, render_template

from app.dates import local_today
from app.models import Need, Settings, Site, Urgency
from app.public import bp


@bp.app_context_processor
def inject_site_settings():
    return {
        # An error page set its own, when the database is what failed.
        "settings": g.get("fallback_settings") or Settings.current(),
        "Urgency": Urgency,
    }


@bp.get("/")
def index():
    today = local_today()
    return render_template(
        "public/index.html",
        most_urgent=Need.most_urgent(today),
        sites=Site.public_list(today),
    )


@bp.get("/needs")
def needs():
    today = local_today()
    return render_template(
        "public/needs.html",
        board=Need.public_board(today),
        sites=Site.public_list(today),
    )


@bp.get("/needs.txt")
def needs_text():
    today = local_today()
    body = render_template(
        "public/needs.txt",
        board=Need.public_board(today),
        sites=Site.public_list(today),
    )
    return body, 200, {"Content-Type": "text/plain; charset=utf-8"}
