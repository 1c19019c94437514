"""The site overview: counters' live state, queues against targets, who waits."""

from __future__ import annotations

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from server.domain.lifecycle import Action
from server.models import Appointment
from server.services import calling, issuing, moves, overview
from server.services import queues as queue_days
from server.services.clock import utcnow
from tests.counter.conftest import SITE


def test_counters_show_whom_they_call_and_who_is_parked(database, site):
    db = database
    now = utcnow()
    with db.writing() as session:
        for _ in range(3):
            issuing.issue(session, site, concern_id="adresse", language="ar", now=now)
        first = calling.next_call(session, site, "schalter-1", now=now).ticket
        assert first is not None
        moves.act(session, first.id, Action.PARK, now=now)
        second = calling.next_call(session, site, "schalter-1", now=now).ticket
        assert second is not None
        moves.act(session, second.id, Action.START, now=now)
    with db.reading() as session:
        state = {c["id"]: c for c in overview.counters_state(session, site)}
    assert state["schalter-1"]["status"] == "serving"
    assert state["schalter-1"]["current"]["number"] == second.number
    assert state["schalter-1"]["parked"] == [
        {"id": first.id, "number": first.number, "queue": "bo-abh"}
    ]
    assert state["schalter-2"]["status"] == "idle"
    assert state["schalter-2"]["current"] is None


def test_share_within_target_counts_late_calls_and_late_waiters_as_misses(database, site):
    db = database
    # Noon of the site's day: run just after local midnight, "target + 5 minutes ago"
    # would fall on yesterday's service day, which today's share does not count.
    local = utcnow().astimezone(ZoneInfo(site.timezone))
    now = local.replace(hour=12, minute=0, second=0, microsecond=0).astimezone(UTC)
    target = site.queue("bo-abh").target.minutes
    with db.writing() as session:
        issuing.issue(
            session,
            site,
            concern_id="adresse",
            language="de",
            now=now - timedelta(minutes=target + 5),
        )
        calling.next_call(session, site, "schalter-1", queue_id="bo-abh", now=now)  # late
        issuing.issue(
            session, site, concern_id="adresse", language="de", now=now - timedelta(minutes=1)
        )
        calling.next_call(session, site, "schalter-2", queue_id="bo-abh", now=now)  # in time
        issuing.issue(
            session,
            site,
            concern_id="adresse",
            language="de",
            now=now - timedelta(minutes=target + 1),
        )  # still waiting, already late
        issuing.issue(session, site, concern_id="adresse", language="de", now=now)
    with db.reading() as session:
        shares = overview.target_shares(session, site, now)
    assert shares["bo-abh"] == {
        "called_today": 2,
        "called_within_target": 1,
        "within_target_share": round(1 / 3, 3),
    }
    assert shares["bo-leistung"]["within_target_share"] is None


def test_the_overview_marks_closed_queues_and_due_appointments(db, site, login):
    now = utcnow()
    with db.writing() as session:
        queue_days.set_closed(session, site, "core-wohnen", True, now=now)
        appointment = Appointment(
            site_id=site.id,
            queue_id="core-abh",
            start=now,
            language="ar",
            code="T3ST0001",
            token="t" * 40,
            status="booked",
            created_at=now,
            seat=1,
        )
        session.add(appointment)
        session.flush()
        issuing.issue(
            session,
            site,
            concern_id=None,
            queue_id="core-abh",
            language="ar",
            appointment=appointment,
            now=now,
        )
        issuing.issue(session, site, concern_id="aufenthalt", language="de", now=now)
    body = login("clerk").get(f"/api/v1/sites/{SITE}/overview").get_json()
    queues = {q["id"]: q for q in body["queues"]}
    assert queues["core-wohnen"]["closed"] is True
    assert queues["core-abh"]["closed"] is False
    assert queues["core-abh"]["waiting"] == 2
    waiting = [t for t in body["waiting"] if t["queue"] == "core-abh"]
    assert [(t["appointment"], t["appointment_due"]) for t in waiting] == [
        (True, True),
        (False, False),
    ]


def test_counters_state_endpoint_needs_a_login(client, login):
    assert client.get(f"/api/v1/sites/{SITE}/counters/state").status_code == 401
    body = login("clerk").get(f"/api/v1/sites/{SITE}/counters/state").get_json()
    assert {c["id"] for c in body} >= {"schalter-1", "raum-201"}
    assert all(c["status"] == "idle" for c in body)
