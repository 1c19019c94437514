"""The appointment rules in server/domain: no app, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from server.domain.appointment_codes import CODE_LENGTH, format_code, new_code, normalize_code
from server.domain.appointments import (
    APPOINTMENT_DUE_BEFORE,
    MOVES,
    AppointmentAction,
    AppointmentEvent,
    AppointmentState,
    CheckinWindow,
    Progress,
    SlotGrid,
    check_checkin,
    first_free_seat,
    is_due,
    is_late,
    move,
    parse_start,
    progress,
    shown_state,
)
from server.domain.errors import (
    AlreadyCheckedIn,
    AppointmentCancelled,
    CheckinTooEarly,
    CheckinTooLate,
    InvalidInput,
    InvalidTransition,
    SlotInPast,
    SlotMisaligned,
    UnknownCode,
)

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
WINDOW = CheckinWindow(minutes_before=60, minutes_after=15)
GRID = SlotGrid(15, time(8, 0), time(10, 0), frozenset({1, 2, 3, 4, 5}), BERLIN)


@pytest.mark.parametrize("action", list(AppointmentAction))
def test_only_a_booked_appointment_can_move_at_all(action):
    assert move(AppointmentState.BOOKED, action) == MOVES[(AppointmentState.BOOKED, action)]
    for state in set(AppointmentState) - {AppointmentState.BOOKED}:
        with pytest.raises(InvalidTransition, match=f"cannot {action}"):
            move(state, action)


def test_each_action_lands_in_its_own_state():
    booked = AppointmentState.BOOKED
    assert move(booked, AppointmentAction.CANCEL).state == AppointmentState.CANCELLED
    assert move(booked, AppointmentAction.REBOOK).state == booked
    assert move(booked, AppointmentAction.CHECK_IN).state == AppointmentState.CHECKED_IN
    assert move("booked", AppointmentAction.MISS).state == AppointmentState.NO_SHOW


def test_an_appointment_is_due_from_ten_minutes_before_its_start():
    assert APPOINTMENT_DUE_BEFORE == timedelta(minutes=10)
    assert not is_due(START, START - timedelta(minutes=10, seconds=1))
    assert is_due(START, START - timedelta(minutes=10))
    assert is_due(START, START + timedelta(hours=3))
    assert not is_due(None, START)


def test_the_check_in_window_opens_before_and_closes_after_the_start():
    assert WINDOW.opens(START) == START - timedelta(minutes=60)
    assert WINDOW.closes(START) == START + timedelta(minutes=15)
    now = START + timedelta(minutes=20)
    assert WINDOW.missed_if_before(now) == START + timedelta(minutes=5)


def test_a_booked_appointment_is_missed_only_once_its_window_has_closed():
    closes = START + timedelta(minutes=15)
    assert not WINDOW.is_missed("booked", START, closes)
    assert WINDOW.is_missed("booked", START, closes + timedelta(seconds=1))
    assert not WINDOW.is_missed("checked_in", START, closes + timedelta(hours=1))
    assert not WINDOW.is_missed("cancelled", START, closes + timedelta(hours=1))


def test_a_missed_appointment_shows_as_no_show_before_anyone_writes_it():
    late = START + timedelta(minutes=16)
    assert shown_state("booked", START, late, WINDOW) == AppointmentState.NO_SHOW
    assert shown_state("booked", START, START, WINDOW) == "booked"
    assert shown_state("cancelled", START, late, WINDOW) == "cancelled"


def test_check_in_is_allowed_exactly_within_the_window():
    for now in (START - timedelta(minutes=60), START, START + timedelta(minutes=15)):
        assert check_checkin("booked", START, now, WINDOW, BERLIN) == "checked_in"


def test_too_early_says_when_to_come_back_in_local_time():
    with pytest.raises(CheckinTooEarly) as error:
        check_checkin("booked", START, START - timedelta(minutes=61), WINDOW, BERLIN)
    assert error.value.come_back_at == "2026-11-24T09:30:00+01:00"
    assert "09:30" in error.value.message


@pytest.mark.parametrize(
    ("state", "now", "error"),
    [
        ("booked", START + timedelta(minutes=16), CheckinTooLate),
        ("no_show", START, CheckinTooLate),
        ("cancelled", START, AppointmentCancelled),
        ("checked_in", START, AlreadyCheckedIn),
    ],
)
def test_check_in_is_refused_with_the_reason(state, now, error):
    with pytest.raises(error):
        check_checkin(state, START, now, WINDOW, BERLIN)


@pytest.mark.parametrize(
    ("state", "ticket", "expected"),
    [
        ("booked", None, Progress.EXPECTED),
        ("checked_in", "waiting", Progress.CHECKED_IN),
        ("checked_in", "called", Progress.CALLED),
        ("checked_in", "serving", Progress.CALLED),
        ("checked_in", "parked", Progress.CALLED),
        ("checked_in", "done", Progress.DONE),
        ("checked_in", "no_show", Progress.NO_SHOW),
        ("checked_in", "cancelled", Progress.CANCELLED),
        ("no_show", None, Progress.NO_SHOW),
        ("cancelled", None, Progress.CANCELLED),
    ],
)
def test_progress_follows_the_ticket_after_check_in(state, ticket, expected):
    assert progress(state, ticket) == expected


def test_late_means_arrived_after_the_start_or_still_expected_after_it():
    after = START + timedelta(minutes=1)
    assert is_late(START, after, Progress.CHECKED_IN, after)
    assert not is_late(START, START, Progress.CHECKED_IN, after)
    assert is_late(START, None, Progress.EXPECTED, after)
    assert not is_late(START, None, Progress.EXPECTED, START)
    assert not is_late(START, None, Progress.CANCELLED, after)


def test_slots_run_every_step_from_opening_until_the_last_one_that_ends_by_closing():
    starts = GRID.starts(date(2026, 11, 24))  # a Tuesday
    assert len(starts) == 8
    assert starts[0] == datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 08:00 in Berlin
    assert starts[-1] == datetime(2026, 11, 24, 8, 45, tzinfo=UTC)
    assert all(b - a == timedelta(minutes=15) for a, b in zip(starts, starts[1:], strict=False))


def test_no_slots_on_a_day_the_queue_takes_no_appointments():
    assert GRID.starts(date(2026, 11, 29)) == []  # a Sunday


def test_an_odd_opening_time_is_rounded_up_onto_the_grid_from_midnight():
    grid = SlotGrid(20, time(8, 10), time(9, 0), frozenset({2}), BERLIN)
    local = [s.astimezone(BERLIN).time() for s in grid.starts(date(2026, 11, 24))]
    assert local == [time(8, 20), time(8, 40)]


def test_slots_keep_their_wall_clock_times_across_a_dst_change():
    grid = SlotGrid(60, time(1, 0), time(5, 0), frozenset({7}), BERLIN)
    local = [s.astimezone(BERLIN).hour for s in grid.starts(date(2026, 3, 29))]  # clocks jump
    assert local == [1, 3, 4]


def test_a_start_must_lie_on_the_grid_and_ahead():
    now = START - timedelta(days=1)
    GRID.check_start(START, now, "b")
    with pytest.raises(SlotMisaligned, match="every 15 minutes"):
        GRID.check_start(START + timedelta(minutes=5), now, "b")
    with pytest.raises(SlotMisaligned):
        GRID.check_start(START + timedelta(seconds=1), now, "b")
    with pytest.raises(SlotInPast):
        GRID.check_start(START, START, "b")
    with pytest.raises(InvalidInput):
        GRID.check_start(START.replace(tzinfo=None), now, "b")


def test_the_first_free_seat_is_the_lowest_one_nobody_holds():
    assert first_free_seat(set(), 3) == 1
    assert first_free_seat({1, 3}, 3) == 2
    assert first_free_seat({1, 2, 3}, 3) is None
    assert first_free_seat(set(), 0) is None


def test_a_start_needs_an_iso_time_with_its_offset():
    assert parse_start("2026-11-24T10:30:00+01:00") == START
    assert parse_start("2026-11-24T09:30:00Z") == START
    for bad in ("2026-11-24T10:30:00", "tomorrow", ""):
        with pytest.raises(InvalidInput):
            parse_start(bad)


def test_a_code_is_read_back_from_what_a_visitor_typed_or_scanned():
    code = new_code()
    assert len(code) == CODE_LENGTH
    assert normalize_code(format_code(code).lower()) == code
    assert normalize_code(f" https://amt.example/c/{code}/ ") == code
    for bad in ("", "ACDE-FH3", "ACDE-FH30", "https://amt.example/t/ACDEFH34x"):
        with pytest.raises(UnknownCode):
            normalize_code(bad)


def test_every_move_writes_its_own_event_kind_and_booking_has_one_too():
    kinds = [found.event for found in MOVES.values()]
    assert len(set(kinds)) == len(kinds) == len(MOVES)
    assert set(AppointmentEvent) == {*kinds, AppointmentEvent.BOOKED}
    assert all(kind.startswith("appt_") for kind in AppointmentEvent)
