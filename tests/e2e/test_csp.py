"""Every page works under the strict Content-Security-Policy: chromium reports no violation."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot
from tests.invitations.conftest import QUEUE, weekday_at

pytestmark = pytest.mark.browser
SITE = "musterstadt"

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${where}`);
});
"""


def _violations(page) -> list[str]:
    page.wait_for_timeout(600)  # late scripts (socket connect, timers) get their chance
    return page.evaluate("window.__cspViolations")


def test_no_page_breaks_the_content_security_policy(live_server, new_page):
    live = live_server
    staff = live.session("admin")
    ticket = requests.post(
        f"{live.url}/api/v1/tickets",
        json={"site": SITE, "concern": "aufenthalt", "language": "ar"},
        timeout=10,
    ).json()
    booked = staff.post(
        f"{live.url}/api/v1/appointments",
        json={
            "site": SITE,
            "queue": QUEUE,
            "start": weekday_at(3, 9, 30).isoformat(),
            "language": "ckb",
        },
        timeout=10,
    )
    assert booked.status_code == 201, booked.text
    appointment = booked.json()
    invitation = urlsplit(appointment["invitation_url"]).path
    public = [
        ("/", "index"),
        ("/kiosk/eingang?lang=ar", "kiosk"),
        ("/display/wartebereich", "display"),
        (urlsplit(ticket["status_url"]).path + "?lang=ar", "status"),
        (invitation, "letter"),
        (f"/c/{appointment['code']}", "checkin-hint"),
        ("/counter/login?lang=ckb", "login"),
    ]
    staff_pages = [
        ("/counter/", "counter"),
        ("/counter/reception", "reception"),
        ("/counter/overview", "overview"),
        ("/counter/appointments", "appointments"),
        (f"/counter/appointments/{appointment['id']}/rebook", "rebook"),
        ("/counter/kiosks", "kiosks"),
        ("/counter/kiosks?lang=en", "kiosks-en"),
    ]
    page = new_page(1280, 900, bypass_csp=False)
    page.add_init_script(LISTEN)
    seen: dict[str, list[str]] = {}
    for path, name in public:
        response = page.goto(live.url + path)
        assert response is not None and response.ok, (path, response and response.status)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        seen[name] = _violations(page)
        screenshot(page, f"csp-{name}")
    # The letter's print button works without its former inline onclick.
    page.goto(live.url + invitation)
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.click("#print-letter")
    assert page.evaluate("window.__printed === true")
    # Log in through the form, then every staff page.
    name = live.add_user("admin")
    page.goto(live.url + "/counter/login?next=/counter/overview")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/counter/overview*")
    for path, label in staff_pages:
        response = page.goto(live.url + path)
        assert response is not None and response.ok, (path, response and response.status)
        assert response.headers["cache-control"] == "no-store"
        seen[label] = _violations(page)
        screenshot(page, f"csp-{label}")
    assert {k: v for k, v in seen.items() if v} == {}
    # The listener hears a breach: an inline style attribute is blocked and reported.
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    assert any("style-src" in v for v in _violations(page))
    assert len(seen) == len(public) + len(staff_pages)
