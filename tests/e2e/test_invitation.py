"""Invitation letters in the browser, and a visitor checking in at the kiosk with a scanner."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, screenshot
from tests.invitations.conftest import QUEUE, next_boundary, weekday_at

pytestmark = pytest.mark.browser

RTL = {"ar", "ckb"}


def _book(
    live, start: datetime, language: str, note: str | None = None, override: str | None = None
) -> dict:
    staff = live.session("reception")
    response = staff.post(
        live.url + "/api/v1/appointments",
        json={
            "site": "musterstadt",
            "queue": QUEUE,
            "start": start.isoformat(),
            "language": language,
            "note": note,
            "override_reason": override,
        },
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return response.json()


def _local(live, url: str) -> str:
    """The configured public address points at port 5000; the test server runs elsewhere."""
    return live.url + urlsplit(url).path


@pytest.mark.parametrize("language", ["ar", "ckb", "ku", "de", "en"])
def test_invitation_letter_page(live_server, new_page, language):
    booked = _book(live_server, weekday_at(3, 9, 30), language, note="Nur intern")
    page = new_page(1100, 1700)
    page.goto(_local(live_server, booked["invitation_url"]))
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language in RTL else "ltr")
    code = page.locator("[data-code]").first
    assert code.inner_text() == booked["code"]
    assert (
        page.evaluate("getComputedStyle(document.querySelector('[data-code]')).direction") == "ltr"
    )
    columns = page.locator(".letter-column")
    if language == "de":
        assert columns.count() == 1
    else:
        assert columns.count() == 2
        visitor, german = columns.nth(0), columns.nth(1)
        assert visitor.get_attribute("lang") == language
        assert german.get_attribute("lang") == "de"
        direction = visitor.evaluate("e => getComputedStyle(e).direction")
        assert direction == ("rtl" if language in RTL else "ltr")
        # Readers of Arabic script start on the right: their column is the right one.
        visitor_x, german_x = visitor.bounding_box()["x"], german.bounding_box()["x"]
        assert (visitor_x > german_x) == (language in RTL)
    assert "Nur intern" not in page.content()
    # Nothing sticks out sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"invitation-letter-{language}.png"), full_page=True)


def test_invitation_letter_prints_on_one_a4_page(live_server, new_page, tmp_path):
    booked = _book(live_server, weekday_at(3, 10, 0), "ckb")
    page = new_page(1100, 1600)
    page.goto(_local(live_server, booked["invitation_url"]))
    page.emulate_media(media="print")
    assert page.locator(".letter-actions").is_hidden()
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=False)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"Pages:\s+1\b", info.stdout), info.stdout
    assert "(A4)" in info.stdout
    # The page is not merely cut off at one sheet: the letter's content fits it.
    assert page.evaluate(
        "(() => { const e = document.querySelector('.letter');"
        " return e.scrollHeight <= e.clientHeight + 1; })()"
    )


def test_invitation_letter_on_a_phone(live_server, new_page):
    booked = _book(live_server, weekday_at(3, 10, 15), "ar")
    page = new_page(390, 844, locale="ar")
    page.goto(live_server.url + urlsplit(booked["invitation_url"]).path)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "invitation-letter-phone-ar")
    raw = booked["code"].replace("-", "")
    page.goto(f"{live_server.url}/c/{raw}")
    assert page.locator("[data-code]").inner_text() == booked["code"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "invitation-checkin-hint-phone-ar")


def _scan(page, text: str, arrived) -> None:
    """Type like a keyboard-wedge scanner: the characters in a fast burst, then Enter.

    The kiosk tells a scanner from a person by the gaps between keys (under 80 ms); on a
    loaded test machine one gap may be longer, so a burst that went unseen is repeated.
    """
    for _attempt in range(3):
        page.keyboard.type(text, delay=0)
        page.keyboard.press("Enter")
        try:
            page.wait_for_function(arrived, timeout=4000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"the kiosk did not react to the scan of {text!r}")


def test_visitor_scans_the_invitation_at_the_kiosk_and_gets_a_ticket(live_server, new_page):
    start = next_boundary(datetime.now(UTC) + timedelta(minutes=2))
    # A slot in two minutes, whatever the hour the suite runs at: reception's override.
    booked = _book(live_server, start, "ar", override="test run at any hour")
    raw = booked["code"].replace("-", "")
    page = new_page(1280, 800)
    page.goto(f"{live_server.url}/kiosk/eingang")
    page.wait_for_selector("[data-step='language']:not([hidden])")
    # The scanner reads the QR code on the letter: the check-in address with the code.
    _scan(
        page,
        f"http://127.0.0.1:5000/c/{raw}",
        "document.getElementById('ticket-number').textContent.length > 0",
    )
    number = page.locator("#ticket-number")
    assert number.is_visible()
    assert re.fullmatch(r"C-\d{3}", number.inner_text())
    assert page.locator("#ticket-checked-in").is_visible()
    screenshot(page, "invitation-kiosk-checkin-ar")
    # The same letter scanned again is refused with a message, not a second ticket.
    page.locator("[data-action='done']").click()
    page.wait_for_selector("[data-step='language']:not([hidden])")
    _scan(page, raw, "document.getElementById('checkin-message').dataset.reason !== ''")
    expect(page.locator("#checkin-message")).to_have_attribute("data-reason", "already_checked_in")
    expect(page.locator("#checkin-message")).to_have_text(re.compile(r"\S"))
    assert page.locator("#ticket-number").is_hidden()
    screenshot(page, "invitation-kiosk-checkin-again-ar")


def test_reception_books_from_the_day_view_and_opens_the_letter(live_server, new_page):
    from tests.conftest import PASSWORD

    day = weekday_at(3, 8, 0)
    _book(live_server, day.replace(hour=9), "ar", note="Dolmetscher Arabisch")
    _book(live_server, day.replace(hour=9, minute=15), "ckb")
    name = live_server.add_user("reception")
    page = new_page(1400, 900)
    path = f"/counter/appointments?date={day.date()}"
    page.goto(f"{live_server.url}/counter/login?lang=de&next={path}")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/counter/appointments*")
    assert page.locator("tr[data-appointment]").count() == 2
    page.select_option("#book-start", index=8)  # 10:00
    page.select_option("#book-language", "ku")
    page.fill("#book-note", "Rückfrage zu Unterlagen")
    page.click("form.stack button.primary")
    page.wait_for_selector("tr.booked")
    assert page.locator("tr[data-appointment]").count() == 3
    assert "10:00" in page.locator("tr.booked").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "invitation-day-view-de")
    with page.expect_popup() as popup:
        page.locator("tr.booked a", has_text="Einladung drucken").click()
    letter = popup.value
    letter.wait_for_load_state()
    assert letter.locator("html").get_attribute("lang") == "ku"
    assert "Rückfrage" not in letter.content()


def test_reception_books_a_saturday_after_the_page_asks_for_a_reason(live_server, new_page):
    from tests.conftest import PASSWORD

    day = weekday_at(2, 10).date()
    while day.isoweekday() != 6:
        day += timedelta(days=1)
    name = live_server.add_user("reception")
    page = new_page(1400, 900)
    path = f"/counter/appointments?date={day}"
    page.goto(f"{live_server.url}/counter/login?lang=de&next={path}")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/counter/appointments*")
    page.fill("#book-other-time", "10:00")
    page.click("form.stack button.primary")
    page.wait_for_url("**outside=1*")
    expect(page.locator(".flash.error")).to_contain_text("an diesem Wochentag keine Termine")
    expect(page.locator("#book-reason")).to_be_focused()
    expect(page.locator("#book-other-time")).to_have_value("10:00")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "invitation-day-view-reason-de")
    page.fill("#book-reason", "Dolmetscherin kommt nur samstags")
    page.click("form.stack button.primary")
    page.wait_for_selector("tr.booked")
    assert "10:00" in page.locator("tr.booked").inner_text()
