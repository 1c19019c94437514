"""Check-in at the kiosk: every answer of POST /api/v1/checkin, and who is called first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server.domain.booking import Wanted
from server.services import appointments, calling, issuing
from tests.invitations.conftest import QUEUE, next_boundary


def _checkin(client, code: str, **extra: object):
    return client.post("/api/v1/checkin", json={"site": "musterstadt", "code": code, **extra})


def _soon(minutes: int = 1) -> datetime:
    """A slot start within the check-in window (it opens 60 minutes before the start)."""
    return next_boundary(datetime.now(UTC) + timedelta(minutes=minutes))


def test_checkin_gives_a_ticket_of_the_appointment_queue(client, book):
    booked = book(_soon(), language="ckb")
    response = _checkin(client, booked["code"])
    assert response.status_code == 201, response.data
    ticket = response.get_json()
    assert ticket["appointment"] is True
    assert ticket["number"].startswith("C-")  # the prefix of core-abh
    assert ticket["queue"] == QUEUE
    assert ticket["language"] == "ckb"
    assert ticket["status"] == "waiting"
    assert client.get(f"/api/v1/tickets/{ticket['token']}").get_json()["appointment"] is True


def test_code_is_accepted_without_hyphen_in_lower_case_and_as_the_letter_url(client, book):
    for index, variant in enumerate(
        (
            lambda code, raw: raw.lower(),
            lambda code, raw: f" {code.lower()} ",
            lambda code, raw: f"http://127.0.0.1:5000/c/{raw}",
        )
    ):
        booked = book(_soon(1 + 15 * index))  # a slot has two seats: one slot each
        response = _checkin(client, variant(booked["code"], booked["raw_code"]))
        assert response.status_code == 201, response.data


def test_second_checkin_with_the_same_code_is_refused(client, book):
    booked = book(_soon())
    assert _checkin(client, booked["code"]).status_code == 201
    again = _checkin(client, booked["code"])
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "already_checked_in"


def test_a_kiosk_retry_with_the_same_idempotency_key_gets_the_same_ticket(client, book):
    booked = book(_soon())
    first = _checkin(client, booked["code"], idempotency_key="scan-1")
    retry = _checkin(client, booked["code"], idempotency_key="scan-1")
    assert first.status_code == retry.status_code == 201
    assert first.get_json()["number"] == retry.get_json()["number"]
    assert _checkin(client, booked["code"], idempotency_key="scan-2").status_code == 409


def test_unknown_and_malformed_codes_are_404(client, book):
    book(_soon())
    for code in ("ACDE-FH34", "0000-0000", "", "B-042", "http://example.org/t/abc"):
        response = _checkin(client, code or " ")
        assert response.status_code in (404, 422), code
        if code:
            assert response.status_code == 404
            assert response.get_json()["error"]["code"] == "unknown_code"


def test_too_early_says_when_to_come_back(client, book):
    start = next_boundary(datetime.now(UTC) + timedelta(hours=3))
    booked = book(start)
    response = _checkin(client, booked["code"])
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "checkin_too_early"
    assert datetime.fromisoformat(error["come_back_at"]) == start - timedelta(minutes=60)


def test_too_late_after_the_window(client, past_booking):
    booked = past_booking(30)  # the window closes 15 minutes after the start
    response = _checkin(client, booked["code"])
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "checkin_too_late"


def test_a_little_late_is_still_in_the_window(client, past_booking):
    booked = past_booking(1)  # started between 1 and 15 minutes ago
    assert _checkin(client, booked["code"]).status_code == 201


def test_a_cancelled_appointment_cannot_check_in(client, book, login):
    booked = book(_soon())
    staff = login("reception")
    assert staff.post(f"/api/v1/appointments/{booked['id']}/cancel").status_code == 200
    response = _checkin(client, booked["code"])
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "appointment_cancelled"


def test_checkin_at_another_site_or_kiosk_unknown_is_refused(client, book):
    booked = book(_soon())
    assert (
        client.post(
            "/api/v1/checkin", json={"site": "elsewhere", "code": booked["code"]}
        ).status_code
        == 404
    )
    assert _checkin(client, booked["code"], kiosk="nope").status_code == 404
    assert _checkin(client, booked["code"]).status_code == 201


def _walk_ins(db, site, now: datetime, count: int) -> list[int]:
    ids = []
    with db.writing() as session:
        for minute in range(count):
            ticket = issuing.issue(
                session,
                site,
                concern_id="aufenthalt",
                language="de",
                now=now - timedelta(minutes=40 - minute),
            )
            ids.append(ticket.id)
    return ids


def _checked_in(db, site, start: datetime, now: datetime) -> int:
    with db.writing() as session:
        wanted = Wanted(QUEUE, start, "ar")
        appointment = appointments.book(session, site, wanted, now=now - timedelta(days=1))
        return appointments.check_in(session, site, appointment.code, now=now).id


def _call(db, site, now: datetime) -> int | None:
    with db.writing() as session:
        ticket = calling.next_call(session, site, "raum-201", now=now).ticket
        return ticket.id if ticket else None


T0 = datetime(2026, 12, 1, 11, 55, tzinfo=UTC)  # a Tuesday, 12:55 in Berlin


def test_a_due_appointment_is_called_before_three_older_walk_ins(db, site):
    walk_ins = _walk_ins(db, site, T0, 3)
    appointment_ticket = _checked_in(db, site, T0 + timedelta(minutes=5), T0)
    assert _call(db, site, T0) == appointment_ticket
    assert _call(db, site, T0) == walk_ins[0]


def test_an_appointment_not_yet_due_waits_behind_the_walk_ins(db, site):
    walk_ins = _walk_ins(db, site, T0, 3)
    appointment_ticket = _checked_in(db, site, T0 + timedelta(minutes=35), T0)
    assert _call(db, site, T0) == walk_ins[0]
    assert _call(db, site, T0 + timedelta(minutes=5)) == walk_ins[1]
    # Ten minutes before its start it is due and goes before the last walk-in.
    assert _call(db, site, T0 + timedelta(minutes=25)) == appointment_ticket
    assert _call(db, site, T0 + timedelta(minutes=30)) == walk_ins[2]


def test_reading_the_list_shows_missed_appointments_as_no_show_but_writes_nothing(
    db,
    site,
    book,
    past_booking,
    login,
):
    missed = past_booking(40)
    still_open = past_booking(1)
    future = book(_soon(30))
    day = datetime.fromisoformat(missed["start"]).date()
    listed = login("reception").get(f"/api/v1/sites/musterstadt/appointments?date={day}")
    progress = {a["id"]: a["progress"] for a in listed.get_json()}
    assert progress[missed["id"]] == "no_show"
    if still_open["id"] in progress:
        assert progress[still_open["id"]] == "expected"
    with db.reading() as session:
        from sqlalchemy import select

        from server.models import Appointment, Event

        statuses = dict(session.execute(select(Appointment.id, Appointment.status)).all())
        kinds = [
            e.data["appointment"]
            for e in session.scalars(select(Event).where(Event.kind == "appt_no_show"))
        ]
    # A GET never writes: the scheduler marks the no-show later (test_scheduler.py).
    assert statuses[missed["id"]] == statuses[still_open["id"]] == statuses[future["id"]]
    assert statuses[future["id"]] == "booked"
    assert kinds == []


def test_mark_missed_marks_each_appointment_once(db, site, past_booking):
    missed = past_booking(40)
    with db.writing() as session:
        assert appointments.mark_missed(session, site) == [missed["id"]]
    with db.writing() as session:
        assert appointments.mark_missed(session, site) == []
