"""What the v1 API accepts, as pydantic models: bodies, queries and path parameters.

These are the one description of a request: server.api.operations validates every body
and query against them and hands the view the parsed model, server.guards checks path
parameters with PATH_TYPES, and GET /api/v1/openapi.json is generated from them.
The answers' shapes live in server.api.answers.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from server.domain.aggregate import View
from server.domain.appointments import parse_start
from server.domain.errors import InvalidInput
from server.domain.inputs import FIRST_DAY, LAST_DAY, MAX_ID
from server.domain.presence import Presence
from server.services.capacity import MAX_FORECAST_DAYS

# No NUL or other control character: the databases refuse some, and nobody types them.
_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
Id = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=_TEXT)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=_TEXT)]
Note = Annotated[str, StringConstraints(max_length=2000, pattern=_TEXT)]
Language = Literal["de", "en", "ar", "ku", "ckb"]
# Staff languages and interpreter needs: any ISO 639 code (the service checks it is known).
LanguageCode = Annotated[str, StringConstraints(min_length=2, max_length=8, pattern=r"^[a-z]+$")]
Status = Literal["waiting", "called", "serving", "done", "no_show", "cancelled", "parked"]
# The ids either database stores (PostgreSQL INTEGER, 32 bits signed).
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
# Statistics, lists and bookings: no agency plans or looks back further.
Day = Annotated[
    date,
    Field(
        ge=FIRST_DAY,
        le=LAST_DAY,
        json_schema_extra={"formatMinimum": str(FIRST_DAY), "formatMaximum": str(LAST_DAY)},
    ),
]


def _start(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError("give an ISO 8601 time with its UTC offset")
    try:
        return parse_start(value)
    except InvalidInput as exc:
        raise ValueError(exc.message) from None


# An appointment's start: ISO 8601 with its offset, within the sane window of days.
Start = Annotated[datetime, BeforeValidator(_start)]


def _split_commas(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


# A list of codes, also accepted as one comma-separated string (the admin page sends that).
Codes = Annotated[list[Id], BeforeValidator(_split_commas), Field(max_length=50)]


class Request(BaseModel):
    # Unknown fields are ignored (older and newer clients); known ones are checked.
    model_config = ConfigDict(extra="ignore")


# ------------------------------------------------------------------ path parameters

Slug = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")]
Token = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Username = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=_TEXT)]

# Each path parameter of a v1 route (Flask's name): its name in the description and its type.
# A value its type refuses names nothing that exists: 404 (server.guards).
PATH_TYPES: dict[str, tuple[str, Any]] = {
    "site_id": ("site", Slug),
    "counter_id": ("counter", Slug),
    "display_id": ("display", Slug),
    "kiosk_id": ("kiosk", Slug),
    "queue_id": ("queue", Slug),
    "token": ("token", Token),
    "ticket_id": ("id", RowId),
    "appointment_id": ("appointment", RowId),
    "alert_id": ("alert", RowId),
    "username": ("username", Username),
}

# ------------------------------------------------------------------ bodies


class AtKiosk(Request):
    """A visitor's tap at a kiosk (or on their phone); a retry sends the same key."""

    site: Id
    kiosk: Id | None = None
    idempotency_key: Text | None = None


class IssueTicket(AtKiosk):
    concern: Id
    language: Language


class Checkin(AtKiosk):
    code: Text
    language: Language | None = None


class Login(Request):
    username: Text
    password: Text


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


class Rebooking(Request):
    """A slot: its start, and reception's reason when it lies outside the booking window."""

    start: Start
    override_reason: Text | None = None


class Booking(Rebooking):
    site: Id
    queue: Id
    language: Language
    note: Note | None = None


class Nothing(Request):
    """No fields: an empty JSON object, or no body at all."""


class PresenceChange(Request):
    state: Presence


class InterpreterNeed(Request):
    # Required, but null clears the mark.
    language: LanguageCode | None


class NewUser(Request):
    username: Text
    role: Text
    password: Text
    languages: Codes | None = None
    sites: Codes | None = None


class UserChange(Request):
    role: Text | None = None
    languages: Codes | None = None
    sites: Codes | None = None
    active: bool | None = None
    password: Text | None = None


class NewPassword(Request):
    password: Text


# ------------------------------------------------------------------ queries


class LanguageQuery(Request):
    lang: LanguageCode | None = None


class DayQuery(Request):
    date: Day | None = None


class StatisticsParams(Request):
    """The statistics' query; the counter's statistics page reads the same one."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    from_: Day | None = Field(None, alias="from")
    to: Day | None = None
    by: View = View.DAY
    format: Literal["json", "csv", "xlsx"] = "json"
    queue: Id | None = None


class ForecastQuery(Request):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    from_: Day | None = Field(None, alias="from")
    days: int = Field(7, ge=1, le=MAX_FORECAST_DAYS)
    queue: Id | None = None


class DaysQuery(Request):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    from_: Day | None = Field(None, alias="from")
    to: Day | None = None


class AuditQuery(DaysQuery):
    actor: Text | None = None
    action: Text | None = None
    format: Literal["json", "csv"] = "json"
