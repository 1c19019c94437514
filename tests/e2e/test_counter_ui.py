"""The counter workplace, reception desk and overview in chromium against a live server."""

from __future__ import annotations

import time

import pytest
import requests

from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.browser
SITE = "musterstadt"
SIZE = {"width": 1600, "height": 1000}


def issue(live, concern: str = "adresse", language: str = "ar") -> dict:
    response = requests.post(
        f"{live.url}/api/v1/tickets",
        json={"site": SITE, "concern": concern, "language": language},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return response.json()


def staff_page(
    new_page,
    live,
    role: str,
    path: str = "/counter/",
    lang: str = "de",
    live_updates: bool = True,
    languages=None,
):
    """A fresh browser context, logged in through the login form as a new user of `role`."""
    name = live.add_user(role, languages=languages)
    page = new_page(SIZE["width"], SIZE["height"], locale="de-DE" if lang == "de" else "en-GB")
    page.goto(f"{live.url}/counter/login?lang={lang}&next={path}")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{path.split('?')[0]}*")
    if live_updates:
        page.wait_for_selector("#live-state[data-state=live]")
    return page


def choose_counter(page, counter: str) -> None:
    page.select_option("#counter-select", counter)
    page.wait_for_function(
        "c => document.querySelectorAll('#my-queues tr').length > 0", arg=counter
    )


def current_number(page) -> str:
    return page.get_attribute("#current", "data-ticket") or ""


def wait_for_number(page, number: str, timeout: float = 5.0) -> None:
    page.wait_for_function(
        "n => document.querySelector('#current').dataset.ticket === n",
        arg=number,
        timeout=timeout * 1000,
    )


def ticket_status(live, session, ticket_id: int) -> dict:
    response = session.get(f"{live.url}/api/v1/tickets/{ticket_id}", timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def _is_next(response) -> bool:
    return response.url.endswith("/next") and response.request.method == "POST"


def public_status(live, public: dict) -> str:
    response = requests.get(f"{live.url}/api/v1/tickets/{public['token']}", timeout=10)
    assert response.status_code == 200, response.text
    return str(response.json()["status"])


def test_two_clerks_drain_a_queue_together_and_see_each_others_calls(live_server, new_page):
    issued = [issue(live_server)["number"] for _ in range(8)]
    first = staff_page(new_page, live_server, "clerk")
    second = staff_page(new_page, live_server, "clerk")
    choose_counter(first, "schalter-1")
    choose_counter(second, "schalter-2")
    # Both call from the shared queue only, so they really compete for the same tickets.
    first.select_option("#queue-select", "bo-abh")
    second.select_option("#queue-select", "bo-abh")
    called: dict[str, list[str]] = {"schalter-1": [], "schalter-2": []}
    pages = {"schalter-1": first, "schalter-2": second}
    deadline = time.monotonic() + 60
    while sum(len(v) for v in called.values()) < len(issued) and time.monotonic() < deadline:
        # Press "next" on both pages at (nearly) the same moment.
        with first.expect_response(_is_next) as one, second.expect_response(_is_next) as two:
            for page in pages.values():
                page.evaluate("document.querySelector('[data-action=next]').click()")
        for counter, answer in (("schalter-1", one.value), ("schalter-2", two.value)):
            number = answer.json()["number"] if answer.status == 200 else ""
            wait_for_number(pages[counter], number)
            if number:
                called[counter].append(number)
        # Each sees the other's latest call live, within a second, without reload.
        for counter, other in (("schalter-1", second), ("schalter-2", first)):
            if called[counter]:
                started = time.monotonic()
                other.wait_for_function(
                    "n => [...document.querySelectorAll('#calls li')].some("
                    "li => li.textContent.includes(n))",
                    arg=called[counter][-1],
                    timeout=1000,
                )
                assert time.monotonic() - started < 1.0
    everyone = called["schalter-1"] + called["schalter-2"]
    assert len(everyone) == len(set(everyone)), f"a ticket was called twice: {called}"
    assert sorted(everyone) == sorted(issued)
    assert called["schalter-1"] and called["schalter-2"], called
    for page in pages.values():
        page.wait_for_function(
            "() => document.querySelector('#my-queues tr[data-queue=bo-abh] .waiting-count')"
            ".textContent.trim() === '0'",
            timeout=2000,
        )


def test_keyboard_shortcuts_drive_the_counter(live_server, new_page):
    first = issue(live_server, language="ar")
    second = issue(live_server, language="en")
    page = staff_page(new_page, live_server, "clerk")
    choose_counter(page, "schalter-1")
    api = live_server.session("clerk")

    page.keyboard.press("n")
    wait_for_number(page, first["number"])
    assert page.text_content("#current-language") == "Spricht Arabisch"
    page.wait_for_selector("#current[data-status=called]")
    page.keyboard.press("r")
    page.wait_for_function(
        "() => document.querySelector('#current-badges').textContent.includes('1')"
    )
    page.keyboard.press("s")
    page.wait_for_selector("#current[data-status=serving]")
    page.keyboard.press("p")
    page.wait_for_selector("#parked-list li[data-ticket]")
    assert current_number(page) == ""
    page.keyboard.press("n")
    wait_for_number(page, second["number"])
    page.keyboard.press("x")
    page.wait_for_selector("#current[data-status='']")
    page.keyboard.press("u")
    wait_for_number(page, first["number"])
    page.wait_for_selector("#current[data-status=called]")

    # T opens the hand-on dialog; keys typed into its fields are text, not shortcuts.
    first_id = _id(live_server, api, first)
    page.keyboard.press("t")
    page.wait_for_selector("#transfer-dialog[open]")
    page.select_option("#transfer-target", "queue:core-abh")
    page.fill("#transfer-note", "Pass fehlt")
    page.keyboard.press("n")
    assert page.input_value("#transfer-note") == "Pass fehltn"
    assert current_number(page) == first["number"]
    page.fill("#transfer-note", "Pass fehlt, bitte Fiktion prüfen")
    page.click("#transfer-submit")
    page.wait_for_selector("#current[data-status='']")
    moved = ticket_status(live_server, api, first_id)
    assert moved["queue"] == "core-abh" and moved["status"] == "waiting"
    assert moved["note"] == "Pass fehlt, bitte Fiktion prüfen"
    assert public_status(live_server, second) == "no_show"

    third = issue(live_server)
    page.keyboard.press("n")
    wait_for_number(page, third["number"])
    page.keyboard.press("f")
    page.wait_for_selector("#current[data-status='']")
    assert public_status(live_server, third) == "done"

    fourth = issue(live_server)
    page.keyboard.press("n")
    wait_for_number(page, fourth["number"])
    page.keyboard.press("c")
    page.wait_for_selector("#cancel-dialog[open]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#current[data-status='']")
    assert public_status(live_server, fourth) == "cancelled"


def _id(live, api, public: dict) -> int:
    """The staff id of a ticket the kiosk issued (the public answer carries only its token)."""
    overview = api.get(f"{live.url}/api/v1/sites/{SITE}/overview", timeout=10).json()
    for counter in overview["counters"]:
        for ticket in [counter["current"], *counter["parked"]]:
            if ticket and ticket["number"] == public["number"]:
                return int(ticket["id"])
    for ticket in overview["waiting"]:
        if ticket["number"] == public["number"]:
            return int(ticket["id"])
    raise AssertionError(f"{public['number']} is neither waiting nor at a counter")


def test_a_failed_action_explains_and_shows_the_truth(live_server, new_page):
    ticket = issue(live_server)
    page = staff_page(new_page, live_server, "clerk")
    choose_counter(page, "schalter-1")
    page.keyboard.press("n")
    wait_for_number(page, ticket["number"])
    # This page hears nothing live any more, so it keeps showing a stale ticket ...
    page.route("**/socket.io/**", lambda route: route.abort())
    api = live_server.session("clerk")
    ticket_id = _id(live_server, api, ticket)
    page.reload()
    wait_for_number(page, ticket["number"])
    # ... while another clerk finishes that ticket.
    finished = api.post(f"{live_server.url}/api/v1/tickets/{ticket_id}/finish", timeout=10)
    assert finished.status_code == 200
    assert current_number(page) == ticket["number"]
    with page.expect_response(lambda r: r.url.endswith("/recall")) as answer:
        page.keyboard.press("r")
    assert answer.value.status == 409
    page.wait_for_selector("#toast[data-kind=error]:not([hidden])")
    assert "anderer Schalter war schneller" in (page.text_content("#toast") or "")
    # The page read the truth again: nobody is at the counter now.
    page.wait_for_selector("#current[data-status='']")


def test_counter_page_with_a_current_ticket_screenshot(live_server, new_page):
    issue(live_server, concern="adresse", language="ar")
    issue(live_server, concern="fiktion", language="ku")
    issue(live_server, concern="leistung-auszahlung", language="ckb")
    page = staff_page(new_page, live_server, "clerk")
    choose_counter(page, "schalter-1")
    page.keyboard.press("n")
    page.wait_for_selector("#current[data-status=called]")
    page.keyboard.press("s")
    page.wait_for_selector("#current[data-status=serving]")
    number = page.text_content("#current-number")
    assert number and number.startswith("B-")
    box = page.locator("#current-number").bounding_box()
    assert box and box["width"] > 100
    assert page.locator("[data-action=next] kbd").text_content() == "N"
    screenshot(page, "counter-de")
    page.goto(f"{live_server.url}/counter/?lang=en")
    page.wait_for_selector("#current[data-status=serving]")
    assert "Speaks Arabic" in (page.text_content("#current-language") or "")
    screenshot(page, "counter-en")


def test_reception_issues_and_hands_on_a_ticket(live_server, new_page):
    page = staff_page(new_page, live_server, "reception", "/counter/reception")
    page.select_option("#issue-concern", "sonstiges")
    page.select_option("#issue-language", "ckb")
    page.select_option("#issue-priority", "Kleinkind dabei")
    page.click("#issue-form button[type=submit]")
    page.wait_for_selector("#issued:not([hidden])")
    number = page.text_content("#issued-number") or ""
    assert number.startswith("A-")
    page.wait_for_selector(f"#waiting-list tr[data-ticket='{number}']")
    page.click("#issued-transfer")
    page.wait_for_selector("#transfer-dialog[open]")
    page.select_option("#transfer-target", "queue:core-jugend")
    page.fill("#transfer-note", "Mutter mit Säugling, Dolmetscher Sorani nötig")
    page.click("#transfer-submit")
    page.wait_for_function(
        "n => [...document.querySelectorAll('#waiting-list tr')].some(tr => "
        "tr.dataset.ticket === n && tr.textContent.includes('Jugendamt'))",
        arg=number,
    )
    api = live_server.session("clerk")
    waiting = api.get(f"{live_server.url}/api/v1/sites/{SITE}/overview", timeout=10).json()
    moved = next(t for t in waiting["waiting"] if t["number"] == number)
    assert moved["queue"] == "core-jugend"
    assert moved["priority_reason"] == "Kleinkind dabei"
    issue(live_server, concern="sonstiges", language="ar")
    issue(live_server, concern="wohnen", language="ku")
    page.wait_for_selector("#waiting-list tr:nth-child(3)")
    screenshot(page, "reception-de")


def test_supervisor_closes_and_reopens_a_queue(live_server, new_page):
    issue(live_server, concern="kinder")
    clerk = live_server.session("clerk")
    assert (
        clerk.post(
            f"{live_server.url}/api/v1/counters/raum-204/next", json={}, timeout=10
        ).status_code
        == 200
    )
    page = staff_page(new_page, live_server, "supervisor", "/counter/overview")
    page.wait_for_selector("#ov-counters li[data-counter=raum-204].status-called")
    row = "#ov-queues tr[data-queue=core-wohnen]"
    page.click(f"{row} button")
    page.wait_for_selector(f"{row}[data-closed=true]")
    refused = requests.post(
        f"{live_server.url}/api/v1/tickets",
        json={"site": SITE, "concern": "wohnen", "language": "de"},
        timeout=10,
    )
    assert refused.status_code == 409
    issue(live_server, concern="adresse")
    issue(live_server, concern="aufenthalt")
    page.wait_for_function(
        "() => document.querySelector('#ov-queues tr[data-queue=bo-abh] .waiting-count')"
        ".textContent.trim() === '1'",
        timeout=2000,
    )
    screenshot(page, "overview-de")
    page.click(f"{row} button")
    page.wait_for_selector(f"{row}[data-closed=false]")
    assert (
        requests.post(
            f"{live_server.url}/api/v1/tickets",
            json={"site": SITE, "concern": "wohnen", "language": "de"},
            timeout=10,
        ).status_code
        == 201
    )


def test_clerk_cannot_open_the_overview(live_server, new_page):
    page = staff_page(new_page, live_server, "clerk")
    assert page.locator("a[href='/counter/overview']").count() == 0
    response = page.goto(f"{live_server.url}/counter/overview")
    assert response is not None and response.status == 403


def test_printer_alerts_show_on_every_staff_page_until_acknowledged(
    live_server, new_page, sqlite_url
):
    from server.db import Database, make_engine
    from server.services import alerts
    from tests.conftest import settings_for

    site = settings_for(sqlite_url).site(SITE)
    db = Database(make_engine(sqlite_url))
    with db.writing() as session:
        alerts.record(session, site, "eingang", "A-007", "paper out")
    db.dispose()
    counter = staff_page(new_page, live_server, "clerk")
    reception = staff_page(new_page, live_server, "reception", "/counter/reception")
    for page in (counter, reception):
        page.wait_for_selector("#alerts:not([hidden]) .alert")
        text = page.text_content("#alerts") or ""
        assert "Eingang Erdgeschoss" in text and "A-007" in text
    screenshot(reception, "reception-alert-de")
    reception.click("#alerts .alert-ack")
    # The acknowledgement reaches the other page live.
    counter.wait_for_selector("#alerts[hidden]", state="attached", timeout=2000)
    reception.wait_for_selector("#alerts[hidden]", state="attached", timeout=2000)


@pytest.mark.parametrize(("lang", "direction"), [("de", "ltr"), ("ar", "rtl")])
def test_login_page_screenshot(live_server, new_page, lang, direction):
    page = new_page(SIZE["width"], SIZE["height"])
    page.goto(f"{live_server.url}/counter/login?lang={lang}")
    assert page.get_attribute("html", "dir") == direction
    page.fill("#username", "nobody")
    page.fill("#password", "wrong-password")
    page.click("button[type=submit]")
    page.wait_for_selector(".login-error")
    card = page.locator(".login-card").bounding_box()
    assert card and card["x"] >= 0 and card["x"] + card["width"] <= SIZE["width"]
    screenshot(page, f"login-{lang}")


def test_a_handed_on_ticket_shows_its_earlier_stops_and_note(live_server, new_page):
    ticket = issue(live_server, concern="adresse", language="ckb")
    clerk = live_server.session("clerk")
    called = clerk.post(
        f"{live_server.url}/api/v1/counters/schalter-1/next", json={}, timeout=10
    ).json()
    clerk.post(
        f"{live_server.url}/api/v1/tickets/{called['id']}/transfer",
        json={"counter": "raum-201", "note": "Aufenthaltstitel läuft ab, Termin nötig"},
        timeout=10,
    )
    page = staff_page(new_page, live_server, "clerk")
    choose_counter(page, "raum-201")
    page.keyboard.press("n")
    wait_for_number(page, ticket["number"])
    assert page.text_content("#current-language") == "Spricht Kurdisch (Sorani)"
    assert "Aufenthaltstitel läuft ab" in (page.text_content("#current-note") or "")
    stops = page.text_content("#current-stops") or ""
    assert "Ausländerbehörde – Schnellschalter" in stops and "Schalter 1" in stops
    assert "weitergeleitet" in stops
    screenshot(page, "counter-stops-de")
