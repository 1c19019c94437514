"""Booking, cancelling and rebooking appointments through the staff API."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from server.domain.booking import Wanted
from server.services import appointments
from tests.invitations.conftest import QUEUE, next_boundary, weekday_at

CODE = re.compile(r"^[ACDEFHJKLMNPRTUVWXY34679]{4}-[ACDEFHJKLMNPRTUVWXY34679]{4}$")


def _book(staff, start: datetime, **extra: object):
    body = {
        "site": "musterstadt",
        "queue": QUEUE,
        "start": start.isoformat(),
        "language": "ar",
        **extra,
    }
    return staff.post("/api/v1/appointments", json=body)


def test_reception_books_an_appointment_and_gets_code_and_letter_address(login):
    start = weekday_at(3, 10, 30)
    response = _book(login("reception"), start, note="Dolmetscher Arabisch bestellt")
    assert response.status_code == 201, response.data
    body = response.get_json()
    assert CODE.match(body["code"])
    assert datetime.fromisoformat(body["start"]) == start
    assert body["queue"] == QUEUE
    assert re.match(
        r"^http://127\.0\.0\.1:5000/invitation/[A-Za-z0-9_-]{32,}$", body["invitation_url"]
    )
    assert body["code"].replace("-", "") not in body["invitation_url"]


def test_a_clerk_may_book_too_and_codes_differ(login):
    clerk = login("clerk")
    first = _book(clerk, weekday_at(3, 11)).get_json()
    second = _book(clerk, weekday_at(3, 11)).get_json()
    assert first["code"] != second["code"]
    assert first["invitation_url"] != second["invitation_url"]


def test_booking_needs_a_login_then_the_csrf_token(client, login):
    body = {
        "site": "musterstadt",
        "queue": QUEUE,
        "start": weekday_at(3, 9).isoformat(),
        "language": "de",
    }
    assert client.post("/api/v1/appointments", json=body).status_code == 401
    staff = login("reception")
    response = staff.client.post("/api/v1/appointments", json=body)
    assert response.status_code in (400, 403)


def test_a_full_slot_is_refused_with_the_next_free_slots(login):
    staff = login("reception")
    start = weekday_at(4, 10, 0)
    assert _book(staff, start).status_code == 201
    assert _book(staff, start).status_code == 201
    response = _book(staff, start)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "slot_full"
    free = [datetime.fromisoformat(s) for s in error["free_slots"]]
    assert free[0] == start + timedelta(minutes=15)
    assert len(free) >= 3 and free == sorted(free)
    assert all(s > start for s in free)


def test_cancelling_frees_the_seat(login):
    staff = login("reception")
    start = weekday_at(4, 11, 0)
    first = _book(staff, start).get_json()
    _book(staff, start)
    assert _book(staff, start).status_code == 409
    cancelled = staff.post(f"/api/v1/appointments/{first['id']}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.get_json()["status"] == "cancelled"
    assert _book(staff, start).status_code == 201
    assert staff.post(f"/api/v1/appointments/{first['id']}/cancel").status_code == 409


def test_a_start_off_the_slot_grid_is_refused(login):
    response = _book(login("reception"), weekday_at(3, 10, 7))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "slot_misaligned"


def test_a_start_in_the_past_is_refused(login):
    start = next_boundary(datetime.now(UTC) - timedelta(hours=2))
    response = _book(login("reception"), start)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "slot_in_past"


def test_a_start_without_offset_or_garbage_is_refused(login):
    staff = login("reception")
    naive = weekday_at(3, 10).replace(tzinfo=None).isoformat()
    for start in (naive, "tomorrow", 42):
        response = staff.post(
            "/api/v1/appointments",
            json={"site": "musterstadt", "queue": QUEUE, "start": start, "language": "de"},
        )
        assert response.status_code == 422, start


def test_a_queue_without_appointments_refuses_bookings(login):
    response = login("reception").post(
        "/api/v1/appointments",
        json={
            "site": "musterstadt",
            "queue": "bo-abh",
            "start": weekday_at(3, 10).isoformat(),
            "language": "de",
        },
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "no_appointments"


def test_unknown_queue_and_language_are_refused(login):
    staff = login("reception")
    start = weekday_at(3, 10).isoformat()
    unknown_queue = staff.post(
        "/api/v1/appointments",
        json={"site": "musterstadt", "queue": "nope", "start": start, "language": "de"},
    )
    assert unknown_queue.status_code == 404
    bad_language = staff.post(
        "/api/v1/appointments",
        json={"site": "musterstadt", "queue": QUEUE, "start": start, "language": "fr"},
    )
    assert bad_language.status_code == 422


def test_rebooking_moves_the_appointment_and_keeps_the_code(login):
    staff = login("reception")
    first = _book(staff, weekday_at(5, 9, 0)).get_json()
    target = weekday_at(5, 14, 45)
    moved = staff.post(
        f"/api/v1/appointments/{first['id']}/rebook", json={"start": target.isoformat()}
    )
    assert moved.status_code == 200, moved.data
    assert datetime.fromisoformat(moved.get_json()["start"]) == target
    assert moved.get_json()["code"] == first["code"]
    # The old slot has both seats again, the new one only one left.
    _book(staff, target)
    assert _book(staff, target).status_code == 409
    assert _book(staff, weekday_at(5, 9, 0)).status_code == 201
    assert _book(staff, weekday_at(5, 9, 0)).status_code == 201


def test_rebooking_into_a_full_slot_keeps_the_old_slot(login):
    staff = login("reception")
    first = _book(staff, weekday_at(5, 12, 0)).get_json()
    full = weekday_at(5, 12, 30)
    _book(staff, full)
    _book(staff, full)
    response = staff.post(
        f"/api/v1/appointments/{first['id']}/rebook", json={"start": full.isoformat()}
    )
    assert response.status_code == 409
    assert response.get_json()["error"]["free_slots"]
    listed = staff.get(f"/api/v1/sites/musterstadt/appointments?date={full.date()}").get_json()
    mine = next(a for a in listed if a["id"] == first["id"])
    assert datetime.fromisoformat(mine["start"]) == weekday_at(5, 12, 0)


def test_the_day_list_shows_the_note_to_staff_only_and_needs_a_login(client, login):
    staff = login("clerk")
    start = weekday_at(6, 15, 0)
    _book(staff, start, note="Rollstuhl, Aufzug nötig")
    url = f"/api/v1/sites/musterstadt/appointments?date={start.date()}"
    assert client.get(url).status_code == 401
    listed = staff.get(url).get_json()
    assert [a["note"] for a in listed] == ["Rollstuhl, Aufzug nötig"]
    assert listed[0]["progress"] == "expected"


def test_concurrent_bookings_never_overfill_a_slot_on_postgres(postgres_url, site):
    """Two writers racing for the last seat: the unique seat constraint lets only one win."""
    import threading

    from server.db import Database, make_engine
    from server.domain.errors import SlotFull
    from server.migrate import upgrade

    db = Database(make_engine(postgres_url))
    upgrade(db.engine)
    start = weekday_at(3, 9, 15)
    results: list[str] = []
    barrier = threading.Barrier(6)

    def worker() -> None:
        barrier.wait()
        try:
            with db.writing() as session:
                appointments.book(session, site, Wanted(QUEUE, start, "de"))
            results.append("ok")
        except SlotFull:
            results.append("full")

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    db.dispose()
    assert sorted(results) == ["full"] * 4 + ["ok"] * 2
