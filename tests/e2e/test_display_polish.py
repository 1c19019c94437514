"""What the screens show: a right-to-left line under a German label, printer alerts in words."""

from __future__ import annotations

import pytest

from tests.display.helpers import call_next, issue
from tests.e2e.conftest import screenshot
from tests.e2e.test_counter_ui import SITE, staff_page

pytestmark = pytest.mark.browser

# Where the text of each line of a label pair starts and ends, and the pair's own box.
LINE_EDGES = """(selector) => [...document.querySelectorAll(selector)].map((pair) => {
  const edges = (element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const r = range.getBoundingClientRect();
    return [r.left, r.right];
  };
  const box = pair.getBoundingClientRect();
  return { left: box.left, right: box.right, dir: pair.querySelector(".alt").dir,
           primary: edges(pair.querySelector(".primary")), alt: edges(pair.querySelector(".alt")) };
})"""


@pytest.mark.parametrize("language", ["ar", "ckb"])
def test_a_right_to_left_line_under_a_german_label_sits_at_the_right_edge(
    live_server, new_page, language
):
    staff = live_server.session("clerk")
    for concern in ("adresse", "aufenthalt", "adresse"):
        issue(live_server.url, concern, "de")
    page = new_page(1920, 1080)
    page.goto(f"{live_server.url}/display/wartebereich")
    page.wait_for_selector("#zones li")
    for counter in ("schalter-3", "raum-201"):
        call_next(staff, live_server.url, counter)
    page.wait_for_selector("#recent li")
    page.wait_for_function(
        "lang => { for (let i = 0; i < 5; i++) {"
        "  if (document.querySelector('#recent .alt').lang === lang) return true;"
        "  window.anlaufstelleDisplay.rotate(); } return false; }",
        arg=language,
    )

    pairs = page.evaluate(LINE_EDGES, "#recent .counter .pair, #zones .zone-name .pair")

    assert len(pairs) >= 3
    for pair in pairs:
        assert pair["dir"] == "rtl"
        assert abs(pair["primary"][0] - pair["left"]) < 2  # German starts at the left edge
        assert abs(pair["alt"][1] - pair["right"]) < 2  # the right-to-left line at the right
    screenshot(page, f"display-rtl-lines-{language}")


def test_a_printer_alert_names_the_cause_in_the_staff_language(live_server, new_page, sqlite_url):
    from server.db import Database, make_engine
    from server.services import alerts
    from tests.conftest import settings_for

    site = settings_for(sqlite_url).site(SITE)
    db = Database(make_engine(sqlite_url))
    with db.writing() as session:
        alerts.record(
            session, site, "eingang", "A-007", "printer memory:x reports that it has no paper"
        )
        alerts.record(session, site, "eingang", "A-008", "printing on usb://1:2 failed: odd")
    db.dispose()
    for lang, words in (("de", "kein Papier"), ("en", "no paper")):
        page = staff_page(new_page, live_server, "reception", "/counter/reception", lang=lang)
        page.wait_for_selector("#alerts:not([hidden]) .alert")
        paper = page.locator('#alerts .alert:has-text("A-007")').inner_text()
        unknown = page.locator('#alerts .alert:has-text("A-008")').inner_text()
        assert words in paper and "memory:x" not in paper
        assert "usb://1:2 failed: odd" in unknown  # no known cause: the message as it is
        screenshot(page, f"reception-alert-cause-{lang}")
