"""Debian's Chromium for the browser tests and the phone benchmark, the phone it plays, and
axe-core's accessibility checks of a page."""

import os
import shutil
from pathlib import Path

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def axe_violations(browser, url: str) -> list[tuple]:
    """What axe-core finds wrong with the page at `url`, opened in a context of its own: each
    rule broken, its help text and the elements that break it."""
    # Imported here: without Playwright installed, this says so instead of failing to import.
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        results = Axe().run(page)
    finally:
        context.close()
    return [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]])
        for v in results.response["violations"]
    ]
