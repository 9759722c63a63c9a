"""The live page on the whole stack: a record produced to Kafka shows up in a real browser.

tansu broker + `livewatch worker` (chdb) + Debian's chromium driven by playwright; waits are
playwright's expectations, never sleeps.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import Stack

CHROMIUM = os.environ.get("LIVEWATCH_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.e2e, pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is absent (apt-get install chromium)"),
]


def test_produced_violation_appears_live_and_filters(stack: Stack) -> None:
    from playwright.sync_api import expect, sync_playwright

    worker = stack.worker().start()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(worker.url)
        page.wait_for_selector('#sse-status[data-sse="open"]')

        # playwright's sync API owns this thread's event loop: produce from another thread.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(stack.produce, "transcripts", [{
            "event_id": "ev-live-1", "platform": "kuaishou", "room_id": "ks-r-live", "session_id": "ks-s-1",
            "host_id": "ks-h-live", "seq": 1, "ts": "2026-11-22T20:15:03.120+08:00",
            "text": "老铁们，这个大米是国宴专用的，全网最低价"}]).result()
        row = page.locator("#alert-rows tr", has_text="国宴专用")
        expect(row).to_be_visible(timeout=30_000)
        expect(row).to_contain_text("ks-h-live")

        page.select_option("#f-platform", "douyin")  # the kuaishou alert hides
        expect(row).to_have_count(0)
        page.select_option("#f-platform", "kuaishou")  # and comes back
        expect(page.locator("#alert-rows tr", has_text="国宴专用")).to_be_visible()
        assert errors == []
        browser.close()
