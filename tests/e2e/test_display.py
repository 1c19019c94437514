"""The waiting-room screen in a real browser against a live server."""

from __future__ import annotations

import time

import pytest
import requests

from tests.display.helpers import act, call_next, crash, issue
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.browser

LANDSCAPE = (1920, 1080)
PORTRAIT = (1080, 1920)


def open_display(new_page, base_url: str, size=LANDSCAPE, display: str = "wartebereich"):
    page = new_page(*size)
    page.goto(f"{base_url}/display/{display}")
    page.wait_for_function(
        "window.anlaufstelleDisplay && window.anlaufstelleDisplay.socket.connected"
    )
    return page


def busy_morning(live_server) -> None:
    """A few calls, a recall and people waiting in every zone."""
    staff = live_server.session("clerk")
    for concern, language in (
        ("adresse", "ar"),
        ("adresse", "de"),
        ("sonstiges", "ckb"),
        ("aufenthalt", "ku"),
        ("adresse", "en"),
        ("sonstiges", "de"),
        ("aufenthalt", "ar"),
        ("adresse", "de"),
        ("adresse", "ar"),
    ):
        issue(live_server.url, concern, language)
    call_next(staff, live_server.url, "empfang-1")
    call_next(staff, live_server.url, "raum-201")
    call_next(staff, live_server.url, "schalter-2")
    last = call_next(staff, live_server.url, "schalter-3")
    act(staff, live_server.url, last["id"], "recall")


def test_a_call_appears_on_the_display_within_a_second(live_server, new_page):
    page = open_display(new_page, live_server.url)
    staff = live_server.session("clerk")
    issue(live_server.url, "adresse", "ar")
    called = call_next(staff, live_server.url, "schalter-3")
    answered = time.monotonic()
    page.wait_for_function(
        "n => document.querySelector('#current .number')?.textContent === n",
        arg=called["number"],
        timeout=1000,
    )
    assert time.monotonic() - answered < 1.0
    current = page.locator("#current")
    assert current.locator("bdi.number").get_attribute("dir") == "ltr"
    assert "Schalter 3" in current.inner_text()


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_screenshots_of_the_display_in_every_language(live_server, new_page, size):
    busy_morning(live_server)
    page = open_display(new_page, live_server.url, size)
    page.wait_for_function("document.querySelectorAll('#recent li').length >= 3")
    orientation = "landscape" if size == LANDSCAPE else "portrait"
    languages = page.evaluate(
        "JSON.parse(document.getElementById('display-model').textContent).alternates"
    )
    assert languages == ["en", "ar", "ku", "ckb"]
    for index, language in enumerate(languages):
        if index:
            page.evaluate("window.anlaufstelleDisplay.rotate()")
        alt = page.locator("#current .alt").first
        assert alt.get_attribute("lang") == language
        assert alt.get_attribute("dir") == ("rtl" if language in ("ar", "ckb") else "ltr")
        # nothing may spill out of the screen
        overflow = page.evaluate(
            "() => [...document.querySelectorAll('body *')].filter(e => {"
            " const r = e.getBoundingClientRect();"
            " return r.width && (r.right > innerWidth + 1 || r.bottom > innerHeight + 1); })"
            ".map(e => e.className || e.tagName)"
        )
        assert overflow == [], overflow
        screenshot(page, f"display-{orientation}-de-{language}")
    # A full list (recent_calls = 8) with the longest labels must fit as well.
    page.evaluate("""() => {
        const d = window.anlaufstelleDisplay;
        const counters = ["raum-207", "schalter-6", "empfang-2", "raum-205"];
        for (let i = 1; i <= 12; i++) {
            const counter = counters[i % counters.length];
            d.onCalled({number: `C-${String(100 + i)}`, counter: {id: counter, label: counter},
                        called_at: new Date().toISOString(), recall: i === 12});
        }
    }""")
    assert page.locator("#recent li").count() == 7
    clipped = page.evaluate(
        "() => { const box = document.querySelector('.recent').getBoundingClientRect();"
        " return [...document.querySelectorAll('#recent li, #recent .alt')]"
        ".filter(e => e.getBoundingClientRect().bottom > box.bottom + 1).length; }"
    )
    assert clipped == 0
    overflow = page.evaluate(
        "() => [...document.querySelectorAll('body *')].filter(e => {"
        " const r = e.getBoundingClientRect();"
        " return r.width && (r.right > innerWidth + 1 || r.bottom > innerHeight + 1); })"
        ".map(e => e.className || e.tagName)"
    )
    assert overflow == [], overflow
    screenshot(page, f"display-{orientation}-full")


