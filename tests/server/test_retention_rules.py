"""Retention rules without a database: cutoffs, period checks, when invitations expire."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from server.config import ConfigError, load_settings, parse_settings
from server.domain import retention as rules
from tests.conftest import CONFIG

AS_OF = datetime(2027, 1, 31, 3, 0, tzinfo=UTC)


def test_cutoffs_lie_the_configured_number_of_days_before_the_run():
    cut = rules.cutoffs(rules.Periods(30, 730, 365), AS_OF)
    assert cut.personal == datetime(2027, 1, 1, 3, 0, tzinfo=UTC)
    assert cut.audit == datetime(2026, 1, 31, 3, 0, tzinfo=UTC)
    assert cut.statistics == datetime(2025, 1, 31, 3, 0, tzinfo=UTC)


def test_an_invitation_is_due_only_after_its_check_in_window_closed_before_the_cutoff():
    cutoff = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
    assert rules.appointment_due(cutoff - timedelta(minutes=16), 15, cutoff)
    assert not rules.appointment_due(cutoff - timedelta(minutes=15), 15, cutoff)
    # Booked long ago for a day still to come: the code must keep working.
    assert not rules.appointment_due(cutoff + timedelta(days=10), 15, cutoff)


@pytest.mark.parametrize(
    ("periods", "bad_key"),
    [
        (rules.Periods(-1, 730, 365), "personal_days"),
        (rules.Periods(30, 730, -5), "audit_days"),
        (rules.Periods(0, 730, 365), "personal_days"),
    ],
)
def test_periods_that_are_negative_or_shorter_than_the_check_in_window_are_refused(
    periods, bad_key
):
    problems = dict(rules.period_problems(periods, checkin_minutes=75))
    assert list(problems) == [bad_key]


def test_a_code_pseudonym_is_stable_per_site_and_never_looks_like_a_live_code():
    first = rules.code_pseudonym("ACDE4FHJ", "musterstadt")
    assert first == rules.code_pseudonym("ACDE4FHJ", "musterstadt")
    assert first != rules.code_pseudonym("ACDE4FHJ", "nordstadt")
    assert len(first) == 16 and rules.is_pseudonymised(first)
    assert not rules.is_pseudonymised("ACDE4FHJ")


def _config(key: str, value: str) -> str:
    text = CONFIG.read_text(encoding="utf-8")
    changed = re.sub(rf"(?m)^{key} = \d+$", f"{key} = {value}", text, count=1)
    assert changed != text, f"config.toml has no [privacy] {key}"
    return changed


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("personal_days", "-3", "privacy.personal_days: must not be negative"),
        ("audit_days", "0", "privacy.audit_days: 0 days is shorter than the check-in"),
    ],
)
def test_check_config_names_a_bad_retention_period(tmp_path, key, value, message):
    import tomllib

    path = tmp_path / "config.toml"
    path.write_text(_config(key, value), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert message in str(caught.value)
    data = tomllib.loads(_config(key, "400"))
    assert getattr(parse_settings(data).privacy, key) == 400
