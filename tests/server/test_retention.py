"""Retention runs on a real database (SQLite and PostgreSQL), with a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from server.domain.aggregate import View
from server.domain.booking import Wanted
from server.domain.errors import NotFound
from server.domain.lifecycle import Action
from server.models import Appointment, AuditEntry, JobRun, LoginFailure, Ticket, Visit
from server.services import appointments, audit, calling, issuing, lookup, moves, retention
from server.services.statistics import queue_statistics

DAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def _a_day_of_work(db, site) -> list[str]:
    """Three visitors: one served, one no-show, one checked in with an invitation."""
    tokens = []
    with db.writing() as s:
        wanted = Wanted("core-abh", DAY + timedelta(hours=1), "ar", "bringt Dolmetscher mit")
        booked = appointments.book(s, site, wanted, now=DAY - timedelta(days=3))
        code = booked.code
    for minute, concern in ((0, "fiktion"), (2, "adresse")):
        with db.writing() as s:
            ticket = issuing.issue(
                s,
                site,
                concern_id=concern,
                language="ku",
                now=DAY + timedelta(minutes=minute),
                idempotency_key=f"kiosk-key-{minute}",
            )
            tokens.append(ticket.token)
    with db.writing() as s:
        tokens.append(appointments.check_in(s, site, code, now=DAY + timedelta(minutes=50)).token)
    with db.writing() as s:
        first = calling.next_call(s, site, "schalter-1", now=DAY + timedelta(minutes=9)).ticket
        assert first is not None
        first.note = "Frau K., Rückruf unter 0171"
    with db.writing() as s:
        second = calling.next_call(s, site, "schalter-1", now=DAY + timedelta(minutes=20)).ticket
        moves.act(s, second.id, Action.NO_SHOW, site=site, now=DAY + timedelta(minutes=25))
    with db.writing() as s:
        audit.record(s, "schalter", "login", None, "192.0.2.7", now=DAY)
        s.add(LoginFailure(username="schalter", remote_addr="192.0.2.8", at=DAY))
    return tokens


def _statistics(db, site, today=None):
    """The day's figures by queue; `today` decides which days are summed up and kept."""
    today = today or (DAY + timedelta(days=40)).date()
    return queue_statistics(db, site, DAY.date(), DAY.date(), today, View.DAY)


def test_pseudonymising_keeps_statistics_and_removes_tokens_codes_notes_and_addresses(
    database, settings, site
):
    tokens = _a_day_of_work(database, site)
    before = _statistics(database, site)
    assert sum(row["arrivals"] for row in before["rows"]) == 3
    assert sum(row["no_show"] for row in before["rows"]) == 1

    with database.writing() as s:
        dry = retention.run(s, settings, DAY + timedelta(days=31), dry_run=True)
    assert dry.counts[f"{site.id}: tickets pseudonymised"] == 3
    with database.reading() as s:
        assert lookup.ticket_by_token(s, tokens[0]).id  # a dry run changes nothing

    with database.writing() as s:
        report = retention.run(s, settings, DAY + timedelta(days=31))
    assert report.counts[f"{site.id}: tickets pseudonymised"] == 3
    assert report.counts[f"{site.id}: appointments pseudonymised"] == 1
    assert report.counts["audit addresses removed"] == 1
    assert report.counts["failed logins deleted"] == 1

    with database.reading() as s:
        for token in tokens:
            try:
                lookup.ticket_by_token(s, token)
                raise AssertionError("a status link still works after pseudonymisation")
            except NotFound:
                pass
        rows = s.scalars(select(Ticket)).all()
        assert all(t.note is None and t.idempotency_key is None for t in rows)
        assert {t.language for t in rows} == {"ku", "ar"}  # statistics keep the language
        appointment = s.scalars(select(Appointment)).one()
        assert appointment.note is None and appointment.code.startswith("~")
        assert s.scalars(select(AuditEntry.ip).where(AuditEntry.action == "login")).all() == [None]
        assert s.scalar(select(func.count()).select_from(LoginFailure)) == 0
    assert _statistics(database, site) == before

    with database.writing() as s:
        again = retention.run(s, settings, DAY + timedelta(days=32))
    assert again.counts[f"{site.id}: tickets pseudonymised"] == 0


def test_visit_rows_are_deleted_after_the_statistics_period_and_audit_rows_after_theirs(
    database, settings, site
):
    _a_day_of_work(database, site)
    with database.writing() as s:
        kept = retention.run(s, settings, DAY + timedelta(days=364))
    assert kept.counts["audit rows deleted"] == 0
    with database.writing() as s:
        gone = retention.run(s, settings, DAY + timedelta(days=366))
    assert gone.counts["audit rows deleted"] >= 1
    assert gone.counts[f"{site.id}: tickets deleted"] == 0
    with database.writing() as s:
        late = retention.run(s, settings, DAY + timedelta(days=731))
    assert late.counts[f"{site.id}: tickets deleted"] == 3
    assert late.counts[f"{site.id}: appointments deleted"] == 1
    with database.reading() as s:
        assert s.scalar(select(func.count()).select_from(Visit)) == 0
        runs = s.scalars(select(AuditEntry.action)).all()
        # The login of the worked day and the run at day 364 are older than 365 days.
        assert runs == ["retention_run", "retention_run"]
    # The daily sums the statistics stored went with the visits.
    assert _statistics(database, site, (DAY + timedelta(days=731)).date())["rows"] == []


def test_only_one_process_takes_the_daily_run(database, settings):
    now = DAY + timedelta(days=40)
    assert retention.run_if_due(database, settings, now) is not None
    assert retention.run_if_due(database, settings, now + timedelta(hours=2)) is None
    assert retention.run_if_due(database, settings, now + timedelta(days=1)) is not None
    with database.reading() as s:
        jobs = s.scalars(select(JobRun).order_by(JobRun.day)).all()
        assert [j.day for j in jobs] == [now.date(), (now + timedelta(days=1)).date()]
        assert all(j.finished_at is not None and j.summary for j in jobs)


def test_a_late_check_in_keeps_its_appointment_until_the_ticket_goes_too(database, settings, site):
    start = DAY + timedelta(hours=1)
    with database.writing() as s:
        code = appointments.book(
            s, site, Wanted("core-abh", start, "ar"), now=DAY - timedelta(days=1)
        ).code
    with database.writing() as s:
        appointments.check_in(s, site, code, now=start + timedelta(minutes=10))
    # The statistics cutoff falls between the appointment's start and the late check-in.
    as_of = start + timedelta(minutes=5, days=settings.privacy.statistics_days)
    with database.writing() as s:
        kept = retention.run(s, settings, as_of)
    assert kept.counts[f"{site.id}: appointments deleted"] == 0
    with database.writing() as s:
        gone = retention.run(s, settings, as_of + timedelta(days=1))
    assert gone.counts[f"{site.id}: tickets deleted"] == 1
    assert gone.counts[f"{site.id}: appointments deleted"] == 1
