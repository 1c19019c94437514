"""The rules of capacity steering without a database: Erlang C, forecast, aggregation,
planned counters and shortfalls, the what-if simulation, the history file format."""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from server.domain import aggregate, capacity, erlang, forecast, history, simulation, summary
from server.domain.aggregate import View
from server.domain.demo_history import DemoPattern, DemoQueue, generate
from server.domain.errors import InvalidInput

# ----------------------------------------------------------------- Erlang C


def test_erlang_c_matches_the_published_call_centre_example():
    # 200 calls an hour, 3 minutes each (10 Erlangs), 80 % answered within 20 seconds:
    # the textbook answer is 14 agents, with a 17.4 % chance to wait and 88.8 % in target.
    assert erlang.counters_needed(200, 3, 80, 20 / 60) == 14
    assert erlang.probability_of_wait(10, 14) == pytest.approx(0.1741, abs=5e-4)
    assert erlang.share_within(200, 3, 14, 20 / 60) == pytest.approx(0.888, abs=1e-3)
    assert erlang.share_within(200, 3, 13, 20 / 60) < 0.80


def test_erlang_c_with_one_counter_is_the_single_server_queue():
    # M/M/1: the chance to wait is the utilisation, the mean wait rho/(1-rho) * service.
    assert erlang.probability_of_wait(0.5, 1) == pytest.approx(0.5)
    assert erlang.mean_wait_minutes(5, 6, 1) == pytest.approx(6.0)


def test_an_overloaded_queue_never_meets_its_target_and_needs_more_counters_than_load():
    assert erlang.share_within(60, 6, 6, 20) == 0.0
    assert erlang.counters_needed(60, 6, 80, 20) > 6
    assert erlang.counters_needed(0, 6, 80, 20) == 0


def test_a_stricter_target_never_needs_fewer_counters():
    loose = erlang.counters_needed(40, 8, 80, 20)
    strict = erlang.counters_needed(40, 8, 95, 5)
    assert strict >= loose >= math.ceil(40 * 8 / 60)


# ----------------------------------------------------------------- forecast


def _synthetic_counts(weeks: int, end: date, seed: int = 3) -> tuple[dict, dict]:
    """Poisson arrivals with a known weekday x hour rate (no weekends, one holiday)."""
    rng = random.Random(seed)
    true_rate = {}
    for weekday in range(1, 6):
        for hour in range(8, 16):
            true_rate[(weekday, hour)] = 10 + 12 * (weekday == 1 and hour < 11) + 2 * hour % 5
    counts: dict = {}
    holiday = end - timedelta(days=10)
    for offset in range(weeks * 7):
        day = end - timedelta(days=weeks * 7 - offset)
        if day.isoweekday() > 5 or day == holiday:
            continue
        for hour in range(8, 16):
            lam = true_rate[(day.isoweekday(), hour)]
            # Poisson by counting exponential gaps in one hour.
            n, t = 0, rng.expovariate(lam)
            while t < 1:
                n, t = n + 1, t + rng.expovariate(lam)
            counts[("q", day, hour)] = n
    return counts, true_rate


def test_the_forecast_is_within_35_percent_of_the_true_hourly_rate():
    end = date(2026, 11, 30)  # a Monday: the first forecast day
    counts, true_rate = _synthetic_counts(12, end)
    profile = forecast.fit(counts, end)
    predicted = forecast.forecast(profile, end, 7)
    for (_queue, day, hour), value in predicted.items():
        rate = true_rate.get((day.isoweekday(), hour), 0)
        if rate == 0:
            assert value == 0
        else:
            assert abs(value - rate) / rate < 0.35, (day, hour, value, rate)


def test_closed_days_and_weekends_forecast_zero_and_holidays_do_not_lower_the_profile():
    end = date(2026, 11, 30)
    counts, true_rate = _synthetic_counts(8, end)
    profile = forecast.fit(counts, end)
    saturday = end + timedelta(days=5)
    assert profile.arrivals("q", saturday, 10) == 0
    assert profile.arrivals("q", end, 9, closed=[end]) == 0
    # The holiday (a day without arrivals) is not averaged in as a day of zero demand.
    holiday = end - timedelta(days=10)
    assert profile.arrivals("q", holiday, 9) > 0.6 * true_rate[(holiday.isoweekday(), 9)]


