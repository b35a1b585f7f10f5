"""The needs list beyond the site: the partners' embed (`/embed/needs`, framed by any site),
the "share and embed" page (`/share`), the list as text readable on a phone (`/needs/text`),
and the short message that /needs's share links and copy button carry (`share_message`).
"""

from dataclasses import dataclass
from urllib.parse import quote

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.dates import local_today
from app.extensions import db
from app.languages import current_language, site_languages
from app.models import Category, Need, Urgency
from app.models.needs import NeedsBoard
from app.models.translations import LocalText
from app.public import bp
from app.public.needs import board_context
from app.security import embeddable
from app.site_context import site_context

# The sections a short list names: what to send (what we have plenty of, or cannot use, is
# on the full list).
SHORT_LIST = (Urgency.urgent, Urgency.needed)
MESSAGE_ITEMS = 10  # a shared message names at most this many items, then "and N more"
EMBED_ITEMS = 12  # the embed likewise: with EMBED_NAME_LENGTH it stays under 10 KB
EMBED_NAME_LENGTH = 60
# The snippet's height (the share page): the demo list with its link, at 300 to 400 px wide.
EMBED_HEIGHT = 600


def first_needs(
    board: NeedsBoard, limit: int, category: Category | None = None
) -> tuple[list[tuple[Urgency, list[Need]]], int]:
    """The urgent, then needed, items of the board (of one category), at most `limit` of
    them: the sections that have any, and how many more there are."""
    sections, room, more = [], limit, 0
    for urgency in SHORT_LIST:
        needs = [
            need
            for need in board.needs_of(urgency)
            if category is None or need.category_id == category.id
        ]
        shown = needs[:room]
        room -= len(shown)
        more += len(needs) - len(shown)
        if shown:
            sections.append((urgency, shown))
    return sections, more


def section_heading(urgency: Urgency, paused: bool) -> str:
    return urgency.paused_heading if paused else urgency.heading


def and_more(count: int) -> str:
    """What a short list left out ("and 4 more"): nothing when it left out nothing."""
    return ngettext("and %(num)s more", "and %(num)s more", count) if count > 0 else ""


@dataclass(frozen=True)
class ShareMessage:
    """The list as a short message, in the page's language: its first line (an e-mail's
    subject), the lines naming the items, and the full list's address."""

    subject: str
    body: str  # the subject and the items, without the address
    address: str

    @property
    def text(self) -> str:
        return f"{self.body}\n{_('Full list:')} {self.address}"

    @property
    def links(self) -> list[tuple[str, str]]:
        """(name, address) of the links that open a visitor's own app with the message
        written in. Plain addresses: nothing is asked of those services until a tap."""
        text = quote(self.text, safe="")
        return [
            ("WhatsApp", f"https://wa.me/?text={text}"),
            (
                "Telegram",
                f"https://t.me/share/url?url={quote(self.address, safe='')}"
                f"&text={quote(self.body, safe='')}",
            ),
            (_("E-mail"), f"mailto:?subject={quote(self.subject, safe='')}&body={text}"),
            (_("Text message (SMS)"), f"sms:?body={text}"),
        ]


@bp.app_template_global()
def share_message(board: NeedsBoard) -> ShareMessage:
    """The one text every share link, the copy button and the share page carry."""
    settings, _nav = site_context()
    paused = settings.pause_enabled
    subject = _("%(group)s: what we need now", group=settings.group_name)
    lines = [subject]
    if paused:
        lines.append(_("Donations are paused: please do not send anything now."))
    sections, more = first_needs(board, MESSAGE_ITEMS)
    for urgency, needs in sections:
        names = ", ".join(need.local("name", current_language()) for need in needs)
        lines.append(
            _("%(heading)s: %(items)s", heading=section_heading(urgency, paused), items=names)
        )
    if more:
        lines.append(and_more(more))
    if not sections:
        lines.append(_("Nothing is urgently needed at the moment."))
    address = url_for("public.needs", _external=True)
    return ShareMessage(subject, "\n".join(lines), address)


def shortened(text: LocalText, length: int) -> LocalText:
    if len(text) <= length:
        return text
    return LocalText(text[: length - 1].rstrip() + "…", text.language, text.is_fallback)


def render_embed(status: int = 200, **context):
    settings, _nav = site_context()
    return render_template(
        "public/embed.html",
        full_list=url_for("public.needs", _external=True),
        paused=settings.pause_enabled,
        **context,
    ), status


@bp.get("/embed/needs")
@embeddable
def embed_needs():
    """The short list partners frame on their sites: `?category=<slug>` for one category,
    `?lang=<code>` sends to that language's address."""
    slug = request.args.get("category", "")
    language = request.args.get("lang")
    if language is not None:
        if language not in site_languages():
            return render_embed(404, error=_("The list is not available in that language."))
        chosen = {"category": slug} if slug else {}
        return redirect(url_for("public.embed_needs", _lang=language, **chosen))
    category = None
    if slug:
        category = db.session.scalar(select(Category).where(Category.slug == slug))
        if category is None:
            return render_embed(404, error=_("There is no category with that name."))
    board = Need.public_board(local_today())
    sections, more = first_needs(board, EMBED_ITEMS, category)
    names = {
        need.id: shortened(need.local("name", current_language()), EMBED_NAME_LENGTH)
        for _urgency, needs in sections
        for need in needs
    }
    return render_embed(
        category=category, sections=sections, more=more, names=names, checked=board.checked_at
    )


@bp.get("/share")
def share():
    """How to share the list: the embed's snippet, the feeds and the other formats."""
    categories = db.session.scalars(select(Category).order_by(Category.position, Category.name))
    return render_template(
        "public/share.html",
        categories=list(categories),
        embed_address=url_for("public.embed_needs", _external=True),
        embed_height=EMBED_HEIGHT,
    )


@bp.get("/needs/text")
def needs_text_page():
    """The plain-text list (/needs.txt) as a page a phone shows at a readable size."""
    context = board_context()
    text = render_template("public/needs.txt", **context)
    return render_template("public/share_text.html", text=text, **context)
