"""Retention runs: pseudonymise and delete what the configured periods make due."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, delete, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.config import Settings, Site
from server.domain import retention as rules
from server.domain.audit import AuditAction
from server.models import (
    Appointment,
    AuditEntry,
    DaySequence,
    Event,
    HistoryVisit,
    JobRun,
    LoginFailure,
    PrinterAlert,
    QueueDay,
    StatisticsDay,
    Ticket,
    Visit,
)
from server.services import audit
from server.services.clock import utcnow

log = logging.getLogger(__name__)
JOB = "retention"


@dataclass
class Report:
    """Rows changed (or, in a dry run, that would change), by what happened to them."""

    as_of: datetime
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, rows: int) -> None:
        self.counts[what] = self.counts.get(what, 0) + max(rows, 0)

    def lines(self) -> list[str]:
        verb = "would change" if self.dry_run else "changed"
        head = f"retention as of {self.as_of.date().isoformat()} ({verb}):"
        return [head] + [f"  {what}: {rows}" for what, rows in self.counts.items()]

    def summary(self) -> str:
        return ", ".join(f"{what} {rows}" for what, rows in self.counts.items() if rows) or "none"


def _rows(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _site_tickets(site: Site, before: datetime) -> Any:
    return select(Ticket.id).where(Ticket.site_id == site.id, Ticket.arrived_at < before)


def _pseudonymise_site(session: Session, site: Site, cut: rules.Cutoffs, report: Report) -> None:
    gone = literal(rules.GONE + "t")
    tickets = session.execute(
        update(Ticket)
        .where(
            Ticket.site_id == site.id,
            Ticket.arrived_at < cut.personal,
            ~Ticket.token.startswith(rules.GONE),
        )
        .values(
            token=gone + literal("t") + cast(Ticket.id, String), idempotency_key=None, note=None
        )
        .execution_options(synchronize_session=False)
    )
    report.add(f"{site.id}: tickets pseudonymised", _rows(tickets))
    notes = session.execute(
        update(Visit)
        .where(Visit.ticket_id.in_(_site_tickets(site, cut.personal)), Visit.note.is_not(None))
        .values(note=None)
        .execution_options(synchronize_session=False)
    )
    report.add(f"{site.id}: visit notes removed", _rows(notes))
    after = site.checkin.minutes_after
    candidates = session.scalars(
        select(Appointment).where(
            Appointment.site_id == site.id,
            Appointment.start < cut.personal,
            ~Appointment.code.startswith(rules.GONE),
        )
    )
    count = 0
    for appointment in candidates:
        if not rules.appointment_due(appointment.start, after, cut.personal):
            continue
        appointment.code = rules.code_pseudonym(appointment.code, site.id)
        appointment.token = rules.GONE + f"a{appointment.id}"
        appointment.note = None
        count += 1
    session.flush()
    report.add(f"{site.id}: appointments pseudonymised", count)


def _delete_site(session: Session, site: Site, cut: rules.Cutoffs, report: Report) -> None:
    old = _site_tickets(site, cut.statistics)
    opts = {"synchronize_session": False}
    events = session.execute(
        delete(Event)
        .where(Event.site_id == site.id, (Event.ticket_id.in_(old)) | (Event.at < cut.statistics))
        .execution_options(**opts)
    )
    visits = session.execute(
        delete(Visit).where(Visit.ticket_id.in_(old)).execution_options(**opts)
    )
    tickets = session.execute(
        delete(Ticket)
        .where(Ticket.site_id == site.id, Ticket.arrived_at < cut.statistics)
        .execution_options(**opts)
    )
    # A late check-in's ticket may be younger than its appointment: it keeps the row.
    still_referenced = select(Ticket.appointment_id).where(Ticket.appointment_id.is_not(None))
    appointments = session.execute(
        delete(Appointment)
        .where(
            Appointment.site_id == site.id,
            Appointment.start < cut.statistics,
            Appointment.id.not_in(still_referenced),
        )
        .execution_options(**opts)
    )
    day = cut.statistics.date()
    for model in (DaySequence, QueueDay):
        session.execute(delete(model).where(model.site_id == site.id, model.service_day < day))
    # The statistics' daily sums and imported history live no longer than the visits.
    rollups = session.execute(
        delete(StatisticsDay).where(StatisticsDay.site_id == site.id, StatisticsDay.day < day)
    )
    history = session.execute(
        delete(HistoryVisit).where(
            HistoryVisit.site_id == site.id, HistoryVisit.arrived_at < cut.statistics
        )
    )
    session.execute(
        delete(PrinterAlert).where(
            PrinterAlert.site_id == site.id, PrinterAlert.created_at < cut.statistics
        )
    )
    report.add(f"{site.id}: visits deleted", _rows(visits))
    report.add(f"{site.id}: tickets deleted", _rows(tickets))
    report.add(f"{site.id}: events deleted", _rows(events))
    report.add(f"{site.id}: appointments deleted", _rows(appointments))
    report.add(f"{site.id}: daily statistics deleted", _rows(rollups))
    report.add(f"{site.id}: imported visits deleted", _rows(history))


def _installation(session: Session, cut: rules.Cutoffs, report: Report) -> None:
    logins = session.execute(delete(LoginFailure).where(LoginFailure.at < cut.personal))
    report.add("failed logins deleted", _rows(logins))
    addresses = session.execute(
        update(AuditEntry)
        .where(AuditEntry.at < cut.personal, AuditEntry.ip.is_not(None))
        .values(ip=None)
    )
    report.add("audit addresses removed", _rows(addresses))
    entries = session.execute(delete(AuditEntry).where(AuditEntry.at < cut.audit))
    report.add("audit rows deleted", _rows(entries))


def run(
    session: Session,
    settings: Settings,
    as_of: datetime | None = None,
    *,
    dry_run: bool = False,
    actor: str = "system",
) -> Report:
    """Apply every site's retention periods as of `as_of`; a dry run changes nothing."""
    as_of = as_of or utcnow()
    report = Report(as_of, dry_run)
    savepoint = session.begin_nested()
    for site in settings.sites:
        cut = rules.cutoffs(settings.privacy_of(site).periods(), as_of)
        _pseudonymise_site(session, site, cut, report)
        _delete_site(session, site, cut, report)
    _installation(session, rules.cutoffs(settings.privacy.periods(), as_of), report)
    if dry_run:
        savepoint.rollback()
        return report
    savepoint.commit()
    audit.record(
        session, actor, AuditAction.RETENTION_RUN.value, report.summary()[:200], None, now=as_of
    )
    return report


def claim(session: Session, day: Any, now: datetime, name: str = JOB) -> bool:
    """Take the day's job; of several processes (or workers) only one gets True."""
    try:
        with session.begin_nested():
            session.add(JobRun(name=name, day=day, started_at=now))
    except IntegrityError:
        return False
    return True


def run_if_due(db: Any, settings: Settings, now: datetime | None = None) -> Report | None:
    """The daily run: claim today's job row, run, note the summary. None when taken already."""
    now = now or utcnow()
    with db.writing() as session:
        if not claim(session, now.date(), now):
            return None
        report = run(session, settings, now)
        job = session.get(JobRun, (JOB, now.date()))
        if job is not None:
            job.finished_at, job.summary = utcnow(), report.summary()
    log.info("retention run: %s", report.summary())
    return report