def test_recent_weeks_weigh_more_than_old_ones():
    end = date(2026, 11, 30)
    counts = {}
    for week in range(1, 9):
        day = end - timedelta(weeks=week)
        counts[("q", day, 9)] = 40 if week <= 2 else 10  # demand rose two weeks ago
    value = forecast.fit(counts, end).arrivals("q", end, 9)
    plain_mean = sum(counts.values()) / len(counts)
    assert value > plain_mean


def test_the_forecast_error_on_held_out_weeks_is_small_for_a_stable_pattern():
    end = date(2026, 11, 30)
    counts, _ = _synthetic_counts(12, end)
    error = forecast.percentage_error(counts, 2, end)
    assert error is not None and error < 35
    # A pattern that changes in the held-out weeks shows a large error.
    doubled = {k: v * (3 if k[1] >= end - timedelta(weeks=2) else 1) for k, v in counts.items()}
    assert forecast.percentage_error(doubled, 2, end) > 50
    assert forecast.percentage_error({}, 2, end) is None


# ----------------------------------------------------------------- aggregation


def _rec(queue, at, wait, service=None, outcome="done", error=None):
    return aggregate.Record(queue, at, wait, service, outcome, error)


def test_rows_count_outcomes_and_measure_waits_against_the_target():
    monday = datetime(2026, 11, 30, 9, 15)
    recs = [_rec("q", monday, w, 5.0) for w in (1, 2, 3, 4, 5, 6, 7, 8, 30, 40)]
    recs += [_rec("q", monday, None, outcome="cancelled"), _rec("q", monday, 2, None, "no_show")]
    recs += [_rec("q", monday, 1, 3.0, "transferred", error=4.0)]
    (row,) = aggregate.summarise(recs, View.DAY, {"q": 20})
    assert row["queue"] == "q" and row["day"] == "2026-11-30"
    assert (row["arrivals"], row["called"], row["no_show"], row["cancelled"]) == (13, 12, 1, 1)
    assert row["transferred"] == 1
    assert row["within_target_percent"] == round(100 * 10 / 12, 1)
    assert row["p90_wait_minutes"] == 30
    assert row["estimate_error_minutes"] == 4.0
    assert row["mean_service_minutes"] == round((10 * 5 + 3) / 11, 1)
    assert list(row) == list(aggregate.header(View.DAY))


def test_views_group_by_hour_and_by_weekday_and_hour():
    recs = [
        _rec("q", datetime(2026, 11, 30, 9, 5), 1),
        _rec("q", datetime(2026, 12, 7, 9, 55), 3),
        _rec("q", datetime(2026, 12, 7, 10, 0), 5),
    ]
    by_hour = aggregate.summarise(recs, View.HOUR, {})
    assert [(r["day"], r["hour"], r["arrivals"]) for r in by_hour] == [
        ("2026-11-30", 9, 1),
        ("2026-12-07", 9, 1),
        ("2026-12-07", 10, 1),
    ]
    by_weekday = aggregate.summarise(recs, View.WEEKDAY_HOUR, {})
    assert [(r["weekday"], r["hour"], r["arrivals"]) for r in by_weekday] == [(1, 9, 2), (1, 10, 1)]
    assert by_weekday[0]["within_target_percent"] is None  # no target known


def test_a_record_measures_wait_service_and_the_error_of_the_told_estimate():
    t0 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    r = aggregate.record(
        "q", t0, t0, t0 + timedelta(minutes=12), t0 + timedelta(minutes=20), "done", 5
    )
    assert (r.wait_minutes, r.service_minutes, r.estimate_error_minutes) == (12, 8, 7)
    never = aggregate.record("q", t0, t0, None, None, "cancelled", 5)
    assert (never.wait_minutes, never.estimate_error_minutes) == (None, None)


