"""The poster printed from Chromium: one A4 page, nothing cut off, whatever the board holds."""

import re

import pytest

from app.models import Urgency
from tests import builders
from tests.browser.chromium import axe_violations

pytestmark = pytest.mark.browser

# A4 less the stylesheet's 12 mm margins, in CSS pixels (96 per inch).
PRINTABLE_WIDTH = round((210 - 24) / 25.4 * 96)
PRINTABLE_HEIGHT = (297 - 24) / 25.4 * 96


def printed(browser, url: str) -> tuple[bytes, dict]:
    """The page printed to PDF, and where its last parts lie when laid out for print."""
    context = browser.new_context(viewport={"width": PRINTABLE_WIDTH, "height": 1000})
    try:
        page = context.new_page()
        page.goto(url)
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", print_background=True)
        bottoms = page.evaluate(
            """() => Object.fromEntries(
                ['.printed', '.qr-code', '.printed-donate', '.printed-sites'].map(selector => {
                    const box = document.querySelector(selector)?.getBoundingClientRect();
                    return [selector, box && box.height > 0 ? box.bottom + window.scrollY : null];
                }))"""
        )
    finally:
        context.close()
    return pdf, bottoms


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def assert_one_whole_page(browser, url: str) -> None:
    pdf, bottoms = printed(browser, url)
    assert page_count(pdf) == 1, url
    for selector, bottom in bottoms.items():
        assert bottom is not None, f"{selector} is missing or empty on {url}"
        assert bottom <= PRINTABLE_HEIGHT, f"{selector} runs off the page on {url}"


def test_the_demo_poster_prints_on_one_a4_page_in_each_language(live_server, live_app, browser):
    assert live_app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0

    for path in ("/needs/poster", "/fr/needs/poster"):
        assert_one_whole_page(browser, f"{live_server.url}{path}")
    assert axe_violations(browser, f"{live_server.url}/fr/needs/poster") == []


def test_a_long_paused_board_still_prints_on_one_page(live_server, live_app, browser):
    long = "Very long description of a thing we need, " * 12
    builders.set_settings(
        live_app,
        group_name=("A group with a very long name " * 3)[:80],
        pause_enabled=True,
        pause_message="We are moving to a new warehouse this week. " * 20,
        donate_url="https://example.org/" + "give-money-to-the-group/" * 15,
        donate_line="Money buys fresh food for the kitchens. " * 5,
    )
    for number in range(4):
        category = builders.category(live_app, f"Category {number} " + "x" * 60)
        for urgency in Urgency:
            for item in range(8):
                builders.need(
                    live_app,
                    category,
                    f"{urgency.value} {item} " + "with a very long name " * 5,
                    urgency,
                    details=long,
                    quantity=1000,
                    unit="boxes of something heavy",
                )
    for number in range(5):
        builders.site(
            live_app,
            f"Site {number} " + "with a long name " * 6,
            address="12 Rue de la Mer\n" * 8,
            opening_hours="Mon–Fri 10–17, except on public holidays\n" * 6,
        )

    # French runs longer: "Nos besoins, dès que les dons reprendront".
    for path in ("/needs/poster", "/fr/needs/poster"):
        assert_one_whole_page(browser, f"{live_server.url}{path}")
