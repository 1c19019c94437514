"""axe-core on every visitor surface and staff page: WCAG 2.2 AA and best practice, no findings."""

from __future__ import annotations

import pytest

from tests.display.helpers import act, call_next, issue
from tests.e2e.axe import assert_clean
from tests.e2e.conftest import screenshot
from tests.e2e.test_counter_ui import staff_page
from tests.e2e.test_kiosk import open_kiosk
from tests.kiosk.support import closed_port

pytestmark = pytest.mark.browser
RTL = {"ar", "ckb"}


def test_kiosk_steps(kiosk_server, new_page):
    server = kiosk_server()
    page = open_kiosk(new_page, server)
    assert_clean(page, "kiosk language step")
    for language in ("ar", "ckb", "de"):
        page.goto(f"{server.url}/kiosk/eingang?lang={language}")
        page.wait_for_selector('#kiosk[data-ready="true"]')
        assert_clean(page, f"kiosk concern step ({language})")
    page.click("button[data-checkin]")
    page.wait_for_selector('section[data-step="checkin"]:not([hidden])')
    page.click('button[data-action="checkin"]')  # incomplete code: the message shows
    assert_clean(page, "kiosk check-in step with a message")
    page.click('button[data-action="back"]')
    page.click('button[data-concern="adresse"]')
    page.wait_for_selector('#kiosk[data-print="printed"]', timeout=15_000)
    assert_clean(page, "kiosk ticket step")
    page.click('[data-action="listen"]')
    page.wait_for_selector("#kiosk[data-reading]")
    assert_clean(page, "kiosk ticket step while reading aloud")


def test_kiosk_when_the_printer_failed(kiosk_server, new_page):
    server = kiosk_server(printer=f"tcp://127.0.0.1:{closed_port()}")
    page = open_kiosk(new_page, server, query="?lang=ar")
    page.click('button[data-concern="adresse"]')
    page.wait_for_selector('#kiosk[data-print="print_failed"]', timeout=20_000)
    assert_clean(page, "kiosk ticket step, printer failed (ar)")


@pytest.mark.parametrize("language", ["ar", "de"])
def test_status_page_waiting_called_done(live_server, new_page, language):
    ticket = issue(live_server.url, "adresse", language)
    page = new_page(390, 844, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/t/{ticket['token']}")
    page.wait_for_function(
        "window.anlaufstelleStatus && window.anlaufstelleStatus.socket.connected"
    )
    assert_clean(page, f"status page waiting ({language})")
    staff = live_server.session("clerk")
    called = call_next(staff, live_server.url, "schalter-3")
    page.wait_for_function("!document.querySelector('[data-status=called]').hidden")
    assert_clean(page, f"status page called ({language})")
    act(staff, live_server.url, called["id"], "start")
    act(staff, live_server.url, called["id"], "finish")
    page.wait_for_function("!document.querySelector('[data-status=done]').hidden")
    assert_clean(page, f"status page done ({language})")


def test_display(live_server, new_page):
    staff = live_server.session("clerk")
    issue(live_server.url, "adresse", "ar")
    issue(live_server.url, "adresse", "ckb")
    page = new_page(1920, 1080)
    page.goto(f"{live_server.url}/display/wartebereich")
    page.wait_for_selector("#zones li")
    # The call must find the screen listening, or it arrives only in the next snapshot.
    page.wait_for_function("window.anlaufstelleDisplay?.socket?.connected === true")
    call_next(staff, live_server.url, "schalter-3")
    page.wait_for_selector("#current .call-card.fresh")
    # A fresh call flashes: check the colours at the flash's peak, not at a random moment.
    page.evaluate("document.getAnimations().forEach((a) => { a.pause(); a.currentTime = 500; })")
    assert_clean(page, "display while a call flashes")
    page.evaluate("document.getAnimations().forEach((a) => a.finish())")
    assert_clean(page, "display")


def test_invitation_pages(live_server, new_page):
    from tests.e2e.test_invitation import _book, _local
    from tests.invitations.conftest import weekday_at

    for language in ("ar", "de"):
        booked = _book(live_server, weekday_at(3, 9, 30 if language == "ar" else 45), language)
        page = new_page(1280, 900)
        for url, name in ((booked["invitation_url"], "letter"), (booked["checkin_url"], "hint")):
            response = page.goto(_local(live_server, url))
            assert response is not None and response.status == 200, name
            assert page.locator("[data-code]").count() >= 1
            assert_clean(page, f"invitation {name} ({language})")


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("clerk", "/counter/"),
        ("reception", "/counter/reception"),
        ("supervisor", "/counter/overview"),
        ("reception", "/counter/appointments"),
    ],
)
def test_staff_pages(live_server, new_page, role, path):
    issue(live_server.url, "adresse", "ar")
    live_updates = path != "/counter/appointments"
    page = staff_page(new_page, live_server, role, path, live_updates=live_updates)
    assert_clean(page, f"staff page {path}")


def test_staff_login_and_forbidden_pages(live_server, new_page):
    page = new_page(1280, 900)
    page.goto(f"{live_server.url}/counter/login")
    assert_clean(page, "login page")
    page = staff_page(new_page, live_server, "clerk")
    page.goto(f"{live_server.url}/counter/overview")
    assert_clean(page, "forbidden page")


@pytest.mark.parametrize("language", ["ar", "ckb", "de"])
def test_visitor_error_pages(live_server, new_page, language):
    page = new_page(390, 844, locale=language, is_mobile=True, has_touch=True)
    for path, name in (
        ("/t/no-such-token", "status-unknown"),
        ("/invitation/gone", "invitation-expired"),
        ("/kiosk/gone", "kiosk-out-of-order"),
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.get_attribute("html", "lang") == language
        assert page.get_attribute("html", "dir") == ("rtl" if language in RTL else "ltr")
        assert_clean(page, f"error page {path} ({language})")
        if language in RTL:
            screenshot(page, f"error-{name}-{language}")