def test_percentile_is_nearest_rank_over_whole_minutes_rounded_up():
    assert summary.percentile({}, 0.9) is None
    assert summary.percentile(Counter(range(1, 11)), 0.9) == 9
    assert summary.percentile(Counter({5: 1}), 0.5) == 5
    assert [summary.bucket(m) for m in (0, 0.2, 1.0, 1.01, 19.99, 20)] == [0, 1, 1, 2, 20, 20]


def test_summaries_add_up_like_the_records_they_came_from_and_survive_storage():
    monday = datetime(2026, 11, 30, 9, 15)
    recs = [_rec("q", monday + timedelta(minutes=i), float(i), 4.0) for i in range(30)]
    halves = [aggregate.hour_summaries(recs[:12]), aggregate.hour_summaries(recs[12:])]
    stored = {k: summary.Summary.from_json(v.to_json()) for k, v in halves[0].items()}
    for key, value in halves[1].items():
        stored.setdefault(key, summary.Summary()).merge(value)
    targets = {"q": 20}
    assert aggregate.rows(stored, View.HOUR, targets) == aggregate.summarise(
        recs, View.HOUR, targets
    )


def test_ranges_out_of_order_or_too_long_are_refused():
    with pytest.raises(InvalidInput):
        aggregate.check_range(date(2026, 12, 2), date(2026, 12, 1), 366)
    with pytest.raises(InvalidInput):
        aggregate.check_range(date(2025, 1, 1), date(2026, 12, 1), 366)
    aggregate.check_range(date(2025, 12, 2), date(2026, 12, 1), 366)


# ----------------------------------------------------------------- capacity


def test_counters_planned_share_a_counter_by_its_weights():
    planned = capacity.counters_planned([{"a": 3, "b": 1}, {"a": 1}, {"b": 1, "c": 1}])
    assert planned == {"a": 1.75, "b": 0.75, "c": 0.5}
    assert capacity.counters_planned([]) == {}


def test_shortfalls_join_neighbouring_hours_and_skip_hours_that_are_covered():
    thursday = date(2026, 12, 3)
    hours = [
        ("q", thursday, 13, 2, 2.0),
        ("q", thursday, 14, 3, 2.0),
        ("q", thursday, 15, 2.5, 2.0),
        ("q", thursday, 16, 2, 2.0),
        ("q", thursday, 17, 3, 2.0),
        ("r", thursday, 9, 1, 0.0),
    ]
    spans = capacity.shortfalls(hours)
    assert [(s.queue, s.start_hour, s.end_hour, s.needed, s.planned) for s in spans] == [
        ("q", 14, 16, 3, 2.0),
        ("q", 17, 18, 3, 2.0),
        ("r", 9, 10, 1, 0.0),
    ]


# ----------------------------------------------------------------- simulation


def test_the_simulation_agrees_with_erlang_c_in_steady_state():
    # 30 arrivals an hour, 6 minutes each, 4 counters, target 2 minutes: Erlang C says 63.5 %.
    hours = 500
    outcome = simulation.simulate(
        {h: 30 for h in range(hours)},
        6,
        {h: 4 for h in range(hours)},
        2,
        runs=2,
        seed=5,
        horizon_hours=hours,
    )
    expected = 100 * erlang.share_within(30, 6, 4, 2)
    assert abs(outcome.within_target_percent - expected) < 3
    assert outcome.mean_wait_minutes == pytest.approx(erlang.mean_wait_minutes(30, 6, 4), rel=0.15)


def test_more_counters_in_the_simulation_mean_shorter_waits():
    arrivals = {8: 20, 9: 25, 10: 20, 11: 10}
    few = simulation.simulate(arrivals, 6, {h: 2 for h in range(8, 12)}, 20, runs=10)
    many = simulation.simulate(arrivals, 6, {h: 4 for h in range(8, 12)}, 20, runs=10)
    assert many.mean_wait_minutes < few.mean_wait_minutes
    assert many.within_target_percent >= few.within_target_percent
    assert few.visitors == pytest.approx(75, rel=0.2)
    assert set(few.hours) == {8, 9, 10, 11}


