"""The visitor's status page on a phone, in a real browser against a live server."""

from __future__ import annotations

import time

import pytest

from tests.display.helpers import act, call_next, issue
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.browser

PHONE = (390, 844)
LANGUAGES = ("de", "en", "ar", "ku", "ckb")
RECORD_VIBRATION = """
  window.vibrations = [];
  Object.defineProperty(navigator, "vibrate", {
    value: (pattern) => { window.vibrations.push(pattern); return true; }, configurable: true});
"""


def open_status(new_page, url: str, *, locale: str = "de-DE"):
    page = new_page(*PHONE, locale=locale, is_mobile=True, has_touch=True)
    page.add_init_script(RECORD_VIBRATION)
    page.goto(url)
    page.wait_for_function(
        "window.anlaufstelleStatus && window.anlaufstelleStatus.socket.connected"
    )
    return page


def visible_state(page) -> str:
    return page.evaluate(
        "[...document.querySelectorAll('[data-status]')].filter(s => !s.hidden)"
        ".map(s => s.dataset.status).join()"
    )


def test_a_call_reaches_the_phone_within_a_second_and_vibrates(live_server, new_page):
    ticket = issue(live_server.url, "adresse", "ar")
    page = open_status(
        new_page, ticket["status_url"].replace("http://127.0.0.1:5000", live_server.url)
    )
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert visible_state(page) == "waiting"
    staff = live_server.session("clerk")
    call_next(staff, live_server.url, "schalter-3")
    answered = time.monotonic()
    page.wait_for_function("!document.querySelector('[data-status=called]').hidden", timeout=1000)
    assert time.monotonic() - answered < 1.0
    banner = page.locator("[data-status=called]")
    assert "الشباك 3" in banner.inner_text()
    assert page.evaluate("window.vibrations.length") == 1


def test_the_phone_follows_a_transfer_into_the_new_queue_and_says_thank_you(live_server, new_page):
    staff = live_server.session("clerk")
    ahead = issue(live_server.url, "aufenthalt", "de")  # already waiting in core-abh
    mine = issue(live_server.url, "adresse", "en")
    page = open_status(new_page, f"{live_server.url}/t/{mine['token']}")
    called = call_next(staff, live_server.url, "schalter-1")
    assert called["token"] == mine["token"]
    page.wait_for_function("!document.querySelector('[data-status=called]').hidden")
    act(
        staff,
        live_server.url,
        called["id"],
        "transfer",
        {"queue": "core-abh", "keep_arrival": False},
    )
    page.wait_for_function("!document.querySelector('[data-status=waiting]').hidden")
    assert page.locator("#transfer-note").is_visible()
    assert page.locator("[data-field=position]").inner_text() == "2"
    # The visitor ahead in the new queue is called: only a socket in the new queue's room
    # hears of it, so this shows the page rejoined after the transfer.
    first = call_next(staff, live_server.url, "raum-201")
    assert first["token"] == ahead["token"]
    page.wait_for_function(
        "document.querySelector('[data-field=position]').textContent === '1'", timeout=3000
    )
    screenshot(page, "status-en-transferred")
    second = call_next(staff, live_server.url, "raum-202")
    assert second["token"] == mine["token"]
    page.wait_for_function("!document.querySelector('[data-status=called]').hidden")
    assert "Room 202" in page.locator("[data-status=called]").inner_text()
    act(staff, live_server.url, second["id"], "finish")
    page.wait_for_function("!document.querySelector('[data-status=done]').hidden")
    assert "Thank you" in page.locator("[data-status=done]").inner_text()
    assert page.evaluate("window.vibrations.length") == 2


@pytest.mark.parametrize("language", LANGUAGES)
def test_screenshots_of_the_status_page(live_server, new_page, language):
    for _ in range(3):
        issue(live_server.url, "adresse", "de")
    ticket = issue(live_server.url, "adresse", language)
    page = open_status(new_page, f"{live_server.url}/t/{ticket['token']}")
    direction = "rtl" if language in ("ar", "ckb") else "ltr"
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        language,
        direction,
    ]
    number = page.locator("#number")
    assert number.inner_text() == ticket["number"] and number.get_attribute("dir") == "ltr"
    assert page.locator("[data-field=position]").inner_text() == "4"
    no_overflow = "document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(no_overflow)
    screenshot(page, f"status-{language}-waiting")
    staff = live_server.session("clerk")
    for _ in range(4):
        call_next(staff, live_server.url, "schalter-1")
    page.wait_for_function("!document.querySelector('[data-status=called]').hidden")
    act(staff, live_server.url, _staff_id(staff, live_server), "recall")
    page.wait_for_function("!document.querySelector('[data-field=recall]').hidden")
    assert page.evaluate(no_overflow)
    screenshot(page, f"status-{language}-called")


def _staff_id(staff, live_server) -> int:
    current = staff.get(f"{live_server.url}/api/v1/counters/schalter-1/current", timeout=10)
    return current.json()[0]["id"]


def test_an_unknown_ticket_page_in_all_languages(live_server, new_page):
    page = new_page(*PHONE)
    response = page.goto(f"{live_server.url}/t/not-a-ticket")
    assert response.status == 404
    assert page.locator("section.error-message").count() == 5
    screenshot(page, "status-unknown")
