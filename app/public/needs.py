"""Views for the needs board, its plain-text copy and the home page."""

from flask import render_template

from app.dates import local_today
from app.models import Need, Site
from app.public import bp


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
