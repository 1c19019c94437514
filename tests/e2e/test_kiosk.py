"""The visitor kiosk in Debian's chromium against a live server: touches, languages, failures."""

from __future__ import annotations

import io
import re
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from PIL import Image

from server.config import LANGUAGES, RTL_LANGUAGES
from tests.conftest import LiveServer
from tests.e2e.conftest import screenshot
from tests.kiosk.support import closed_port

pytestmark = pytest.mark.browser

LANDSCAPE = (1920, 1080)
PORTRAIT = (1080, 1920)
NUMBER = re.compile(r"^[A-Z]{1,2}-\d{3,}$")
# One concern per language, so the screenshots show different pictograms and lengths.
CONCERN_FOR = {
    "de": "aufenthalt",
    "en": "adresse",
    "ar": "leistung-auszahlung",
    "ku": "kinder",
    "ckb": "sprachkurs",
}


def tickets_in(sqlite_url: str) -> int:
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as db:
        return int(db.execute("SELECT count(*) FROM tickets").fetchone()[0])


def open_kiosk(new_page, server: LiveServer, size=LANDSCAPE, query: str = ""):
    page = new_page(*size)
    page.goto(f"{server.url}/kiosk/eingang{query}")
    page.wait_for_selector('#kiosk[data-ready="true"]')
    return page


def html_language(page) -> tuple[str | None, str | None]:
    html = page.locator("html")
    return html.get_attribute("lang"), html.get_attribute("dir")


def visible_step(page) -> str:
    return page.locator("#kiosk").get_attribute("data-step")


