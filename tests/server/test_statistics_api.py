"""Statistics, forecast and exports over the API; the history import on the command line."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import func, select

from server.cli import main
from server.domain.history import BadLine
from server.models import HistoryVisit, Ticket
from server.services.history import add_demo_history, import_csv

BERLIN = ZoneInfo("Europe/Berlin")
HEADER = "queue,arrived_at,called_at,finished_at,outcome,language"
URL = "/api/v1/sites/musterstadt/statistics"


def _line(queue: str, arrived: datetime, wait: float | None, service: float | None, outcome: str):
    called = arrived + timedelta(minutes=wait) if wait is not None else None
    finished = called + timedelta(minutes=service) if called and service is not None else None
    iso = lambda t: t.isoformat() if t else ""  # noqa: E731
    return f"{queue},{iso(arrived)},{iso(called)},{iso(finished)},{outcome},de"


MONDAY = datetime(2026, 11, 2, 9, 10, tzinfo=BERLIN)
HISTORY = [
    HEADER,
    _line("bo-abh", MONDAY, 10, 5, "done"),
    _line("bo-abh", MONDAY + timedelta(minutes=5), 30, 8, "done"),
    _line("bo-abh", MONDAY + timedelta(minutes=55), 2, None, "no_show"),
    _line("reception", MONDAY + timedelta(hours=1), 1, 2, "transferred"),
    _line("bo-abh", MONDAY + timedelta(days=1), None, None, "cancelled"),
]


@pytest.fixture
def boss(app, db, login):
    site = app.extensions["anlaufstelle"].settings.sites[0]
    with db.writing() as session:
        import_csv(session, site, HISTORY)
    return login("supervisor")


def test_imported_history_counts_in_the_statistics_per_day_and_hour(boss):
    answer = boss.get(f"{URL}?from=2026-11-02&to=2026-11-03&by=hour").json
    assert (answer["from"], answer["to"], answer["by"]) == ("2026-11-02", "2026-11-03", "hour")
    rows = {(r["queue"], r["day"], r["hour"]): r for r in answer["rows"]}
    nine = rows[("bo-abh", "2026-11-02", 9)]
    assert (nine["arrivals"], nine["called"], nine["no_show"]) == (2, 2, 0)
    assert nine["mean_wait_minutes"] == 20.0 and nine["within_target_percent"] == 50.0
    assert nine["mean_service_minutes"] == 6.5
    assert rows[("bo-abh", "2026-11-02", 10)]["no_show"] == 1
    assert rows[("reception", "2026-11-02", 10)]["transferred"] == 1
    assert rows[("bo-abh", "2026-11-03", 9)]["called"] == 0
    days = boss.get(f"{URL}?from=2026-11-02&to=2026-11-03&queue=bo-abh").json["rows"]
    assert [(r["day"], r["arrivals"]) for r in days] == [("2026-11-02", 3), ("2026-11-03", 1)]


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-11-03&to=2026-11-02",
        "from=2024-01-01&to=2026-11-02",
        "from=2026-13-01",
        "by=week",
        "format=pdf",
        "queue=nowhere",
    ],
)
def test_bad_statistics_requests_are_refused_with_a_json_error(boss, query):
    response = boss.get(f"{URL}?{query}")
    assert response.status_code == 422
    assert set(response.json["error"]) >= {"code", "message"}


def test_statistics_and_forecast_need_a_supervisor(client, login):
    assert client.get(URL).status_code == 401
    clerk = login("clerk")
    assert clerk.get(URL).status_code == 403
    assert clerk.get("/api/v1/sites/musterstadt/forecast").status_code == 403


def test_the_csv_export_reads_back_with_the_csv_module(boss):
    response = boss.get(f"{URL}?from=2026-11-02&to=2026-11-03&format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    json_rows = boss.get(f"{URL}?from=2026-11-02&to=2026-11-03").json["rows"]
    assert len(rows) == len(json_rows) == 3
    assert set(rows[0]) == set(json_rows[0])
    first = next(r for r in rows if r["queue"] == "bo-abh" and r["day"] == "2026-11-02")
    assert (first["arrivals"], first["mean_wait_minutes"]) == ("3", "14.0")
    empty = boss.get(f"{URL}?from=2026-01-05&to=2026-01-06&format=csv").get_data(as_text=True)
    assert empty.splitlines()[0].startswith("queue,day,arrivals,")


def test_the_xlsx_export_has_one_sheet_per_view_with_german_formats(boss):
    response = boss.get(f"{URL}?from=2026-11-02&to=2026-11-03&format=xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["day", "queue", "weekday_hour"]
    sheet = book["day"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["queue", "day", "arrivals"]
    day_cell = sheet.cell(row=2, column=2)
    assert day_cell.value == datetime(2026, 11, 2) and day_cell.number_format == "DD.MM.YYYY"
    wait = sheet.cell(row=2, column=header.index("mean_wait_minutes") + 1)
    assert wait.value == 14.0 and wait.number_format == "#,##0.0"
    assert book["weekday_hour"].cell(row=2, column=2).value == 1  # Monday
    hourly = boss.get(f"{URL}?from=2026-11-02&to=2026-11-03&format=xlsx&by=hour")
    book = openpyxl.load_workbook(io.BytesIO(hourly.data))
    assert book.sheetnames == ["hour", "day", "queue", "weekday_hour"]
    assert [c.value for c in book["hour"][2]][:3] == ["bo-abh", datetime(2026, 11, 2), 9]


def test_the_forecast_follows_the_history_and_advises_counters(app, db, login):
    site = app.extensions["anlaufstelle"].settings.sites[0]
    today = date(2026, 11, 30)
    with db.writing() as session:
        add_demo_history(session, site, 8, today)
    boss = login("supervisor")
    rows = boss.get("/api/v1/sites/musterstadt/forecast?from=2026-11-30&days=7").json["rows"]
    assert rows and {r["day"] for r in rows} <= {f"2026-12-0{d}" for d in range(1, 5)} | {
        "2026-11-30"
    }
    assert not any(date.fromisoformat(r["day"]).isoweekday() > 5 for r in rows)
    row = next(r for r in rows if r["queue"] == "bo-abh" and r["day"] == "2026-11-30")
    assert set(row) == {
        "queue",
        "day",
        "hour",
        "arrivals",
        "service_minutes",
        "target",
        "counters_needed",
        "counters_planned",
    }
    assert row["target"] == {"percent": 80, "minutes": 20}
    assert row["counters_planned"] == 2.0  # 0.75 + 0.75 + 0.25 + 0.25 of four counters
    monday_nine = next(
        r for r in rows if r["queue"] == "bo-abh" and r["day"] == "2026-11-30" and r["hour"] == 9
    )
    tuesday_nine = next(
        r for r in rows if r["queue"] == "bo-abh" and r["day"] == "2026-12-01" and r["hour"] == 9
    )
    assert monday_nine["arrivals"] > tuesday_nine["arrivals"]
    assert monday_nine["counters_needed"] >= tuesday_nine["counters_needed"] >= 1
    for query in ("days=0", "days=100", "days=x", "from=soon", "queue=nowhere"):
        answer = boss.get(f"/api/v1/sites/musterstadt/forecast?{query}")
        assert answer.status_code == 422, query


def test_the_demo_history_is_added_once(app, db):
    site = app.extensions["anlaufstelle"].settings.sites[0]
    with db.writing() as session:
        first = add_demo_history(session, site, 2, date(2026, 11, 30))
    with db.writing() as session:
        again = add_demo_history(session, site, 2, date(2026, 11, 30))
        stored = session.scalar(select(func.count()).select_from(HistoryVisit))
    assert first > 100 and again == 0 and stored == first


def test_a_ticket_keeps_the_wait_it_was_told_at_issue(client, db):
    for _ in range(3):
        told = client.post(
            "/api/v1/tickets", json={"site": "musterstadt", "concern": "fiktion", "language": "de"}
        ).json["estimated_wait_minutes"]
    with db.reading() as session:
        stored = session.scalars(select(Ticket.estimated_wait_minutes).order_by(Ticket.id)).all()
    assert stored[-1] == told and stored[0] == 0 and told > 0


# ----------------------------------------------------------------- import, both databases


def test_a_bad_line_imports_nothing_on_either_database(database, settings):
    site = settings.sites[0]
    lines = [*HISTORY, "bo-abh,2026-11-04T09:00:00,,,cancelled,de"]
    with pytest.raises(BadLine, match="line 7: .*no offset"):
        with database.writing() as session:
            import_csv(session, site, lines)
    with database.reading() as session:
        assert session.scalar(select(func.count()).select_from(HistoryVisit)) == 0
    with database.writing() as session:
        assert import_csv(session, site, HISTORY) == 5
    with database.reading() as session:
        arrived = session.scalars(select(HistoryVisit.arrived_at).order_by(HistoryVisit.id)).first()
    assert arrived == MONDAY.astimezone(UTC)


# ----------------------------------------------------------------- the command line


@pytest.fixture
def cli_env(sqlite_url, monkeypatch):
    monkeypatch.setenv("ANLAUFSTELLE_DATABASE_URL", sqlite_url)
    assert main(["db", "upgrade"]) == 0
    return sqlite_url


def _count(url: str) -> int:
    from server.db import Database, make_engine

    db = Database(make_engine(url))
    with db.reading() as session:
        count = session.scalar(select(func.count()).select_from(HistoryVisit))
    db.dispose()
    return int(count or 0)


def test_history_import_on_the_command_line_is_all_or_nothing(cli_env, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([*HISTORY, "core-nowhere,2026-11-04T09:00:00+01:00,,,cancelled,de"]))
    assert main(["history", "import", str(bad), "--site", "musterstadt"]) == 1
    err = capsys.readouterr().err
    assert "line 7" in err and "unknown queue 'core-nowhere'" in err and "nothing" in err
    assert _count(cli_env) == 0
    good = tmp_path / "good.csv"
    good.write_text("\n".join(HISTORY) + "\n")
    assert main(["history", "import", str(good)]) == 0
    assert "imported 5" in capsys.readouterr().out
    assert _count(cli_env) == 5


def test_history_import_refuses_a_file_that_is_not_csv(cli_env, tmp_path, capsys):
    picture = tmp_path / "photo.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    assert main(["history", "import", str(picture)]) == 1
    assert "nothing was imported" in capsys.readouterr().err
    assert main(["history", "import", str(tmp_path / "missing.csv")]) == 1
    assert main(["history", "import", str(picture), "--site", "elsewhere"]) == 1
    assert _count(cli_env) == 0


def test_demo_history_on_the_command_line_runs_once(cli_env, capsys):
    assert main(["demo", "history", "--weeks", "2"]) == 0
    first = _count(cli_env)
    assert main(["demo", "history", "--weeks", "2"]) == 0
    assert "has it already" in capsys.readouterr().out
    assert _count(cli_env) == first > 0


# ----------------------------------------------------------------- the daily rollup


def test_closed_days_are_stored_once_and_an_import_sums_them_up_again(database, settings):
    from server.domain.aggregate import View, rows
    from server.models import StatisticsDay
    from server.services.rollup import summaries

    site = settings.sites[0]
    with database.writing() as session:
        import_csv(session, site, HISTORY)
    first, last, today = date(2026, 11, 1), date(2026, 11, 9), date(2026, 11, 12)
    targets = {q.id: q.target.minutes for q in site.queues}
    live = rows(summaries(database, site, first, last, first).summaries, View.HOUR, targets)
    stored = rows(summaries(database, site, first, last, today).summaries, View.HOUR, targets)
    again = rows(summaries(database, site, first, last, today).summaries, View.HOUR, targets)
    assert stored == live == again and live
    # One summary per queue and day gives the same daily rows as the hours added up.
    for when in (first, today):
        daily = summaries(database, site, first, last, when, by_day=True).summaries
        assert rows(daily, View.DAY, targets) == rows(
            summaries(database, site, first, last, when).summaries, View.DAY, targets
        )
    with database.reading() as session:
        assert session.scalar(select(func.count()).select_from(StatisticsDay)) == 9
    more = [HEADER, _line("bo-abh", MONDAY + timedelta(minutes=20), 4, 5, "done")]
    with database.writing() as session:
        import_csv(session, site, more)
    found = summaries(database, site, first, last, today, by_day=True)
    updated = rows(found.summaries, View.DAY, targets, merge=True)
    assert updated[0]["day"] == "2026-11-02" and updated[0]["arrivals"] == 5


def test_every_export_is_recorded_in_the_audit_trail(boss, login):
    assert boss.get(f"{URL}?from=2026-11-02&to=2026-11-03&format=csv").status_code == 200
    assert boss.get(f"{URL}?from=2026-11-02&to=2026-11-03&format=xlsx").status_code == 200
    rows = login("admin").get("/api/v1/audit?action=export").json["rows"]
    targets = [r["target"] for r in rows]
    assert any(t.endswith(".csv") for t in targets) and any(t.endswith(".xlsx") for t in targets)
