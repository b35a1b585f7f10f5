"""The phone board in real Chromium at 390 and 320 px: taps come back to the card, every control
is large enough, nothing scrolls sideways, no script is needed, and axe finds nothing serious."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Need, Role, Settings, Urgency
from tests import builders
from tests.accounts import PASSWORD, create_user
from tests.browser.chromium import PHONE

pytestmark = pytest.mark.browser
SMALL_CONTROLS = """() => [...document.querySelectorAll(
        'button, a[href], input:not([type=hidden]), select, textarea, summary')]
    .filter(element => !element.closest('.skip-link') && !element.classList.contains('skip-link'))
    .map(element => [element.outerHTML.slice(0, 90), element.getBoundingClientRect()])
    .filter(([, box]) => box.width > 0 && (box.width < 44 || box.height < 44))
    .map(([html, box]) => `${html} ${Math.round(box.width)}x${Math.round(box.height)}`)"""


@pytest.fixture
def board_content(live_app):
    """An organiser, a board with items of every kind: stale, counted, hidden; paused."""
    create_user(live_app, Role.organiser, email="maya@example.org", display_name="Maya")
    shelter, clothes = (
        builders.category(live_app, "Shelter"),
        builders.category(live_app, "Clothes"),
    )
    ids = {
        "bags": builders.need(
            live_app,
            shelter,
            "Sleeping bags",
            Urgency.needed,
            quantity=100,
            unit="bags",
            details="Adult size, clean and dry",
        ),
        "tents": builders.need(live_app, shelter, "Tents", Urgency.urgent),
        "socks": builders.need(live_app, clothes, "Socks", Urgency.needed),
        "heels": builders.need(live_app, clothes, "Heels", Urgency.do_not_send, is_visible=False),
    }
    with live_app.app_context():
        db.session.get(Need, ids["socks"]).checked_at = datetime.now(UTC) - timedelta(days=20)
        db.session.commit()
    return ids


def log_in(page, base: str, email: str = "maya@example.org") -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        """selector => { const box = document.querySelector(selector).getBoundingClientRect();
                         return box.top < window.innerHeight && box.bottom > 0; }""",
        selector,
    )


def test_an_organiser_keeps_the_list_true_from_the_board(live_server, board_content, page):
    base, ids = live_server.url, board_content
    log_in(page, base)
    expect(page).to_have_url(f"{base}/admin/board/")

    bags = page.locator(f"#need-{ids['bags']}")
    bags.get_by_role("button", name="Urgent", exact=True).tap()
    expect(bags.get_by_text("“Sleeping bags” is now “Urgent”.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"#need-{ids['bags']}$"))
    assert in_viewport(page, f"#need-{ids['bags']}")
    expect(bags.get_by_role("button", name="Urgent", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )

    bags.get_by_label("Received so far").fill("20")
    bags.get_by_label("Received so far").press("Enter")  # the phone keyboard's "Go"
    expect(bags.get_by_text("80 of 100 bags still needed")).to_be_visible()
    bags.get_by_role("button", name="Add 10").tap()
    expect(bags.get_by_text("70 of 100 bags still needed")).to_be_visible()

    socks = page.locator(f"#need-{ids['socks']}")
    expect(page.locator("#look")).to_contain_text("Socks")
    socks.get_by_role("button", name="Still right").tap()
    expect(page.locator(f"#need-{ids['socks']}")).to_contain_text("checked, still right")
    expect(page.locator("#look")).to_have_count(0)

    page.get_by_label("Message for donors — English").fill("Warehouse full until Monday")
    page.get_by_role("button", name="Pause donations").tap()
    expect(page.locator("#pause")).to_contain_text("Donations are paused")
    page.goto(f"{base}/")
    expect(page.get_by_text("Please do not send anything now")).to_be_visible()
    page.goto(f"{base}/admin/board/")
    page.get_by_role("button", name="Open donations again").tap()
    expect(page.get_by_text("Donations are open again")).to_be_visible()

    page.goto(f"{base}/needs")
    expect(page.locator("#urgent")).to_contain_text("Sleeping bags")
    expect(page.locator("#urgent")).to_contain_text("70 of 100 bags still needed")
    assert page.csp_violations == []


def test_the_board_works_with_javascript_off(live_server, board_content, browser):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server.url)
        tents = page.locator(f"#need-{board_content['tents']}")
        tents.get_by_role("button", name="Plenty", exact=True).click()
        expect(page.locator(f"#need-{board_content['tents']}")).to_contain_text(
            "“Tents” is now “Plenty”."
        )
        page.goto(f"{live_server.url}/admin/board/new")
        page.get_by_label("What is needed — English").fill("Power banks")
        page.get_by_role("radio", name="Urgent").check()
        page.get_by_label("Category").select_option(label="Shelter")
        page.get_by_role("button", name="Add to the list").click()
        expect(page.get_by_text("“Power banks” is on the list as “Urgent”.")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 390])
def test_every_control_is_large_enough_and_nothing_scrolls_sideways(
    live_server, board_content, live_app, browser, width
):
    with live_app.app_context():
        db.session.get(Need, board_content["bags"]).received = 100  # offers "move to plenty"
        db.session.get(Settings, 1).pause_enabled = True
        db.session.get(Settings, 1).pause_message = "Full"
        db.session.commit()
    context = browser.new_context(
        viewport={"width": width, "height": 800}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        log_in(page, live_server.url)
        for path in ("/admin/board/", "/admin/board/new"):
            page.goto(f"{live_server.url}{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
            assert page.evaluate(SMALL_CONTROLS) == [], path
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/login", "/admin/board/", "/admin/board/new", "/admin/"])
def test_organisers_pages_pass_axe_accessibility_checks(live_server, board_content, page, path):
    # Imported here: without Playwright installed, this says so instead of failing to import.
    from axe_playwright_python.sync_playwright import Axe

    if path != "/login":
        log_in(page, live_server.url)
    page.goto(f"{live_server.url}{path}")

    results = Axe().run(page)

    serious = [
        (violation["id"], violation["impact"], violation["nodes"][0]["target"])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert page.evaluate("document.documentElement.lang") == "en"
