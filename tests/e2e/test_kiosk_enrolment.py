"""The demo kiosk in chromium: it enrols itself, so the anonymous limit never stops it."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.browser


def test_the_demo_kiosk_issues_beyond_the_anonymous_limit(sqlite_url, tmp_path, new_page):
    server = LiveServer(sqlite_url, tmp_path)
    server.env["ANLAUFSTELLE_ANONYMOUS_TICKETS"] = "2/minute"  # config.toml enrols loopback
    server.start()
    try:
        body = {"site": "musterstadt", "concern": "adresse", "language": "de"}
        codes = [
            requests.post(f"{server.url}/api/v1/tickets", json=body, timeout=10).status_code
            for _ in range(3)
        ]
        assert codes == [201, 201, 429]  # the same address without the kiosk's cookie

        page = new_page(1920, 1080, bypass_csp=False)
        page.goto(f"{server.url}/kiosk/eingang")
        page.wait_for_selector('#kiosk[data-ready="true"]')
        cookies = {c["name"]: c for c in page.context.cookies()}
        assert cookies["kiosk_key"]["httpOnly"] and cookies["kiosk_key"]["sameSite"] == "Strict"
        numbers = []
        for language in ("ar", "de", "ckb", "en"):
            page.goto(f"{server.url}/kiosk/eingang")
            page.wait_for_selector('#kiosk[data-ready="true"]')
            page.click(f'button[data-lang="{language}"]')
            page.click('button[data-concern="adresse"]')
            page.wait_for_selector('section[data-step="ticket"]:not([hidden])')
            numbers.append(page.inner_text("#ticket-number"))
            # The QR code (its own request, under the strict CSP) is there before the shot.
            qr = page.locator("#ticket-qr")
            qr.wait_for()
            expect(qr).to_have_js_property("complete", True)
            assert qr.evaluate("img => img.naturalWidth") > 0
            screenshot(page, f"kiosk-enrolled-ticket-{language}")
        assert len(set(numbers)) == 4
    finally:
        server.stop()
