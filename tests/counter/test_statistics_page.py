"""The supervisor's statistics page: tables without JavaScript, exports, advice, what-if."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest

from server.domain.numbering import service_day
from server.services.clock import utcnow
from server.services.history import add_demo_history


@pytest.fixture
def boss(app, db, login):
    site = app.extensions["anlaufstelle"].settings.sites[0]
    with db.writing() as session:
        add_demo_history(session, site, 4, service_day(utcnow(), site.timezone))
    return login("supervisor")


def test_only_supervisors_open_the_statistics_page(login):
    assert login("clerk").get("/counter/statistics").status_code == 403
    assert 'href="/counter/statistics"' in login("supervisor").get("/counter/").text
    assert 'href="/counter/statistics"' not in login("clerk").get("/counter/").text


def test_the_page_shows_tables_advice_and_exports_in_german(boss):
    page = boss.get("/counter/statistics", headers={"Accept-Language": "de"})
    assert page.status_code == 200
    html = page.text
    assert '<html lang="de" dir="ltr">' in html
    assert "Kennzahlen" in html and "Personalempfehlung" in html
    # The tables carry the figures without JavaScript: a heat map row per open weekday.
    assert "Montag" in html and "Samstag" not in html
    assert re.search(r'class="num heat-5"', html)
    assert "Ausländerbehörde – Schnellschalter" in html
    assert re.search(r"Schalter benötigt, [\d,]+ geplant", html)
    assert re.search(r'href="/api/v1/sites/musterstadt/statistics\?[^"]*format=xlsx', html)
    # Charts get their data from a JSON block, not from inline script.
    block = re.search(r'<script id="stats-data" type="application/json">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert len(data["days"]) == len(data["waits"]["mean"]) >= 15  # four weeks, no weekends
    assert data["heat"]["weekdays"][0] == "Montag"
    assert "style=" not in html and "<script>" not in html


def test_the_page_speaks_english_on_request(boss):
    html = boss.get("/counter/statistics?lang=en").text
    assert '<html lang="en" dir="ltr">' in html
    assert "Key figures" in html and "Staffing advice for the next seven days" in html
    assert "counters needed" in html and "Monday" in html


def test_the_export_links_answer_with_files(boss):
    html = boss.get("/counter/statistics").text
    links = [h.replace("&amp;", "&") for h in re.findall(r'href="(/api/v1/[^"]+)"', html)]
    assert len(links) == 3
    types = {boss.get(link).mimetype for link in links}
    assert types == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


def test_what_if_simulates_the_counters_asked_for(boss):
    today = date.today()
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    base = f"/counter/statistics?lang=en&wi_queue=bo-abh&wi_day={monday}"
    few = boss.get(base + "&h8=1&h9=1&h10=1&h11=1&h12=1&h13=1&h14=1&h15=1").text
    many = boss.get(base + "&h8=4&h9=4&h10=4&h11=4&h12=4&h13=4&h14=4&h15=4").text

    def share(html: str) -> float:
        found = re.search(r"([\d.]+) % called within the target", html)
        assert found, html[html.find("what-if") : html.find("what-if") + 3000]
        return float(found.group(1))

    assert share(many) > share(few)


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-12-02&to=2026-12-01",
        "from=2020-01-01&to=2026-12-01",
        "queue=nowhere",
        "wi_queue=bo-abh&wi_day=soon",
        "wi_queue=bo-abh&wi_day=2026-12-07&h9=-3",
    ],
)
def test_bad_input_gives_a_clear_message_not_an_error_page(boss, query):
    response = boss.get(f"/counter/statistics?lang=en&{query}")
    assert response.status_code == 422
    assert "Please check the form" in response.text
