"""The v1 API's request and response shapes as pydantic models (one description).

Requests are checked against these before a view runs (server.api.openapi), and
GET /api/v1/openapi.json is generated from them. Response models allow fields beyond
those named: the contract lets the API grow without a new version.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

# No NUL or other control character: the databases refuse some, and nobody types them.
_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
Id = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=_TEXT)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=_TEXT)]
Note = Annotated[str, StringConstraints(max_length=2000, pattern=_TEXT)]
Language = Literal["de", "en", "ar", "ku", "ckb"]
Status = Literal["waiting", "called", "serving", "done", "no_show", "cancelled", "parked"]


class Request(BaseModel):
    # Unknown fields are ignored (older and newer clients); known ones are checked.
    model_config = ConfigDict(extra="ignore")


class Response(BaseModel):
    model_config = ConfigDict(extra="allow")


# ------------------------------------------------------------------ requests


class IssueTicket(Request):
    site: Id
    concern: Id
    language: Language
    kiosk: Id | None = None
    idempotency_key: Text | None = None


class Checkin(Request):
    site: Id
    code: Text
    kiosk: Id | None = None
    language: Language | None = None
    idempotency_key: Text | None = None


class Login(Request):
    username: Text
    password: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=_TEXT)]


class CallNext(Request):
    queue: Id | None = None


class Transfer(Request):
    queue: Id | None = None
    counter: Id | None = None
    note: Note | None = None
    keep_arrival: bool = True


class ReceptionTicket(Request):
    site: Id
    concern: Id | None = None
    queue: Id | None = None
    language: Language
    priority_reason: Text | None = None


class QueueState(Request):
    closed: bool


class Booking(Request):
    site: Id
    queue: Id
    start: Annotated[str, StringConstraints(min_length=10, max_length=40, pattern=_TEXT)]
    language: Language
    note: Note | None = None
    override_reason: Text | None = None


class Rebooking(Request):
    start: Annotated[str, StringConstraints(min_length=10, max_length=40, pattern=_TEXT)]
    override_reason: Text | None = None


# ------------------------------------------------------------------ responses


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


class Statistics(Response):
    rows: list[dict[str, object]]
