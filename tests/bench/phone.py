"""Benchmark: an organiser's task on a phone with a bad signal, in real Chromium.

    make bench            (or: .venv/bin/python -m tests.bench.phone)

Starts the site (demo content, SQLite, gunicorn) on loopback and, for each
network profile, opens a new browser (cold cache) at 390×844 with Chromium's
network emulation (CDP Network.emulateNetworkConditions), then times the whole
task from the login page: log in → the board → mark "Sleeping bags" urgent →
its confirmation visible. It prints the time, the requests and the bytes
transferred, then the bytes of one more tap with the cache warm, and the
weight of a Flask-Admin list view (/admin/needs/) cold. Targets: ≤ 8 s on
2G, ≤ 5 s on slow 3G; ≤ 40 KB cold; ≤ 15 KB per action warm.
"""

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.bench.throughput import create_organiser, demo_database, start
from tests.browser.chromium import CHROMIUM_ARGS, PHONE, chromium_path

PASSWORD = "bench password for one run only"
TARGETS = {"2G": 8.0, "slow 3G": 5.0}
COLD_BYTES, WARM_BYTES = 40 * 1024, 15 * 1024


@dataclass
class Profile:
    name: str
    down_kbit: float
    up_kbit: float
    latency_ms: float

    def conditions(self) -> dict:
        return {
            "offline": False,
            "latency": self.latency_ms,
            "downloadThroughput": self.down_kbit * 1000 / 8,
            "uploadThroughput": self.up_kbit * 1000 / 8,
        }


# 2G as the issue measured it; slow 3G as Chrome DevTools first defined it (500 kbit/s × 0.8).
PROFILES = [Profile("2G", 250, 50, 300), Profile("slow 3G", 400, 400, 400)]


class Meter:
    """Requests and bytes on the wire (headers included), as Chromium counts them."""

    def __init__(self, page, profile: Profile):
        self.page = page
        self.session = page.context.new_cdp_session(page)
        self.session.send("Network.enable")
        self.session.send("Network.emulateNetworkConditions", profile.conditions())
        self.requests, self.bytes, self.in_flight = 0, 0, set()
        self.session.on("Network.requestWillBeSent", self.sent)
        self.session.on("Network.loadingFinished", self.finished)
        self.session.on("Network.loadingFailed", self.failed)

    def sent(self, event) -> None:
        self.in_flight.add(event["requestId"])

    def finished(self, event) -> None:
        self.in_flight.discard(event["requestId"])
        self.requests += 1
        self.bytes += int(event["encodedDataLength"])

    def failed(self, event) -> None:
        self.in_flight.discard(event["requestId"])

    def reset(self) -> tuple[int, int]:
        """What was counted since the last reset, once nothing is on the wire any more."""
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < 0.5:
            self.page.wait_for_timeout(50)  # lets Playwright deliver the events
            if self.in_flight:
                quiet_since = time.monotonic()
        counted = (self.requests, self.bytes)
        self.requests, self.bytes = 0, 0
        return counted


def sleeping_bags(page):
    return page.locator(".card").filter(
        has=page.get_by_role("heading", name="Sleeping bags", exact=True)
    )


def task(browser, base: str, profile: Profile) -> dict:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    meter = Meter(page, profile)
    try:
        started = time.perf_counter()
        page.goto(f"{base}/login")
        page.get_by_label("Email").fill("bench@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        card = sleeping_bags(page)
        card.get_by_role("button", name="Urgent", exact=True).tap()
        card.get_by_text("“Sleeping bags” is now “Urgent”.").wait_for()
        seconds = time.perf_counter() - started
        page.wait_for_load_state("load")
        cold = meter.reset()
        card.get_by_role("button", name="Needed", exact=True).tap()
        card.get_by_text("“Sleeping bags” is now “Needed”.").wait_for()
        page.wait_for_load_state("load")
        warm = meter.reset()
        started = time.perf_counter()
        page.goto(f"{base}/admin/needs/", wait_until="load")
        listing = (time.perf_counter() - started, *meter.reset())
    finally:
        context.close()
    return {"seconds": seconds, "cold": cold, "warm": warm, "listing": listing}


def main() -> None:
    executable = chromium_path()
    if executable is None:
        print("Chromium is not installed: the phone benchmark was not run.")
        return
    # Imported here: without Playwright installed, this says so instead of failing to import.
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="needs-now-phone-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite'}",
        "SECRET_KEY": "benchmark",
        "MEDIA_DIR": str(folder / "media"),
    }
    site = None
    try:
        demo_database(folder, env)
        create_organiser(env, "bench@example.org", PASSWORD)
        site = start("wsgi:app", env)
        print("An organiser's task on a phone (390×844, Chromium, cold cache): log in → board →")
        print("mark “Sleeping bags” urgent → confirmation visible\n")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            try:
                for profile in PROFILES:
                    result = task(browser, site.url, profile)
                    report(profile, result)
            finally:
                browser.close()
    finally:
        if site is not None:
            site.stop()
        shutil.rmtree(folder, ignore_errors=True)


def report(profile: Profile, result: dict) -> None:
    target = TARGETS[profile.name]
    (requests, cold), (warm_requests, warm) = result["cold"], result["warm"]
    seconds, listing_requests, listing_bytes = result["listing"]
    print(
        f"{profile.name} ({profile.down_kbit:g}/{profile.up_kbit:g} kbit/s, "
        f"{profile.latency_ms:g} ms):"
    )
    print(
        f"  whole task     {result['seconds']:5.1f} s  (target ≤ {target:g} s: "
        f"{'met' if result['seconds'] <= target else 'NOT met'})"
    )
    print(
        f"  cold cache     {cold / 1024:5.1f} KB in {requests} requests  (target ≤ "
        f"{COLD_BYTES // 1024} KB: {'met' if cold <= COLD_BYTES else 'NOT met'})"
    )
    print(
        f"  one more tap   {warm / 1024:5.1f} KB in {warm_requests} requests  (target ≤ "
        f"{WARM_BYTES // 1024} KB: {'met' if warm <= WARM_BYTES else 'NOT met'})"
    )
    print(
        f"  Flask-Admin's list of needs, first visit: {listing_bytes / 1024:.0f} KB in "
        f"{listing_requests} requests, {seconds:.1f} s\n"
    )


if __name__ == "__main__":
    main()
