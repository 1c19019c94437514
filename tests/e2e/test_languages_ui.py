"""Presence and languages on the staff pages, in chromium against a live server."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot
from tests.e2e.test_counter_ui import issue, staff_page, wait_for_number

pytestmark = pytest.mark.browser


def login_page(new_page, live, role, languages=None, path="/counter/", lang="de"):
    return staff_page(new_page, live, role, path=path, lang=lang, languages=languages)


def presence_of(live, counter):
    http = live.session("reception")
    states = http.get(f"{live.url}/api/v1/sites/musterstadt/presence", timeout=10).json()
    return next(s["state"] for s in states if s["counter"] == counter)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_counter_shows_the_visitors_language_and_its_presence(live_server, new_page, lang):
    german = issue(live_server, "aufenthalt", "de")
    arabic = issue(live_server, "aufenthalt", "ar")
    page = login_page(new_page, live_server, "clerk", "ar,en", lang=lang)
    page.select_option("#counter-select", "raum-201")
    page.wait_for_selector("#presence[data-state=open]")
    assert presence_of(live_server, "raum-201") == "open"  # working at a counter opens it
    page.keyboard.press("n")
    wait_for_number(page, arabic["number"])  # the Arabic visitor came a moment later
    assert german["number"] != arabic["number"]
    assert page.inner_text("#current-language-name") == "Arabisch"
    assert page.inner_text("#current-language-native") == "العربية"
    assert page.is_hidden("#current-interpreter")  # no interpreter need marked
    screenshot(page, f"counter-visitor-language-{lang}")
    page.keyboard.press("b")
    page.wait_for_selector("#presence[data-state=break]")
    assert page.is_disabled("[data-action=next]")
    assert presence_of(live_server, "raum-201") == "break"
    screenshot(page, f"counter-on-break-{lang}")
    page.keyboard.press("b")
    page.wait_for_selector("#presence[data-state=open]")
    page.click("form.staff-logout button")
    page.wait_for_url("**/login*")
    assert presence_of(live_server, "raum-201") == "closed"  # logging out closes it


def test_the_overview_shows_language_demand_and_an_unmet_interpreter_need(live_server, new_page):
    for language in ("ar", "ar", "de", "ku", "ckb"):
        issue(live_server, "aufenthalt", language)
    marked = issue(live_server, "fiktion", "de")
    reception = live_server.session("reception")
    ticket = reception.get(f"{live_server.url}/api/v1/sites/musterstadt/overview", timeout=10)
    waiting = {w["number"]: w["id"] for w in ticket.json()["waiting"]}
    clerk = live_server.session("clerk")
    clerk.post(f"{live_server.url}/api/v1/counters/raum-202/presence", json={"state": "open"})
    answer = reception.post(
        f"{live_server.url}/api/v1/tickets/{waiting[marked['number']]}/interpreter",
        json={"language": "ckb"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    page = login_page(new_page, live_server, "supervisor", path="/counter/overview")
    page.wait_for_selector(f"#unmet li[data-ticket='{marked['number']}']")
    text = page.inner_text("#unmet")
    assert marked["number"] in text and "wartet auf" in text and "Kurd" in text
    page.wait_for_selector("#language-demand tr[data-language=ar]")
    row = page.inner_text("#language-demand tr[data-queue=core-abh][data-language=ar]")
    assert "2" in row
    assert page.locator("#demand-hours tbody tr").count() >= 1
    page.locator("#ov-languages-title").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('ov-languages-title').scrollIntoView()")
    screenshot(page, "overview-language-demand")


def test_reception_marks_an_interpreter_need_and_sees_that_nobody_open_speaks_it(
    live_server, new_page
):
    marked = issue(live_server, "fiktion", "de")
    page = login_page(new_page, live_server, "reception", path="/counter/reception")
    row = page.locator(f"#waiting-list tr[data-ticket='{marked['number']}']")
    row.get_by_role("button", name="Sprache").click()
    page.fill("#interpreter-language", "ckb")
    page.click("#interpreter-dialog button[type=submit]")
    page.wait_for_selector(f"#unmet li[data-ticket='{marked['number']}']")
    assert "braucht" in row.inner_text()
    screenshot(page, "reception-unmet-interpreter-need")
    row.get_by_role("button", name="Sprache").click()
    page.fill("#interpreter-language", "xx")
    page.click("#interpreter-dialog button[type=submit]")
    page.wait_for_selector("#toast[data-kind=error]")
