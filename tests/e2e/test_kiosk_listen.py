"""Read aloud on the kiosk in Chromium: real sound from espeak-ng, each concern highlighted."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot
from tests.e2e.test_kiosk import open_kiosk

pytestmark = pytest.mark.browser

RECORD_READING = """() => {
  window.readings = [];
  window.played = [];
  const root = document.getElementById("kiosk");
  new MutationObserver(() => {
    const now = root.dataset.reading;
    if (now && window.readings.at(-1) !== now) window.readings.push(now);
  }).observe(root, { attributes: true, attributeFilter: ["data-reading"] });
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    this.addEventListener("ended", () => window.played.push(this.duration));
    this.addEventListener("error", () => window.played.push("error"));
    return play.call(this);
  };
}"""


def readings(page) -> list[str]:
    return page.evaluate("window.readings")


@pytest.mark.parametrize("language", ["ar", "ku", "ckb"])
def test_the_concern_step_is_read_aloud_highlighting_each_concern(kiosk_server, new_page, language):
    server = kiosk_server()
    page = open_kiosk(new_page, server, query=f"?lang={language}")
    page.evaluate(RECORD_READING)
    concerns = page.eval_on_selector_all(
        "section[data-step=concern] button[data-concern]", "bs => bs.map(b => b.dataset.concern)"
    )

    page.click('[data-action="listen"]')

    assert page.get_attribute('[data-action="listen"]', "aria-pressed") == "true"
    # The question first, then the concerns one after another, in the order on screen.
    page.wait_for_function("window.readings.length >= 4", timeout=30_000)
    assert readings(page)[:4] == ["concern_title", *concerns[:3]]
    highlighted = page.eval_on_selector_all(
        "button.reading", "bs => bs.map(b => b.dataset.concern)"
    )
    assert highlighted == [readings(page)[-1]]
    # Each phrase played to its end with real sound (a second or so of speech).
    durations = page.evaluate("window.played")
    assert len(durations) >= 3 and all(isinstance(d, float) and 0.3 < d < 15 for d in durations), (
        durations
    )
    screenshot(page, f"kiosk-listen-concern-{language}")

    page.click('[data-action="listen"]')  # a second touch stops reading
    assert page.get_attribute('[data-action="listen"]', "aria-pressed") == "false"
    assert page.locator("button.reading").count() == 0


def test_the_language_step_asks_in_every_language_in_turn(kiosk_server, new_page):
    server = kiosk_server()
    page = open_kiosk(new_page, server)
    page.evaluate(RECORD_READING)
    page.click('[data-action="listen"]')
    page.wait_for_function("window.readings.length >= 3", timeout=30_000)
    assert readings(page)[:3] == ["de", "en", "ar"]
    screenshot(page, "kiosk-listen-language")

    page.click('button[data-lang="ckb"]')  # touching a language stops reading and goes on
    assert page.locator("button.reading").count() == 0
    assert page.get_attribute("#kiosk", "data-step") == "concern"


def test_the_ticket_step_says_the_number_and_where_to_wait(kiosk_server, new_page):
    server = kiosk_server()
    page = open_kiosk(new_page, server, query="?lang=ckb")
    page.click('button[data-concern="adresse"]')
    page.wait_for_selector('section[data-step="ticket"]:not([hidden])')
    page.evaluate(RECORD_READING)
    requested: list[str] = []
    page.on("request", lambda r: "/listen?" in r.url and requested.append(r.url))

    page.click('[data-action="listen"]')
    page.wait_for_function("window.readings.length >= 3", timeout=30_000)

    assert readings(page)[:3] == ["your_number", "number", "next_steps"]
    number = page.inner_text("#ticket-number")
    assert any(f"number={number}" in url and "lang=ckb" in url for url in requested)
    screenshot(page, "kiosk-listen-ticket-ckb")