def test_a_closed_hour_makes_visitors_wait_for_the_next_open_one():
    outcome = simulation.simulate({8: 10}, 5, {8: 0, 9: 3}, 20, runs=5)
    assert outcome.mean_wait_minutes > 20


def test_whoever_is_in_line_at_closing_is_served_by_the_last_counters():
    # Overloaded last hour: the line left at 16:00 is served after closing, not at midnight.
    outcome = simulation.simulate({15: 30}, 6, {15: 1}, 20, runs=5)
    assert 60 < outcome.mean_wait_minutes < 6 * 30


# ----------------------------------------------------------------- history file


QUEUES, LANGS = {"q"}, {"de", "ar"}
HEADER = "queue,arrived_at,called_at,finished_at,outcome,language"


def test_a_history_file_is_parsed_with_offsets():
    lines = [
        HEADER,
        "q,2026-03-02T08:15:00+01:00,2026-03-02T08:30:00+01:00,2026-03-02T08:40:00+01:00,done,de",
        "q,2026-03-02T09:00:00+01:00,,,cancelled,",
    ]
    first, second = history.parse(lines, QUEUES, LANGS)
    assert first.arrived_at == datetime(2026, 3, 2, 7, 15, tzinfo=UTC)
    assert first.outcome == "done" and first.language == "de"
    assert second.called_at is None and second.language is None


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("x,2026-03-02T08:15:00+01:00,,,cancelled,de", "unknown queue 'x'"),
        ("q,2026-03-02T08:15:00,,,cancelled,de", "has no offset"),
        ("q,yesterday,,,cancelled,de", "is not an ISO 8601 time"),
        ("q,2026-03-02T08:15:00+01:00,,,lost,de", "outcome 'lost'"),
        ("q,2026-03-02T08:15:00+01:00,,,done,de", "a done visit needs called_at"),
        ("q,2026-03-02T08:15:00+01:00,2026-03-02T08:00:00+01:00,,no_show,de", "before arrived"),
        ("q,2026-03-02T08:15:00+01:00,,,cancelled", "expected 6 columns"),
        ("q,2026-03-02T08:15:00+01:00,,,cancelled,xx", "unknown language"),
    ],
)
def test_a_bad_history_line_is_named_with_its_number_and_problem(line, problem):
    good = "q,2026-03-02T08:00:00+01:00,,,cancelled,de"
    with pytest.raises(history.BadLine) as caught:
        list(history.parse([HEADER, good, line], QUEUES, LANGS))
    assert caught.value.line == 3
    assert caught.value.message.startswith("line 3: ") and problem in caught.value.message


def test_a_file_without_the_header_is_refused_on_line_one():
    with pytest.raises(history.BadLine, match="line 1: the header"):
        list(history.parse(["\x89PNG\x00binary"], QUEUES, LANGS))


# ----------------------------------------------------------------- demo history


def test_demo_history_is_seeded_busy_on_monday_morning_and_closed_at_weekends():
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Europe/Berlin")
    pattern = DemoPattern({"q": DemoQueue("back_office", 6, 2)})
    start = datetime(2026, 10, 5, tzinfo=zone)  # a Monday
    end = start + timedelta(weeks=4)
    visits = list(generate(pattern, start, end, seed=1))
    assert visits == list(generate(pattern, start, end, seed=1))
    local = [v.arrived_at.astimezone(zone) for v, _ in visits]
    assert all(t.isoweekday() <= 5 for t in local)
    monday_morning = sum(1 for t in local if t.isoweekday() == 1 and 8 <= t.hour < 11)
    tuesday_morning = sum(1 for t in local if t.isoweekday() == 2 and 8 <= t.hour < 11)
    assert monday_morning > 1.5 * tuesday_morning
    done = [v for v, _ in visits if v.outcome == "done"]
    assert done and all(v.arrived_at <= v.called_at < v.finished_at for v in done)
