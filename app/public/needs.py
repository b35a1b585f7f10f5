"""Views for the needs board, its plain-text copy, its CSV copy and the home page."""

import csv
import io

from flask import render_template
from flask_babel import gettext as _

from app.dates import local_today, local_zone
from app.languages import current_language, translated_text, unit_for
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


# A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value) -> str | int:
    """A cell as text a spreadsheet shows as it is: a leading ' keeps a formula a text."""
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_row(need: Need) -> list:
    def local_time(moment):
        return moment.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")

    return [
        need.id,
        translated_text(need.category, "name"),
        translated_text(need, "name"),
        need.urgency.label,
        translated_text(need, "details"),
        need.quantity,
        need.still_needed,
        unit_for(need, need.quantity) if need.quantity and need.unit else "",
        need.needed_until.isoformat() if need.needed_until else "",
        translated_text(need.site, "name") if need.site else "",
        local_time(need.checked_at),
        local_time(need.updated_at),
    ]


@bp.get("/needs.csv")
def needs_csv():
    """The items of /needs, in its order, one a row, for spreadsheets: UTF-8 with a byte
    order mark (so that spreadsheets read it as UTF-8), RFC 4180 quoting, the headers
    and texts in the page's language, times in the group's time zone."""
    header = [
        _("ID"),
        _("Category"),
        _("Name"),
        _("Urgency"),
        _("Details"),
        _("Quantity"),
        _("Still needed"),
        _("Unit"),
        Need.LABELS["needed_until"],
        _("Site"),
        _("Checked"),
        _("Updated"),
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180: CRLF, quotes when needed
    writer.writerow([spreadsheet_cell(name) for name in header])
    for need in Need.public_board(local_today()).needs:
        writer.writerow([spreadsheet_cell(value) for value in csv_row(need)])
    filename = f"needs-{current_language()}.csv"
    return (
        "\ufeff" + out.getvalue(),
        200,
        {
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'inline; filename="{filename}"',
        },
    )
