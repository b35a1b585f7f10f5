"""The one Markdown renderer: organisers' Markdown → HTML that is safe in any page.

markdown-it-py renders (raw HTML in the Markdown is escaped, not passed on);
nh3 (the Ammonia sanitiser) then keeps only a small set of tags and
attributes, only http(s)/mailto/relative links, and only images from this
site, so nothing an organiser types can run script, restyle the page or make
a visitor's browser contact another host. Use `render_markdown` (or the
`markdown` template filter) everywhere Markdown is shown.

Given a translation that is missing (a LocalText shown in its original language, see
app/languages.py), the HTML is wrapped in `<div lang="en">`, so the page marks the English.
"""

import nh3
from flask import Flask
from markdown_it import MarkdownIt
from markupsafe import Markup

from app.models.text import clean_text
from app.models.translations import LocalText

ALLOWED_TAGS = {
    *("p", "br", "hr", "em", "strong", "s", "del", "code", "pre", "blockquote"),
    *(f"h{level}" for level in range(2, 7)),  # h1 is the page's own title
    *("ul", "ol", "li"),
    *("table", "thead", "tbody", "tr", "th", "td"),
    *("a", "img"),
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def is_local_path(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//") and "\\" not in url


def _keep_safe_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Images only from this site: an image from elsewhere would tell another
    # host who is reading the page.
    if tag == "img" and attribute == "src" and not is_local_path(value):
        return None
    return value


def _demote_headings(state) -> None:
    """`# Title` becomes <h2>: the page itself owns the <h1>."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"


_parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
_parser.core.ruler.push("demote_headings", _demote_headings)
_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    attribute_filter=_keep_safe_attribute,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def render_markdown(text: str | None) -> Markup:
    if not text:
        return Markup("")
    # clean_text again on the way out: an entity such as "&#12;" becomes a form feed
    # only now, and the feeds carry this HTML inside XML.
    html = Markup(clean_text(_cleaner.clean(_parser.render(text))))  # noqa: S704 (sanitised now)
    if isinstance(text, LocalText) and text.is_fallback:
        return Markup('<div lang="{}">{}</div>').format(text.language, html)
    return html


def register_markdown_filter(app: Flask) -> None:
    app.add_template_filter(render_markdown, "markdown")
