"""The scheduler writes down missed appointments: pages only show them, never write."""

from __future__ import annotations

import threading

from sqlalchemy import select

from server.models import Appointment, Event
from server.runtime import runtime
from server.scheduler import THREAD_NAME, Scheduler


def _state(db) -> tuple[dict[int, str], list[int]]:
    with db.reading() as session:
        statuses = dict(session.execute(select(Appointment.id, Appointment.status)).all())
        marked = [
            e.data["appointment"]
            for e in session.scalars(select(Event).where(Event.kind == "appt_no_show"))
        ]
    return statuses, marked


def test_the_scheduler_marks_each_missed_appointment_once_and_leaves_the_rest(
    app, db, site, past_booking
):
    missed = past_booking(40)
    still_open = past_booking(1)
    scheduler = Scheduler(runtime(app))
    assert scheduler.run_once() == {site.id: [missed["id"]]}
    assert scheduler.run_once() == {}
    statuses, marked = _state(db)
    assert statuses == {missed["id"]: "no_show", still_open["id"]: "booked"}
    assert marked == [missed["id"]]


def test_a_missed_appointment_can_no_longer_check_in_once_marked(app, client, past_booking):
    missed = past_booking(40)
    Scheduler(runtime(app)).run_once()
    response = client.post(
        "/api/v1/checkin", json={"site": "musterstadt", "code": missed["raw_code"]}
    )
    assert 400 <= response.status_code < 500, response.data
    assert response.get_json()["error"]["code"] == "checkin_too_late"


def test_the_job_thread_runs_the_mark_on_its_own(app, db, past_booking):
    missed = past_booking(40)
    scheduler = Scheduler(runtime(app), interval=0.05)
    scheduler.start()
    try:
        for _ in range(200):
            if _state(db)[0][missed["id"]] == "no_show":
                break
            threading.Event().wait(0.05)
    finally:
        scheduler.stop()
    assert _state(db)[0][missed["id"]] == "no_show"


def test_a_testing_app_starts_no_job_thread_by_itself(db, client, past_booking):
    missed = past_booking(40)
    assert client.get("/api/v1/health").status_code == 200
    assert THREAD_NAME not in {t.name for t in threading.enumerate() if t.is_alive()}
    assert _state(db)[0][missed["id"]] == "booked"
