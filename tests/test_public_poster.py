"""The printable poster and flyer: what they say, in each language, and how they shorten."""

import re

import segno

from app.models import Urgency
from app.public.poster import FLYER, POSTER
from tests import builders
from tests.pages import elements


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def qr_paths(svg: str) -> list[str]:
    return re.findall(r'\bd="([^"]+)"', svg)


def test_the_french_poster_has_the_list_its_address_as_a_qr_code_and_where_to_bring_it(app, client):
    builders.bilingual_site(app)
    clothes = builders.category(app, "Clothes")
    builders.need(app, clothes, "Wedding dresses", Urgency.do_not_send)
    builders.need(app, clothes, "Blankets", Urgency.plenty)

    html = page(client, "/fr/needs/poster")

    text = " ".join(element.text for element in elements(html, "article.printed"))
    assert text.index("Sacs de couchage") < text.index("Tente")  # urgent, then needed
    assert "Blankets" not in text  # what we have plenty of is left off
    assert "Wedding dresses" in text and "Merci de ne pas envoyer" in text
    assert "Liste du" in text and "Consultez la liste à jour sur localhost/fr/needs" in text
    assert "Entrepôt de Calais" in text and "Adresse\u00a0: 1 rue de la Mer" in html
    assert "Lun–ven 10–16" in text and "https://example.org/give" in text
    # The QR code says the French list's address: segno draws the same code for it.
    drawn = re.search(r'<svg [^>]*class="qr-code".*?</svg>', html, re.S).group(0)
    expected = segno.make("http://localhost/fr/needs", error="m").svg_inline(light="#fff")
    assert qr_paths(drawn) == qr_paths(expected)
    assert "style=" not in html  # the CSP allows no inline style
    assert elements(html, "p.print-hint")


def test_a_long_list_is_shortened_and_says_how_many_more_and_that_donations_are_paused(app, client):
    clothes = builders.category(app, "Clothes")
    for number in range(30):
        builders.need(app, clothes, f"Urgent thing {number:02}", Urgency.urgent)
    for number in range(12):
        builders.need(app, clothes, f"Unwanted thing {number:02}", Urgency.do_not_send)
    for number in range(4):
        builders.site(app, f"Site {number}")

    poster = page(client, "/needs/poster")
    flyer = page(client, "/needs/flyer")

    shown = POSTER.item_lines - 1  # the section's heading takes a line
    assert len(elements(poster, ".printed-items li")) == shown
    assert f"and {30 - shown} more: see the full list at localhost/needs" in poster
    assert "Unwanted thing 07, and 4 more" in poster and "Unwanted thing 08" not in poster
    assert len(elements(poster, ".printed-site")) == 2
    assert "2 more drop-off points: see the full list" in poster
    assert len(elements(flyer, ".printed-items li")) == FLYER.item_lines - 1

    builders.set_settings(app, pause_enabled=True)
    paused = page(client, "/needs/poster")

    assert "Donations are paused: please do not send anything now." in paused
    assert "Urgent once donations open again" in paused
    assert len(elements(paused, ".printed-items li")) == POSTER.paused_item_lines - 1
