"""The staff day view at /counter/appointments: list, book, cancel, move, no-shows."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from tests.invitations.conftest import QUEUE, weekday_at


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_day_view_needs_a_staff_login(client):
    response = client.get("/counter/appointments")
    assert response.status_code == 302
    assert "/counter/login" in response.headers["Location"]


def test_the_day_view_lists_the_days_appointments_with_status_and_note(login, book):
    start = weekday_at(3, 9, 0)
    booked = book(start, language="ar", note="bringt Dolmetscherin mit")
    other_day = book(start + timedelta(days=1))
    staff = login("reception")
    page = staff.get(f"/counter/appointments?date={start.date()}&lang=de").get_data(as_text=True)
    assert booked["code"] in page
    assert other_day["code"] not in page
    assert "bringt Dolmetscherin mit" in page
    assert 'data-progress="expected"' in page
    assert "erwartet" in page  # German is the staff default
    assert f'href="/invitation/{booked["token"]}"' in page


def test_booking_from_the_day_view_offers_free_slots_and_books_one(login, db):
    staff = login("reception")
    day = weekday_at(4, 8, 0).date()
    page = staff.get(f"/counter/appointments?date={day}&queue={QUEUE}").get_data(as_text=True)
    slots = re.findall(r'<option value="(\d{4}-\d\d-\d\dT[^"]+)"', page)
    assert len(slots) == 32  # 08:00 to 16:00 in 15-minute slots
    assert datetime.fromisoformat(slots[0]).strftime("%H:%M") == "08:00"
    response = staff.client.post(
        f"/counter/appointments?date={day}",
        data={
            "csrf_token": _csrf(page),
            "queue": QUEUE,
            "start": slots[4],
            "language": "ku",
            "note": "",
        },
    )
    assert response.status_code == 302
    follow = staff.get(response.headers["Location"]).get_data(as_text=True)
    booked_id = re.search(r"booked=(\d+)", response.headers["Location"]).group(1)
    assert f'data-appointment="{booked_id}"' in follow
    assert "09:00" in follow
    listed = staff.get(f"/api/v1/sites/musterstadt/appointments?date={day}").get_json()
    assert [(a["language"], a["start"]) for a in listed] == [("ku", slots[4])]


def test_a_booking_form_without_csrf_token_is_refused(login):
    staff = login("reception")
    day = weekday_at(4, 8, 0).date()
    response = staff.client.post(
        f"/counter/appointments?date={day}",
        data={"queue": QUEUE, "start": weekday_at(4, 10).isoformat(), "language": "de"},
    )
    assert response.status_code in (400, 403)


def test_cancel_and_move_from_the_day_view(login, book):
    start = weekday_at(5, 10, 0)
    first, second = book(start), book(start + timedelta(minutes=15))
    staff = login("clerk")
    page = staff.get(f"/counter/appointments?date={start.date()}").get_data(as_text=True)
    token = _csrf(page)
    cancelled = staff.client.post(
        f"/counter/appointments/{first['id']}/cancel?date={start.date()}",
        data={"csrf_token": token},
    )
    assert cancelled.status_code == 302
    move_page = staff.get(f"/counter/appointments/{second['id']}/rebook").get_data(as_text=True)
    target = (start + timedelta(hours=2)).isoformat()
    assert f'value="{target}"' in move_page
    moved = staff.client.post(
        f"/counter/appointments/{second['id']}/rebook",
        data={"csrf_token": _csrf(move_page), "start": target},
    )
    assert moved.status_code == 302
    listed = {
        a["id"]: a
        for a in staff.get(f"/api/v1/sites/musterstadt/appointments?date={start.date()}").get_json()
    }
    assert listed[first["id"]]["progress"] == "cancelled"
    assert listed[second["id"]]["start"] == target


def test_the_day_view_marks_missed_appointments_and_highlights_late_ones(
    login,
    client,
    past_booking,
):
    missed = past_booking(40)
    late = past_booking(5)
    assert (
        client.post(
            "/api/v1/checkin", json={"site": "musterstadt", "code": late["code"]}
        ).status_code
        == 201
    )
    staff = login("reception")
    day = datetime.fromisoformat(missed["start"]).date()
    page = staff.get(f"/counter/appointments?date={day}").get_data(as_text=True)
    row = re.search(rf'<tr class="([^"]*)" data-appointment="{missed["id"]}"', page)
    assert row and "progress-no_show" in row.group(1)
    late_day = datetime.fromisoformat(late["start"]).date()
    page = staff.get(f"/counter/appointments?date={late_day}").get_data(as_text=True)
    row = re.search(rf'<tr class="([^"]*)" data-appointment="{late["id"]}"', page)
    assert row and "late" in row.group(1).split() and "progress-checked_in" in row.group(1)


def _saturday() -> datetime:
    day = weekday_at(2, 10).date()
    while day.isoweekday() != 6:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 10, 0)


def _book_outside(staff, day, page: str, reason: str, lang: str = "de"):
    return staff.client.post(
        f"/counter/appointments?date={day}&lang={lang}",
        data={
            "csrf_token": _csrf(page),
            "queue": QUEUE,
            "start": "",
            "other_time": "10:00",
            "language": "ar",
            "override_reason": reason,
        },
    )


def test_reception_books_outside_the_hours_with_a_reason_the_page_asks_for(login, db):
    from sqlalchemy import select

    from server.models import Event

    staff = login("reception")
    day = _saturday().date()
    page = staff.get(f"/counter/appointments?date={day}&queue={QUEUE}").get_data(as_text=True)
    assert 'name="override_reason"' in page and 'name="other_time"' in page
    refused = _book_outside(staff, day, page, reason="")
    assert refused.status_code == 302 and "outside=1" in refused.headers["Location"]
    asked = staff.get(refused.headers["Location"] + "&lang=de").get_data(as_text=True)
    assert "an diesem Wochentag keine Termine" in asked
    assert "bitte einen Grund angeben" in asked
    assert re.search(r'name="override_reason"[^>]*required autofocus', asked)
    assert 'value="10:00"' in asked  # the time given is kept for the second try
    assert staff.get(f"/api/v1/sites/musterstadt/appointments?date={day}").get_json() == []

    booked = _book_outside(staff, day, asked, reason="Dolmetscherin nur samstags")
    assert "booked=" in booked.headers["Location"]
    listed = staff.get(f"/api/v1/sites/musterstadt/appointments?date={day}").get_json()
    assert [a["start"][11:16] for a in listed] == ["10:00"]
    with db.reading() as session:
        reasons = [e.data.get("override_reason") for e in session.scalars(select(Event))]
    assert "Dolmetscherin nur samstags" in reasons


def test_the_refusal_is_explained_in_english_too_and_names_the_hours(login):
    staff = login("supervisor")
    day = weekday_at(3, 8).date()
    page = staff.get(f"/counter/appointments?date={day}&queue={QUEUE}").get_data(as_text=True)
    late = staff.client.post(
        f"/counter/appointments?date={day}&lang=en",
        data={"csrf_token": _csrf(page), "queue": QUEUE, "other_time": "18:30", "language": "de"},
    )
    asked = staff.get(late.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "This queue takes appointments from 08:00 to 16:00." in asked
    assert "give a reason and book again" in asked


def test_a_clerk_sees_no_reason_field_and_cannot_book_outside_the_hours(login):
    staff = login("clerk")
    day = _saturday().date()
    page = staff.get(f"/counter/appointments?date={day}&queue={QUEUE}").get_data(as_text=True)
    assert 'name="override_reason"' not in page
    refused = _book_outside(staff, day, page, reason="just because")
    asked = staff.get(refused.headers["Location"] + "&lang=de").get_data(as_text=True)
    assert "Nur der Empfang kann ihn mit Angabe eines Grundes buchen." in asked
    assert staff.get(f"/api/v1/sites/musterstadt/appointments?date={day}").get_json() == []
