"""An organiser on a phone-sized screen changes an item's urgency and sees it on /needs."""

import re

import pytest
from playwright.sync_api import expect

from app.models import Role, Urgency
from tests import builders
from tests.accounts import PASSWORD, create_user

pytestmark = pytest.mark.browser


def log_in(page, base, email, next_path="/admin/"):
    page.goto(f"{base}{next_path}")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    # Wait for the admin page to load completely: its menus need their scripts.
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Log in").click()


def test_organiser_marks_sleeping_bags_urgent_from_a_phone(live_server, live_app, page):
    create_user(live_app, Role.organiser, email="maya@example.org")
    category = builders.category(live_app, "Sleeping and shelter")
    builders.need(live_app, category, "Sleeping bags", Urgency.needed)
    base = live_server.url

    log_in(page, base, "maya@example.org", next_path="/admin/needs/")
    expect(page).to_have_url(f"{base}/admin/needs/")
    button = page.get_by_role("button", name="Urgent: Sleeping bags")
    button.scroll_into_view_if_needed()
    button.tap()

    expect(page.get_by_text("“Sleeping bags” is now marked “Urgent”.")).to_be_visible()
    expect(page.get_by_role("button", name="Urgent: Sleeping bags")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.goto(f"{base}/needs")
    expect(page.locator("#urgent")).to_contain_text("Sleeping bags")
    expect(page.locator("#needed")).not_to_contain_text("Sleeping bags")
    assert page.csp_violations == []


def test_anonymous_visitor_is_sent_from_admin_to_login(live_server, live_app, page):
    page.goto(f"{live_server.url}/admin/")

    expect(page).to_have_url(f"{live_server.url}/login?next=/admin/")
    expect(page.get_by_role("heading", name="Organisers’ log in")).to_be_visible()


def test_wrong_password_shows_one_generic_message(live_server, live_app, page):
    create_user(live_app, Role.organiser, email="maya@example.org")
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email").fill("maya@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("alert")).to_have_text(
        "That email and password do not match an active account."
    )


def test_admin_pages_run_without_csp_violations(live_server, live_app, page):
    create_user(live_app, Role.admin, email="boss@example.org")
    builders.need(live_app, builders.category(live_app), "Socks")

    log_in(page, live_server.url, "boss@example.org")
    for path in (
        "/admin/",
        "/admin/needs/",
        "/admin/needs/new/",
        "/admin/settings/edit/?id=1",
        "/admin/users/",
        "/admin/changes/",
        "/admin/changes/details/?id=1",
        "/admin/routes/",
        "/admin/stages/new/",
        "/admin/images/new/",
        "/admin/posts/new/",
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("body")).to_be_visible()

    assert page.csp_violations == []


def test_organiser_logs_out(live_server, live_app, page):
    create_user(live_app, Role.organiser, email="maya@example.org")
    log_in(page, live_server.url, "maya@example.org")
    page.get_by_role("button", name="Toggle navigation").tap()  # the phone-sized menu
    page.get_by_role("button", name="Log out").tap()

    expect(page.get_by_text("You are logged out.")).to_be_visible()
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_bulk_action_and_filter_work_under_the_csp(live_server, live_app, page):
    create_user(live_app, Role.organiser, email="maya@example.org")
    category = builders.category(live_app, "Warm clothes")
    builders.need(live_app, category, "Socks", Urgency.needed)
    builders.need(live_app, category, "Hats", Urgency.needed)
    base = live_server.url
    log_in(page, base, "maya@example.org", next_path="/admin/needs/")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("input.action-checkbox").first.check()
    page.locator("input.action-checkbox").nth(1).check()
    page.get_by_role("button", name="With selected").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_text("Mark plenty").click()

    expect(page.get_by_text("2 item(s) marked “Plenty”.")).to_be_visible()
    page.get_by_role("button", name="Add Filter").click()
    page.locator("a.filter", has_text="Urgency").first.click()
    expect(page.locator("#filter_form")).to_contain_text("Urgency")
    assert page.csp_violations == []


def test_deleting_an_item_asks_for_confirmation(live_server, live_app, page):
    create_user(live_app, Role.organiser, email="maya@example.org")
    builders.need(live_app, builders.category(live_app), "Socks")
    log_in(page, live_server.url, "maya@example.org", next_path="/admin/needs/")
    page.set_viewport_size({"width": 1280, "height": 900})

    # A page of its own, not a dialog: it says what would go (app/admin/deleting.py).
    page.get_by_role("link", name="Delete Record").click()
    expect(page.get_by_role("heading", name="Delete the need “Socks”?")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()
    expect(page).to_have_url(re.compile(r"/admin/needs/"))
    page.goto(f"{live_server.url}/needs")
    expect(page.locator("main")).to_contain_text("Socks")
    assert page.csp_violations == []
