"""What the v1 API answers, as pydantic models (for GET /api/v1/openapi.json).

Every answer may carry fields beyond those named: the contract lets the API grow
without a new version. Nullable fields are nullable here too, so that the fuzz run of
tests/hardening/test_openapi.py can hold every answer against its model.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from server.api.schemas import Status


class Response(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorBody(Response):
    code: str
    message: str


class Error(Response):
    error: ErrorBody


class Health(Response):
    status: Literal["ok", "unavailable"]


class Named(Response):
    id: str
    name: str


class ConcernItem(Response):
    id: str
    label: str | None
    icon: str
    queue: str


class CounterLabel(Response):
    id: str
    label: str | None


class CounterItem(CounterLabel):
    queues: list[str]


class PublicTicket(Response):
    number: str
    token: str
    status: Status
    queue: str
    position: int | None
    estimated_wait_minutes: int | None
    counter: CounterLabel | None
    language: str
    status_url: str
    appointment: bool


class StaffTicket(PublicTicket):
    id: int


class Call(Response):
    number: str
    counter: CounterLabel
    called_at: str


class DisplayState(Response):
    calls: list[Call]
    waiting: dict[str, int]


class Whoami(Response):
    username: str
    role: str


class QueueItem(Response):
    id: str
    waiting: int


class QueueStateAnswer(Response):
    queue: str
    closed: bool


class SiteOverview(Response):
    site: str
    now: str
    queues: list[dict[str, object]]
    counters: list[dict[str, object]]
    waiting: list[dict[str, object]]


class KioskKey(Response):
    kiosk: str
    key: str


class KioskItem(Response):
    kiosk: str
    site: str
    name: str
    enrolled_since: str | None


class Appointment(Response):
    id: int
    code: str
    start: str
    queue: str
    invitation_url: str


class AppointmentView(Appointment):
    language: str
    status: str
    progress: str
    late: bool
    checked_in_at: str | None
    note: str | None


class Slot(Response):
    start: str


class Rows(Response):
    """Statistics, forecast and audit answers: rows, one column per key."""

    rows: list[dict[str, object]]


class PresenceState(Response):
    counter: str
    state: Literal["open", "break", "closed"]
    since: str | None


class LanguageOverview(Response):
    site: str
    now: str
    queues: list[dict[str, object]]
    unmet: list[dict[str, object]]


class LanguageStatistics(Response):
    demand: list[dict[str, object]]
    fairness: list[dict[str, object]]


class User(Response):
    username: str
    role: str
    languages: list[str]
    active: bool


class Alert(Response):
    id: int
    site: str
    ticket_number: str | None
    message: str
    created_at: str
    acknowledged_at: str | None
