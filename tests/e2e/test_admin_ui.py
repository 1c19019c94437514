"""The admin pages in chromium: users and audit trail in German and English; expired letters."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.conftest import PASSWORD, ROOT
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.browser
SIZE = {"width": 1500, "height": 1000}


def _admin_page(new_page, live, lang: str):
    name = live.add_user("admin")
    page = new_page(SIZE["width"], SIZE["height"], locale="de-DE" if lang == "de" else "en-GB")
    page.goto(f"{live.url}/counter/login?lang={lang}&next=/counter/admin/users")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/counter/admin/users*")
    return page, name


@pytest.mark.parametrize("lang", ["de", "en"])
def test_an_admin_manages_users_and_reads_the_audit_trail_in_the_browser(
    new_page, live_server, lang
):
    live_server.add_user("clerk", "schalter-" + lang)
    requests.post(
        f"{live_server.url}/api/v1/session",
        json={"username": "schalter-" + lang, "password": "falsch-falsch"},
        timeout=10,
    )
    page, admin = _admin_page(new_page, live_server, lang)
    page.goto(f"{live_server.url}/counter/admin/users?lang={lang}")
    form = page.locator("form.admin-form")
    form.locator("input[name=username]").fill("neu-" + lang)
    form.locator("select[name=role]").select_option("reception")
    form.locator("input[name=password]").fill("Kirschbaum-Laterne-7")
    form.locator("input[value=ar]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f'tr[data-user="neu-{lang}"]')
    assert page.locator("p.flash.ok").count() == 1
    row = page.locator(f'tr[data-user="schalter-{lang}"]')
    row.locator("input[name=what][value=deactivate] ~ button").click()
    page.wait_for_selector(f'tr.inactive[data-user="schalter-{lang}"]')
    assert page.get_attribute("html", "lang") == lang
    screenshot(page, f"admin-users-{lang}")

    page.goto(f"{live_server.url}/counter/admin/audit?lang={lang}")
    actions = page.locator("tr[data-action]")
    seen = {actions.nth(i).get_attribute("data-action") for i in range(actions.count())}
    assert {"login", "login_failed", "user_created", "user_deactivated"} <= seen
    screenshot(page, f"admin-audit-{lang}")
    page.select_option("select[name=action]", "login_failed")
    page.click("form.admin-form button[type=submit]")
    page.wait_for_url("**action=login_failed*")
    only = page.locator("tr[data-action]")
    assert {only.nth(i).get_attribute("data-action") for i in range(only.count())} == {
        "login_failed"
    }
    with page.expect_download() as download:
        page.click("a.button[download]")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("at,actor,action,target,ip,site") and "login_failed" in text


@pytest.mark.parametrize("language", ["ar", "ckb", "de"])
def test_an_old_letter_after_pseudonymisation_says_expired_in_its_language(
    new_page, live_server, language
):
    staff = live_server.session("reception")
    from datetime import UTC, datetime, timedelta

    day = datetime.now(UTC) + timedelta(days=1)
    while day.weekday() > 4:
        day += timedelta(days=1)
    start = day.replace(hour=9, minute=0, second=0, microsecond=0)
    booked = staff.post(
        f"{live_server.url}/api/v1/appointments",
        json={
            "site": "musterstadt",
            "queue": "core-abh",
            "start": start.isoformat(),
            "language": language,
        },
        timeout=10,
    )
    assert booked.status_code == 201, booked.text
    code = booked.json()["code"].replace("-", "")
    as_of = (start + timedelta(days=40)).date().isoformat()
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "retention", "run", "--as-of", as_of],
        env=live_server.env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "appointments pseudonymised: 1" in done.stdout, done.stdout + done.stderr
    page = new_page(420, 800)
    response = page.goto(f"{live_server.url}/c/{code}")
    assert response is not None and response.status == 410
    assert page.get_attribute("html", "lang") == language
    assert page.get_attribute("html", "dir") == ("rtl" if language in ("ar", "ckb") else "ltr")
    screenshot(page, f"invitation-expired-{language}")
