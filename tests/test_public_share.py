"""Sharing the list: /needs's share links and copy button, the list as text for phones
(/needs/text), and the share and embed page (/share)."""

import html as html_module
import re
from urllib.parse import parse_qs, urlsplit

from app.models import Category, Urgency
from tests import builders
from tests.pages import element, elements


def board(app, urgent=3, needed=10):
    clothes = builders.category(app, "Warm clothes", slug="clothes")
    builders.translate(app, Category, clothes, name="Vêtements chauds")
    for number in range(urgent):
        builders.need(app, clothes, f"Urgent thing {number}", Urgency.urgent)
    for number in range(needed):
        builders.need(app, clothes, f"Needed thing {number}", Urgency.needed)
    builders.need(app, clothes, "Blankets", Urgency.plenty)
    builders.set_settings(app, group_name="Calais Aid")


def share_links(html: str) -> dict[str, str]:
    return {link.text: link.get("href") for link in elements(html, ".share-links a")}


def query(address: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(address).query).items()}


def test_share_links_open_the_visitors_apps_with_the_same_short_list(app, client):
    board(app)

    html = client.get("/needs").get_data(as_text=True)

    links = share_links(html)
    assert list(links) == ["WhatsApp", "Telegram", "E-mail", "Text message (SMS)"]
    shared = html_module.unescape(
        re.search(r'<pre id="share-text"[^>]*>(.*?)</pre>', html, re.S)[1]
    )
    assert shared == (
        "Calais Aid: what we need now\n"
        "Urgently needed: Urgent thing 0, Urgent thing 1, Urgent thing 2\n"
        "Also needed: " + ", ".join(f"Needed thing {n}" for n in range(7)) + "\n"
        "and 3 more\n"
        "Full list: http://localhost/needs"
    )
    whatsapp, telegram, email, sms = links.values()
    assert whatsapp.startswith("https://wa.me/?") and query(whatsapp)["text"] == shared
    assert telegram.startswith("https://t.me/share/url?")
    assert query(telegram)["url"] == "http://localhost/needs"
    assert shared.startswith(query(telegram)["text"])
    assert email.startswith("mailto:?")
    assert query(email) == {"subject": "Calais Aid: what we need now", "body": shared}
    assert sms.startswith("sms:?") and query(sms)["body"] == shared
    # Encoded: nothing in an address reads as another parameter or leaves the attribute.
    assert " " not in whatsapp and "\n" not in sms
    # The copy button needs the script: hidden without it, with a status for what it did.
    button = element(html, "button.copy-button")
    assert button.get("hidden") is not None and button.get("data-copy") == "share-text"
    assert element(html, ".copy-status").get("role") == "status"
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert [body for _, body in scripts] == [""]  # our own file, no inline code
    assert re.search(r'src="/static/js/share\.\w+\.js"', scripts[0][0])
    assert "script-src 'self'" in client.get("/needs").headers["Content-Security-Policy"]
    assert element(html, ".site-footer a[href='/share']")
    # Printed, /needs says where the current list is, and leads to the poster on screen.
    assert element(html, ".print-only").text == "Check the current list at http://localhost/needs"
    assert element(html, "#share a[href='/needs/poster']")


def test_share_text_is_in_the_pages_language(app, client):
    board(app, urgent=1, needed=0)
    builders.set_settings(app, pause_enabled=True)

    html = client.get("/fr/needs").get_data(as_text=True)

    text = query(share_links(html)["WhatsApp"])["text"]
    assert text == (
        "Calais Aid\u00a0: nos besoins du moment\n"
        "Les dons sont suspendus\u00a0: merci de ne rien envoyer pour le moment.\n"
        "Urgent dès la reprise des dons\u00a0: Urgent thing 0\n"
        "Liste complète\u00a0: http://localhost/fr/needs"
    )
    assert "E-mail" in share_links(html) and "SMS" in share_links(html)


def test_the_list_as_text_reads_on_a_phone_and_says_what_needs_txt_says(app, client):
    board(app)

    page = client.get("/needs/text")
    plain = client.get("/needs.txt")
    french = client.get("/fr/needs/text").get_data(as_text=True)

    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert element(html, 'meta[name="viewport"]').get("content").startswith("width=device-width")
    listed = element(html, "pre.text-list")
    assert html_module.unescape(
        re.search(r'<pre id="list-text" class="text-list">(.*?)</pre>', html, re.S)[1]
    ) == plain.get_data(as_text=True)
    assert listed.get("id") == "list-text"
    assert element(html, "button.copy-button").get("data-copy") == "list-text"
    assert plain.mimetype == "text/plain"  # kept for machines
    assert "Vêtements chauds" in french and element(french, "html").get("lang") == "fr"
    needs = client.get("/needs").get_data(as_text=True)
    assert element(needs, "#share a[href='/needs/text']")


def test_share_page_gives_the_embed_snippet_options_preview_and_feeds(app, client):
    board(app)

    response = client.get("/share")
    french = client.get("/fr/share").get_data(as_text=True)

    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    snippet = html_module.unescape(element(html, "pre.snippet code").text)
    frame = re.fullmatch(r"<iframe ([^>]*)></iframe>", snippet)
    attributes = dict(re.findall(r'(\w+)="([^"]*)"', frame[1]))
    assert attributes["src"] == "http://localhost/embed/needs"
    assert attributes["title"] == "Calais Aid: what we need now"
    assert attributes["width"] and attributes["height"]
    assert "?category=clothes" in html and "?lang=" in html
    assert "http://localhost/fr/embed/needs" in html
    assert element(html, "iframe.embed-preview").get("src") == "/embed/needs"
    assert element(html, "#formats a[href='/feeds/needs.atom']")
    assert element(html, "#formats a[href='/feeds/news.atom']")
    assert element(french, "html").get("lang") == "fr"
    snippet_fr = html_module.unescape(element(french, "pre.snippet code").text)
    assert 'src="http://localhost/fr/embed/needs"' in snippet_fr
    assert "?category=clothes" in french and "Vêtements chauds" in french