def words(page, language: str) -> dict[str, str]:
    return page.evaluate(
        "(lang) => JSON.parse(document.getElementById('kiosk-texts').textContent)[lang].words",
        language,
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_visitor_takes_a_ticket_in_three_touches_or_fewer(kiosk_server, new_page, language):
    server = kiosk_server()
    page = open_kiosk(new_page, server)
    assert visible_step(page) == "language"
    assert html_language(page) == ("de", "ltr")
    screenshot(page, "kiosk-1-language-landscape")
    touches = 0

    page.click(f'button[data-lang="{language}"]')
    touches += 1
    direction = "rtl" if language in RTL_LANGUAGES else "ltr"
    assert html_language(page) == (language, direction)
    assert visible_step(page) == "concern"
    change = page.locator('[data-action="languages"]').bounding_box()
    # Mirrored for right-to-left: the language button sits at the start of the line.
    assert (change["x"] > LANDSCAPE[0] / 2) == (direction == "rtl")
    screenshot(page, f"kiosk-2-concern-landscape-{language}")

    page.click(f'button[data-concern="{CONCERN_FOR[language]}"]')
    touches += 1
    page.wait_for_selector('section[data-step="ticket"]:not([hidden])')
    number = page.inner_text("#ticket-number")
    assert NUMBER.match(number), number
    assert page.locator("#ticket-number").evaluate("e => e.tagName + ' ' + e.dir") == "BDI ltr"
    page.wait_for_selector('#kiosk[data-print="printed"]', timeout=15_000)
    assert page.inner_text("#print-status") == words(page, language)["printed"]
    assert touches <= 3
    screenshot(page, f"kiosk-3-ticket-landscape-{language}")

    qr = Image.open(io.BytesIO(page.locator("#ticket-qr").screenshot()))
    status_url = [r.text for r in zxingcpp.read_barcodes(qr.convert("L"))]
    assert len(status_url) == 1 and "/t/" in status_url[0]
    import requests

    token = status_url[0].rsplit("/t/", 1)[1]
    ticket = requests.get(f"{server.url}/api/v1/tickets/{token}", timeout=5).json()
    assert (ticket["number"], ticket["language"]) == (number, language)


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_all_concerns_fit_on_one_screen_with_large_touch_targets(kiosk_server, new_page, size):
    server = kiosk_server()
    page = new_page(*size)
    orientation = "portrait" if size == PORTRAIT else "landscape"
    for language in LANGUAGES:
        page.goto(f"{server.url}/kiosk/eingang?lang={language}")
        page.wait_for_selector('#kiosk[data-ready="true"]')
        assert page.evaluate("document.scrollingElement.scrollHeight") <= size[1]
        buttons = page.locator("button[data-concern]")
        assert buttons.count() == 14
        for index in range(buttons.count()):
            box = buttons.nth(index).bounding_box()
            assert box["width"] >= 64 and box["height"] >= 64
            assert box["x"] >= 0 and box["x"] + box["width"] <= size[0]
            assert box["y"] >= 0 and box["y"] + box["height"] <= size[1]
            clipped = buttons.nth(index).evaluate(
                "b => b.querySelector('.concern-label').scrollHeight > b.clientHeight"
            )
            assert not clipped, (language, index)
        if orientation == "portrait":
            screenshot(page, f"kiosk-2-concern-portrait-{language}")
        if language == "de":
            page.click('[data-action="languages"]')
            screenshot(page, f"kiosk-1-language-{orientation}")


def test_idle_kiosk_returns_to_step_one(kiosk_server, new_page):
    server = kiosk_server(idle_seconds=5)
    page = open_kiosk(new_page, server)
    page.click('button[data-lang="ar"]')
    assert visible_step(page) == "concern"
    started = time.monotonic()

    page.wait_for_selector('#kiosk[data-step="language"]', timeout=10_000)

    assert 4.5 <= time.monotonic() - started <= 8
    assert html_language(page) == ("de", "ltr")
    assert page.locator('section[data-step="concern"]').is_hidden()


def test_a_double_tap_gives_one_ticket(kiosk_server, new_page, sqlite_url):
    server = kiosk_server()
    page = open_kiosk(new_page, server, query="?lang=en")

    page.dblclick('button[data-concern="adresse"]')

    page.wait_for_selector('section[data-step="ticket"]:not([hidden])')
    page.wait_for_timeout(500)  # a second request, if any, would be under way by now
    assert tickets_in(sqlite_url) == 1


def test_a_lost_answer_is_retried_with_the_same_key_and_gives_one_ticket(
    kiosk_server, new_page, sqlite_url
):
    server = kiosk_server()
    page = open_kiosk(new_page, server, query="?lang=ku")
    keys: list[str | None] = []

    def lose_first_answer(route):
        keys.append(route.request.headers.get("idempotency-key"))
        if len(keys) == 1:
            route.fetch()  # the server issues the ticket …
            route.abort("connectionreset")  # … but the kiosk never hears of it
        else:
            route.continue_()

    page.route("**/api/v1/tickets", lose_first_answer)
    page.click('button[data-concern="wohnen"]')

    page.wait_for_selector('section[data-step="ticket"]:not([hidden])', timeout=15_000)
    assert len(keys) == 2 and keys[0] and keys[0] == keys[1]
    assert tickets_in(sqlite_url) == 1


def test_an_unreachable_server_tells_the_visitor_to_ask_at_reception(kiosk_server, new_page):
    server = kiosk_server()
    page = open_kiosk(new_page, server, query="?lang=ckb")
    server.stop()

    page.click('button[data-concern="adresse"]')

    page.wait_for_selector("#notice:not([hidden])", timeout=20_000)
    assert page.inner_text("#notice-text") == words(page, "ckb")["unreachable"]
    screenshot(page, "kiosk-error-unreachable-ckb")
    page.click('[data-action="notice-ok"]')
    assert visible_step(page) == "concern"


def test_a_closed_queue_says_what_to_do_instead(kiosk_server, new_page):
    server = kiosk_server()
    supervisor = server.session("supervisor")
    closed = supervisor.post(
        f"{server.url}/api/v1/sites/musterstadt/queues/bo-abh/state",
        json={"closed": True},
        timeout=10,
    )
    assert closed.status_code == 200, closed.text
    page = open_kiosk(new_page, server, query="?lang=de")

    page.click('button[data-concern="adresse"]')

    page.wait_for_selector("#notice:not([hidden])")
    assert page.inner_text("#notice-text") == words(page, "de")["queue_closed"]
    screenshot(page, "kiosk-error-queue-closed-de")


@pytest.mark.parametrize("language", ["de", "ar"])
def test_a_dead_printer_shows_the_number_and_asks_for_a_photo(kiosk_server, new_page, language):
    server = kiosk_server(printer=f"tcp://127.0.0.1:{closed_port()}")
    page = open_kiosk(new_page, server, query=f"?lang={language}")

    page.click('button[data-concern="arbeit-beratung"]')

    page.wait_for_selector('#kiosk[data-print="print_failed"]', timeout=15_000)
    assert page.inner_text("#print-status") == words(page, language)["print_failed"]
    assert NUMBER.match(page.inner_text("#ticket-number"))
    assert page.locator("#ticket-qr").evaluate("img => img.complete && img.naturalWidth > 0")
    screenshot(page, f"kiosk-3-ticket-print-failed-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_invitation_concern_opens_the_check_in_keypad(kiosk_server, new_page, language):
    server = kiosk_server()
    page = open_kiosk(new_page, server, query=f"?lang={language}")

    page.click('button[data-concern="einladung"]')
    for key in "ACDEFH3":
        page.click(f'button[data-key="{key}"]')
    page.click('[data-action="checkin"]')

    assert visible_step(page) == "checkin"
    assert page.locator("#code").inner_text().replace("\n", "") == "ACDE-FH3"
    assert page.locator("#checkin-message").get_attribute("data-reason") == "code_incomplete"
    screenshot(page, f"kiosk-4-checkin-landscape-{language}")


def test_a_scan_anywhere_sends_the_code_to_check_in(kiosk_server, new_page):
    server = kiosk_server()
    page = open_kiosk(new_page, server)
    assert visible_step(page) == "language"

    with page.expect_response("**/api/v1/checkin") as answer:
        page.keyboard.type("http://127.0.0.1:5000/c/ACDE-FH34")
        page.keyboard.press("Enter")

    assert answer.value.status == 404
    assert answer.value.request.post_data_json["code"] == "ACDEFH34"
    assert visible_step(page) == "checkin"
    message = page.locator("#checkin-message")
    assert message.get_attribute("data-reason") == "code_unknown"
    # Scanned before choosing a language: the answer is given in every language.
    assert message.locator("span").count() == len(LANGUAGES)
    screenshot(page, "kiosk-4-checkin-unknown-code")


def next_slot(server: LiveServer, session, hours_ahead: float) -> str:
    """The first free slot of core-abh starting at least `hours_ahead` from now."""
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()
    earliest = datetime.now(UTC) + timedelta(hours=hours_ahead)
    for offset in range(0, 14):
        day = today + timedelta(days=offset)
        slots = session.get(
            f"{server.url}/api/v1/sites/musterstadt/queues/core-abh/slots",
            params={"date": day.isoformat()},
            timeout=10,
        ).json()
        for slot in slots:
            if slot["free"] and datetime.fromisoformat(slot["start"]) >= earliest:
                return slot["start"]
    raise AssertionError("no free appointment slot in two weeks")


def book(server: LiveServer, hours_ahead: float, language: str) -> dict:
    reception = server.session("reception")
    start = next_slot(server, reception, hours_ahead)
    response = reception.post(
        f"{server.url}/api/v1/appointments",
        timeout=10,
        json={"site": "musterstadt", "queue": "core-abh", "start": start, "language": language},
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_a_scanned_invitation_too_early_says_when_to_come_back(kiosk_server, new_page):
    server = kiosk_server()
    appointment = book(server, hours_ahead=2, language="ar")
    opens = datetime.fromisoformat(appointment["start"]) - timedelta(minutes=60)
    come_back = opens.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M")
    page = open_kiosk(new_page, server)
    page.click('button[data-lang="ar"]')

    page.keyboard.type(appointment["code"])
    page.keyboard.press("Enter")

    page.wait_for_selector('#checkin-message[data-reason="too_early_at"]')
    text = page.inner_text("#checkin-message")
    assert come_back in text
    assert text == words(page, "ar")["too_early_at"].replace("%(time)s", come_back)
    screenshot(page, "kiosk-4-checkin-too-early-ar")


def test_a_scanned_invitation_in_its_window_checks_in_and_shows_the_ticket(
    kiosk_server, new_page, sqlite_url
):
    server = kiosk_server()
    appointment = book(server, hours_ahead=0, language="ku")
    # Move the appointment to ten minutes from now, inside the check-in window.
    soon = (datetime.now(UTC) + timedelta(minutes=10)).replace(tzinfo=None)
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as db:
        db.execute(
            "UPDATE appointments SET start = ? WHERE code = ?",
            (soon.isoformat(sep=" "), appointment["code"].replace("-", "")),
        )
    page = open_kiosk(new_page, server)

    page.keyboard.type(f"{server.url}/c/{appointment['code']}")
    page.keyboard.press("Enter")

    page.wait_for_selector('section[data-step="ticket"]:not([hidden])')
    assert html_language(page) == ("ku", "ltr")  # the invitation's language
    assert page.locator("#ticket-checked-in").is_visible()
    assert NUMBER.match(page.inner_text("#ticket-number"))
    screenshot(page, "kiosk-3-ticket-checked-in-ku")