def test_calls_sound_gong_then_german_then_the_tickets_language_never_overlapping(
    live_server, new_page
):
    page = open_display(new_page, live_server.url)
    assert page.evaluate("window.anlaufstelleDisplay.announcer.blocked") is False
    staff = live_server.session("clerk")
    issue(live_server.url, "adresse", "ar")
    issue(live_server.url, "adresse", "ckb")
    call_next(staff, live_server.url, "schalter-1")
    call_next(staff, live_server.url, "schalter-2")
    page.wait_for_function(
        "window.anlaufstelleDisplay.announcer.log.filter(e => e.end !== null).length >= 6 "
        "&& !window.anlaufstelleDisplay.announcer.busy",
        timeout=40_000,
    )
    log = page.evaluate("window.anlaufstelleDisplay.announcer.log")
    # The second sentence is in the language of the ticket called, which the screen never
    # receives: it asks for "visitor" and the server picks (Sorani spoken in Hawar letters).
    assert [e["clip"] for e in log] == [
        "gong",
        "speech:de",
        "speech:visitor",
        "gong",
        "speech:de",
        "speech:visitor",
    ]
    for before, after in zip(log, log[1:], strict=False):
        assert after["start"] >= before["end"], "announcements overlapped"
    # the gong is played at the display's configured volume
    assert page.evaluate("window.anlaufstelleDisplay.announcer.output.gain.value") == pytest.approx(
        0.8
    )


def test_the_display_is_right_again_within_two_seconds_after_an_outage(
    live_server, live_server_factory, sqlite_url, new_page
):
    page = open_display(new_page, live_server.url)
    crash(live_server)
    page.wait_for_selector("#offline", state="visible", timeout=5000)
    # While this screen's server is down, another server on the same database calls someone.
    other = live_server_factory(sqlite_url)
    issue(other.url, "aufenthalt", "de")
    missed = call_next(other.session("clerk"), other.url, "raum-201")
    other.stop()
    live_server.start()  # returns as soon as the server answers again
    back = time.monotonic()
    page.wait_for_function(
        "n => document.querySelector('#current .number')?.textContent === n",
        arg=missed["number"],
        timeout=2000,
    )
    assert time.monotonic() - back < 2.0
    page.wait_for_selector("#offline", state="hidden", timeout=1000)
    assert requests.get(f"{live_server.url}/api/v1/health", timeout=5).ok


def test_a_thousand_calls_leave_the_page_as_small_as_before(live_server, new_page):
    page = open_display(new_page, live_server.url)
    page.evaluate("window.anlaufstelleDisplay.announcer.speech = false")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    simulate = """([start, count]) => {
        const d = window.anlaufstelleDisplay;
        const counters = ["schalter-1", "schalter-2", "raum-201", "empfang-1"];
        for (let i = start; i < start + count; i++) {
            const counter = counters[i % counters.length];
            d.onCalled({number: `B-${String(i % 1000).padStart(3, "0")}`,
                        counter: {id: counter, label: counter},
                        called_at: new Date().toISOString(), recall: i % 10 === 5});
            d.onWaiting({"eg": i % 5, "og1": i % 11, "og2": i % 3});
            if (i % 10 === 0) d.rotate();
        }
    }"""

    def measure() -> dict[str, float]:
        cdp.send("HeapProfiler.collectGarbage")
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        metrics["elements"] = page.evaluate("document.getElementsByTagName('*').length")
        return metrics

    page.evaluate(simulate, [0, 100])
    before = measure()
    for chunk in range(10):
        page.evaluate(simulate, [100 + chunk * 100, 100])
    after = measure()
    assert page.evaluate("window.anlaufstelleDisplay.calls.length") == 8
    assert after["elements"] == before["elements"]
    assert after["Nodes"] <= before["Nodes"] + 50, (before["Nodes"], after["Nodes"])
    assert after["JSEventListeners"] <= before["JSEventListeners"] + 5
    assert after["JSHeapUsedSize"] < before["JSHeapUsedSize"] * 1.5 + 2_000_000
