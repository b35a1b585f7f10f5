"""The list on paper and in pictures: the printable poster and flyer, and the share
preview image (og:image).

The poster must fit one A4 page whatever the board holds: every item, site and line
of text takes one printed line at most (static/css/poster.css cuts the rest with
"…"), and this module decides how many of each are shown, so the page never
runs over; what is left out is counted ("and 4 more"). The QR code of the list's
address is drawn here as inline SVG (segno), so printing needs no other site.
"""

from dataclasses import dataclass

import segno
from flask import render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from app.dates import local_today, long_date
from app.languages import current_language
from app.models import Need, Settings, Site, Urgency
from app.models.needs import NeedsBoard
from app.models.translations import LocalText
from app.public import bp
from app.public.sharing import and_more, shortened
from app.share_image import MAX_ITEMS, ShareCard, draw


@dataclass(frozen=True)
class Layout:
    """How much one printed page holds. Each item, site field or list line is one line."""

    name: str  # the template's class for it: printed-poster, printed-flyer
    item_lines: int  # the urgent and needed items, a section's heading counting as one
    paused_item_lines: int  # fewer while the notice that donations are paused is shown
    do_not_send: int  # names in the "please do not send" line, at most
    sites: int
    line_length: int  # characters a printed line holds, about (ordinary text)
    title_length: int  # characters of the group's name a line beside the QR code holds


POSTER = Layout(
    "poster",
    item_lines=20,
    paused_item_lines=15,
    do_not_send=8,
    sites=2,
    line_length=85,
    title_length=40,
)
FLYER = Layout(
    "flyer",
    item_lines=8,
    paused_item_lines=6,
    do_not_send=4,
    sites=1,
    line_length=70,
    title_length=32,
)


def lines_for(text: str, line_length: int) -> int:
    return max(1, -(-len(text) // line_length))  # rounded up


def unwanted_names(names: list[LocalText], layout: Layout) -> tuple[list[LocalText], int]:
    """The "please do not send" names that fit its two printed lines (with room for "and N
    more"), at most `layout.do_not_send`; and how many are left out. A first name too long
    for the lines is shortened with "…", so the count after it is always printed."""
    room = 2 * layout.line_length - 20
    shown: list[LocalText] = []
    for name in names[: layout.do_not_send]:
        used = sum(len(shown_name) + 2 for shown_name in shown)
        if used + len(name) > room:
            if not shown:
                shown.append(shortened(name, room))
            break
        shown.append(name)
    return shown, len(names) - len(shown)


def shortlist(board: NeedsBoard, lines: int) -> tuple[list[tuple[Urgency, list[Need]]], int]:
    """The urgent, then the needed items that fit in `lines` lines (a section's heading
    takes one), in the board's order; and how many did not fit."""
    sections, left_out = [], 0
    for urgency in (Urgency.urgent, Urgency.needed):
        needs = board.needs_of(urgency)
        shown = needs[: max(lines - 1, 0)]
        if shown:
            sections.append((urgency, shown))
            lines -= len(shown) + 1
        left_out += len(needs) - len(shown)
    return sections, left_out


def list_address() -> str:
    """The needs list's absolute address, in the page's language (the QR code's)."""
    return url_for("public.needs", _external=True)


def readable(address: str) -> str:
    """An address as people type it: without "https://"."""
    return address.split("://", 1)[-1]


def qr_code(address: str) -> Markup:
    """The address as a QR code: inline SVG sized by the stylesheet, black on white."""
    code = segno.make(address, error="m")
    svg = code.svg_inline(
        omitsize=True,
        svgclass="qr-code",
        lineclass=None,
        light="#fff",
        title=_("QR code of %(address)s", address=readable(address)),
    )
    # segno writes only its own markup and escapes the title.
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704


def one_line(text: LocalText) -> LocalText:
    """A multi-line text (an address, opening hours) written on one line, in its language."""
    joined = ", ".join(line.strip() for line in text.splitlines() if line.strip())
    return LocalText(joined, text.language, text.is_fallback)


def printed_page(template: str, layout: Layout):
    today = local_today()
    settings = Settings.current()
    board = Need.public_board(today)
    lines = layout.paused_item_lines if settings.pause_enabled else layout.item_lines
    # The group's name and the money link are printed whole (the link must be typed from
    # the paper): the lines they take beyond one come out of the items' share.
    lines -= lines_for(settings.donate_url, layout.line_length) - 1
    lines -= lines_for(settings.group_name, layout.title_length) - 1
    sections, left_out = shortlist(board, lines)
    language = current_language()
    unwanted, unwanted_left_out = unwanted_names(
        [need.local("name", language) for need in board.needs_of(Urgency.do_not_send)], layout
    )
    sites = Site.public_list(today)
    address = list_address()
    return render_template(
        template,
        layout=layout,
        sections=sections,
        left_out=left_out,
        unwanted=unwanted,
        unwanted_more=and_more(unwanted_left_out),
        sites=sites[: layout.sites],
        sites_left_out=max(len(sites) - layout.sites, 0),
        one_line=one_line,
        printed_on=long_date(today),
        list_address=readable(address),
        qr_code=qr_code(address),
    )


@bp.get("/needs/poster")
def poster():
    return printed_page("public/poster.html", POSTER)


@bp.get("/needs/flyer")
def flyer():
    return printed_page("public/poster.html", FLYER)


@bp.get("/needs/share.png")
def share_image():
    """The share preview image: the most urgent items first (the urgent, then the needed),
    drawn once per content version (the page cache keeps it)."""
    today = local_today()
    settings = Settings.current()
    needs = Need.public_board(today).needs_of(Urgency.urgent, Urgency.needed)
    shown = needs[:MAX_ITEMS]
    language = current_language()
    card = ShareCard(
        group_name=settings.group_name,
        heading=(
            _("What we need, once donations open again")
            if settings.pause_enabled
            else _("What we need now")
        ),
        items=[need.local("name", language) for need in shown]
        or [_("The list is empty at the moment. Please check again soon.")],
        more=and_more(len(needs) - len(shown)),
        address=_("The full list: %(address)s", address=readable(list_address())),
        note=_("Donations are paused: please do not send anything now.")
        if settings.pause_enabled
        else "",
    )
    return draw(card), 200, {"Content-Type": "image/png"}
