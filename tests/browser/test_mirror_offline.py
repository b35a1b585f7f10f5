"""The mirror opened straight from a USB stick (file://): pages, styles and the map all load."""

import pytest
from playwright.sync_api import expect

from app.mirror import build_mirror

pytestmark = pytest.mark.browser


def test_the_mirror_works_from_files_without_any_server(live_app, context, tmp_path):
    assert live_app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    with live_app.app_context():
        build_mirror(tmp_path / "usb")
    page = context.new_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))

    page.goto((tmp_path / "usb" / "index.html").resolve().as_uri())
    page.get_by_role("link", name="What we need", exact=True).click()
    expect(page.get_by_role("heading", name="What we need now")).to_be_visible()
    page.get_by_role("link", name="The routes").first.click()
    expect(page.locator("svg.route-map path.route-line").first).to_be_attached()
    stylesheet_applied = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )

    assert page.url.endswith("/routes/index.html")
    assert stylesheet_applied == "rgb(34, 34, 34)"
    assert failed == []
