"""SQLAlchemy 2 typed models: tickets, their stops and events, users, appointments."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every database (SQLite keeps no time zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class DaySequence(Base):
    """The last number given out per site, day and prefix."""

    __tablename__ = "day_sequences"

    site_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    service_day: Mapped[date] = mapped_column(Date, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(2), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        # Invariant 1: no two tickets of one site and day share a number.
        UniqueConstraint("site_id", "service_day", "number", name="uq_ticket_number"),
        UniqueConstraint("site_id", "idempotency_key", name="uq_ticket_idempotency"),
        # call-next and position: the waiting tickets of a queue in arrival order.
        Index("ix_ticket_waiting", "site_id", "service_day", "queue_id", "status", "arrived_at"),
        Index("ix_ticket_counter", "counter_id", "status"),
        # call-next: the few waiting tickets that jump the line (priority, appointment),
        # found without reading the whole queue.
        Index(
            "ix_ticket_jumps_line",
            "site_id",
            "service_day",
            "queue_id",
            "status",
            sqlite_where=text("priority IS 1 OR appointment_id IS NOT NULL"),
            postgresql_where=text("priority IS true OR appointment_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[str] = mapped_column(String(40))
    service_day: Mapped[date] = mapped_column(Date)
    number: Mapped[str] = mapped_column(String(12))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(5))
    concern_id: Mapped[str | None] = mapped_column(String(40))
    queue_id: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12))
    counter_id: Mapped[str | None] = mapped_column(String(40))
    # Set when a ticket was handed on to one named counter: only that counter calls it.
    reserved_counter_id: Mapped[str | None] = mapped_column(String(40))
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    priority_reason: Mapped[str | None] = mapped_column(String(80))
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"))
    kiosk_id: Mapped[str | None] = mapped_column(String(40))
    idempotency_key: Mapped[str | None] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(Text)
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recalls: Mapped[int] = mapped_column(Integer, default=0)
    # The wait (minutes) told to the visitor when the ticket was issued: statistics
    # compare it with the wait they had.
    estimated_wait_minutes: Mapped[int | None] = mapped_column(Integer)
    # Reception's interpreter mark: only a clerk speaking this language calls the ticket.
    needs_language: Mapped[str | None] = mapped_column(String(12))
    # When a call first went past this ticket for language (the fairness window starts).
    passed_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    appointment: Mapped[Appointment | None] = relationship(foreign_keys=[appointment_id])
    visits: Mapped[list[Visit]] = relationship(back_populates="ticket", order_by="Visit.id")


class Visit(Base):
    """One stop of a ticket at a queue and, once called, a counter: the source of statistics."""

    __tablename__ = "visits"
    __table_args__ = (
        Index("ix_visit_queue_finished", "queue_id", "finished_at"),
        # statistics: the stops of a date range
        Index("ix_visit_queued_at", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    queue_id: Mapped[str] = mapped_column(String(40))
    counter_id: Mapped[str | None] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)

    ticket: Mapped[Ticket] = relationship(back_populates="visits")


class Event(Base):
    """Append-only log of every state change; statistics and audit read from it."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_event_site_at", "site_id", "at"),
        Index("ix_event_site_kind", "site_id", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[str] = mapped_column(String(40))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    queue_id: Mapped[str | None] = mapped_column(String(40))
    counter_id: Mapped[str | None] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Raised to end every open session of the user at once (deactivation, new password):
    # a session remembers the value it started with (key "sv") and is refused when it differs.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Comma-separated ISO codes of the languages the user speaks with visitors.
    languages: Mapped[str] = mapped_column(String(60), default="", server_default="")
    # Comma-separated site ids the user may work for; empty: every site.
    sites: Mapped[str] = mapped_column(String(400), default="", server_default="")
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=text("false")
    )


