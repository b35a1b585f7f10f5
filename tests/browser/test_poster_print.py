"""The poster printed from Chromium: one A4 page, nothing cut off, whatever the board holds."""

import re

import pytest

from app.models import Urgency
from tests import builders
from tests.browser.chromium import axe_violations

pytestmark = pytest.mark.browser

MM = 96 / 25.4  # CSS pixels in a millimetre
# The poster's paper and the flyer's, in millimetres, with static/css/poster.css's margins.
A4 = ((210, 297), 12)
A5 = ((148, 210), 8)


def printed(browser, url: str, width: int) -> tuple[bytes, dict]:
    """The page printed to PDF at the size its stylesheet asks for, and where its last
    parts lie when laid out for print."""
    context = browser.new_context(viewport={"width": width, "height": 1000})
    try:
        page = context.new_page()
        page.goto(url)
        assert page.locator(".print-hint").is_visible()  # on screen only
        page.emulate_media(media="print")
        assert not page.locator(".print-hint").is_visible()
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        bottoms = page.evaluate(
            """() => Object.fromEntries(
                ['.printed', '.qr-code', '.printed-donate', '.printed-sites'].map(selector => {
                    const box = document.querySelector(selector)?.getBoundingClientRect();
                    return [selector, box && box.height > 0 ? box.bottom + window.scrollY : null];
                }))"""
        )
        # Lines kept to two on paper must hold all they say: the group, where to check, the
        # names not to send with their "and N more", the money link.
        clipped = page.evaluate(
            """() => ['.printed-group', '.printed-check', '.printed-names', '.printed-donate']
                .filter(selector => {
                    const box = document.querySelector(selector);
                    return box && box.scrollHeight > box.clientHeight + 1;
                })"""
        )
    finally:
        context.close()
    return pdf, bottoms, clipped


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def paper_size(pdf: bytes) -> tuple[int, int]:
    """The PDF's page size in whole millimetres."""
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    return tuple(round(float(points) / 72 * 25.4) for points in box.groups())


def assert_one_whole_page(browser, url: str, paper=A4) -> None:
    (width, height), margin = paper
    pdf, bottoms, clipped = printed(browser, url, round((width - 2 * margin) * MM))
    assert page_count(pdf) == 1, url
    assert clipped == [], url
    assert paper_size(pdf) == (width, height), url
    for selector, bottom in bottoms.items():
        assert bottom is not None, f"{selector} is missing or empty on {url}"
        assert bottom <= (height - 2 * margin) * MM, f"{selector} runs off the page on {url}"


def test_the_demo_poster_prints_on_one_a4_page_in_each_language(live_server, live_app, browser):
    assert live_app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0

    for path in ("/needs/poster", "/fr/needs/poster"):
        assert_one_whole_page(browser, f"{live_server.url}{path}")
    assert_one_whole_page(browser, f"{live_server.url}/fr/needs/flyer", paper=A5)
    assert axe_violations(browser, f"{live_server.url}/fr/needs/poster") == []


def filled(text: str, length: int) -> str:
    """The text repeated to the longest a field holds."""
    return (text * (length // len(text) + 1))[:length]


def test_a_long_paused_board_still_prints_on_one_page(live_server, live_app, browser):
    # Every text as long as its column allows; more of everything than a page holds.
    builders.set_settings(
        live_app,
        group_name=filled("A group with a very long name ", 80),
        pause_enabled=True,
        pause_message="We are moving to a new warehouse this week. " * 20,
        donate_url="https://example.org/" + filled("give-money-to-the-group/", 480),
        donate_line=filled("Money buys fresh food for the kitchens. ", 200),
    )
    for number in range(4):
        category = builders.category(live_app, filled(f"Category {number} x", 80))
        for urgency in Urgency:
            for item in range(8):
                builders.need(
                    live_app,
                    category,
                    filled(f"{urgency.value} {item} with a very long name ", 120),
                    urgency,
                    details="Very long description of a thing we need, " * 12,
                    quantity=1000,
                    unit=filled("boxes of something heavy ", 40),
                )
    for number in range(5):
        builders.site(
            live_app,
            filled(f"Site {number} with a long name ", 120),
            address="12 Rue de la Mer\n" * 8,
            opening_hours="Mon–Fri 10–17, except on public holidays\n" * 6,
        )

    # French runs longer: "Nos besoins, dès la reprise des dons".
    for path in ("/needs/poster", "/fr/needs/poster"):
        assert_one_whole_page(browser, f"{live_server.url}{path}")
    assert_one_whole_page(browser, f"{live_server.url}/fr/needs/flyer", paper=A5)
