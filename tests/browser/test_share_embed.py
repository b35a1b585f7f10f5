"""The list on a partner's site (the embed snippet in a page on another origin) and shared
from a phone (the copy button), in a real browser; the share page and the embed pass axe."""

import functools
import html
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from app.models import Urgency
from tests import builders
from tests.browser.chromium import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def board(live_app):
    clothes = builders.category(live_app, "Warm clothes", slug="clothes")
    builders.need(live_app, clothes, "Sleeping bags", Urgency.urgent)
    builders.need(live_app, clothes, "Tents", Urgency.needed)


@pytest.fixture
def partner_site(tmp_path):
    """Another origin: a plain static server on another port, serving tmp_path."""
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_the_snippet_shows_the_list_on_another_site_which_cannot_frame_the_site(
    live_server, board, partner_site, page
):
    folder, partner = partner_site
    page.goto(f"{live_server.url}/share")
    snippet = page.locator("pre.snippet code").inner_text()
    # The snippet names the site's address; the live server's stands in for it.
    snippet = re.sub(r"https?://[^/\"]+/", f"{live_server.url}/", snippet)
    (folder / "partner.html").write_text(
        '<!doctype html><html lang="en"><title>A partner</title><h1>Our friends need</h1>'
        f"{snippet}"
        f'<iframe id="site" title="The site" src="{html.escape(live_server.url)}/needs"></iframe>'
    )
    refused = []
    page.on("console", lambda message: "frame" in message.text and refused.append(message.text))

    page.goto(f"{partner}/partner.html")

    embed = page.frame_locator("iframe[src$='/embed/needs']")
    expect(embed.get_by_role("listitem")).to_have_text(["Sleeping bags", "Tents"])
    full_list = embed.get_by_role("link", name=re.compile("full list"))
    expect(full_list).to_have_attribute("target", "_blank")
    # The site's own page refused to be framed.
    assert any("frame-ancestors" in text or "X-Frame-Options" in text for text in refused)
    expect(
        page.frame_locator("#site").get_by_role("heading", name="What we need now")
    ).to_have_count(0)

    assert axe_violations(page.context.browser, f"{live_server.url}/share") == []
    assert axe_violations(page.context.browser, f"{live_server.url}/embed/needs") == []


def test_the_copy_button_copies_the_list_on_a_phone(live_server, board, context, page):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"{live_server.url}/needs")

    button = page.get_by_role("button", name="Copy the list")
    button.click()

    expect(page.get_by_role("status")).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#share-text").text_content()
    assert "Urgently needed: Sleeping bags" in copied
    assert page.csp_violations == []
    for path in ("/share", "/needs/text"):  # long addresses and lines wrap on a phone
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], path