class LoginFailure(Base):
    """Failed logins, kept in the database so throttling holds across workers."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failure_user_at", "username", "at"),
        Index("ix_login_failure_addr_at", "remote_addr", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        Index("ix_appointment_slot", "site_id", "queue_id", "start"),
        # A slot's capacity is held by the database: each live booking takes one numbered
        # seat of its slot, so two clerks booking the last seat at once cannot both win.
        # Cancelling frees the seat (NULL never collides).
        UniqueConstraint("site_id", "queue_id", "start", "seat", name="uq_appointment_seat"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[str] = mapped_column(String(40))
    queue_id: Mapped[str] = mapped_column(String(40))
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    language: Mapped[str] = mapped_column(String(5))
    code: Mapped[str] = mapped_column(String(16), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="booked")
    note: Mapped[str | None] = mapped_column(Text)
    ticket_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    seat: Mapped[int | None] = mapped_column(Integer)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class QueueDay(Base):
    """A queue closed for new tickets on one day by a supervisor."""

    __tablename__ = "queue_days"

    site_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    queue_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    service_day: Mapped[date] = mapped_column(Date, primary_key=True)
    closed: Mapped[bool] = mapped_column(Boolean, default=True)


class PrinterAlert(Base):
    """A kiosk printer failed; shown to staff until acknowledged."""

    __tablename__ = "printer_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[str] = mapped_column(String(40))
    kiosk_id: Mapped[str] = mapped_column(String(40))
    ticket_number: Mapped[str | None] = mapped_column(String(12))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AuditEntry(Base):
    """Who did what, when, from where: appended by server.services.audit.record only."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_at", "at"), Index("ix_audit_actor_at", "actor", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    site_id: Mapped[str | None] = mapped_column(String(40))
    actor: Mapped[str | None] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str | None] = mapped_column(String(200))
    ip: Mapped[str | None] = mapped_column(String(64))


class JobRun(Base):
    """A daily job claimed for one day: the primary key lets exactly one process run it."""

    __tablename__ = "job_runs"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    summary: Mapped[str | None] = mapped_column(Text)


class HistoryVisit(Base):
    """A past visit from another system (or the demo): counted in statistics and forecasts.

    Kept apart from tickets: it has no number, token or life cycle, so it can never be
    called, counted as waiting or collide with a day's numbers.
    """

    __tablename__ = "history_visits"
    __table_args__ = (Index("ix_history_site_arrived", "site_id", "arrived_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[str] = mapped_column(String(40))
    queue_id: Mapped[str] = mapped_column(String(40))
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(12))
    language: Mapped[str | None] = mapped_column(String(5))
    estimated_wait_minutes: Mapped[int | None] = mapped_column(Integer)
    # "import" (anlaufstelle history import) or "demo" (anlaufstelle demo history)
    source: Mapped[str] = mapped_column(String(10))


class StatisticsDay(Base):
    """The daily rollup: a closed day's summaries per queue and hour (no personal data).

    `data` is {"format": 2, "queues": {queue: {hour: summary}}} (server/domain/summary.py);
    a day without visits has no queues and is not summed up again.
    """

    __tablename__ = "statistics_days"

    site_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class HealthProbe(Base):
    """One row the health check rewrites: proof that the database still takes writes."""

    __tablename__ = "health_probe"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class KioskKey(Base):
    """A kiosk's device key (only its hash is kept): it lets the kiosk issue unthrottled."""

    __tablename__ = "kiosk_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(40), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AnonymousIssue(Base):
    """A ticket request without kiosk key or staff session, counted for the rate limit.

    The client is a keyed hash of its address, never the address; rows older than a day
    are deleted as new ones come in.
    """

    __tablename__ = "anonymous_issues"
    __table_args__ = (
        Index("ix_anonymous_issue_client_at", "client", "at"),
        Index("ix_anonymous_issue_site_at", "site_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[str] = mapped_column(String(40))
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class CounterPresence(Base):
    """Whether a counter is open, on a break or closed, since when and by whom."""

    __tablename__ = "counter_presence"

    site_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    counter_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    state: Mapped[str] = mapped_column(String(8))
    since: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
