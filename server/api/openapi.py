"""GET /api/v1/openapi.json: the OpenAPI 3.1 description, generated from server.api.schemas.

Chosen over spectree or flask-openapi3: both want to own the routing and validation of
the views, which the ticket core's rebuild is rewriting in parallel. Pydantic's own JSON
schema (draft 2020-12, which OpenAPI 3.1 uses unchanged) needs only a table of the
routes, below, and the same table lets every JSON body be checked against its model
before the view runs.
"""

from __future__ import annotations

import re
from typing import Any

from flask import request
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema

from server.api import bp
from server.api import schemas as s
from server.domain.errors import InvalidInput

ID = {"type": "string", "minLength": 1, "maxLength": 40, "pattern": r"^[A-Za-z0-9_.-]+$"}
ROW_ID = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
TOKEN = {"type": "string", "minLength": 1, "maxLength": 64, "pattern": r"^[A-Za-z0-9_-]+$"}
DAY = {"type": "string", "format": "date"}


# (method, path, summary, request model, {status: response model or None}, query params)
ROUTES: list[tuple[str, str, str, type[BaseModel] | None, dict[int, Any], dict[str, Any]]] = [
    ("get", "/health", "Is the database usable", None, {200: s.Health, 503: s.Health}, {}),
    ("get", "/sites", "The sites", None, {200: [s.Named]}, {}),
    (
        "get",
        "/sites/{site}/concerns",
        "A site's concerns",
        None,
        {200: [s.ConcernItem]},
        {"lang": {"type": "string", "maxLength": 5}},
    ),
    ("get", "/sites/{site}/counters", "A site's counters", None, {200: [s.CounterItem]}, {}),
    ("get", "/sites/{site}/displays", "A site's displays", None, {200: [s.Named]}, {}),
    ("get", "/sites/{site}/kiosks", "A site's kiosks", None, {200: [s.Named]}, {}),
    ("post", "/tickets", "Issue a ticket", s.IssueTicket, {201: s.PublicTicket}, {}),
    ("get", "/tickets/{token}", "A ticket by its token", None, {200: s.PublicTicket}, {}),
    ("post", "/checkin", "Check in with an invitation", s.Checkin, {201: s.PublicTicket}, {}),
    ("get", "/displays/{display}/state", "A display's state", None, {200: s.DisplayState}, {}),
    ("post", "/session", "Log in", s.Login, {204: None}, {}),
    ("delete", "/session", "Log out", None, {204: None}, {}),
    ("get", "/session", "Who is logged in", None, {200: s.Whoami}, {}),
    ("get", "/sites/{site}/queues", "Queues (staff)", None, {200: [s.QueueItem]}, {}),
    (
        "post",
        "/counters/{counter}/next",
        "Call the next visitor",
        s.CallNext,
        {200: s.StaffTicket, 204: None},
        {},
    ),
    *[
        ("post", f"/tickets/{{id}}/{verb}", f"{verb} a ticket", None, {200: s.StaffTicket}, {})
        for verb in ("recall", "start", "finish", "no-show", "cancel")
    ],
    ("post", "/tickets/{id}/transfer", "Transfer a ticket", s.Transfer, {200: s.StaffTicket}, {}),
    (
        "post",
        "/tickets/reception",
        "Reception issues a ticket",
        s.ReceptionTicket,
        {201: s.StaffTicket},
        {},
    ),
    ("post", "/appointments", "Book an appointment", s.Booking, {201: s.Appointment}, {}),
    (
        "get",
        "/sites/{site}/statistics",
        "Statistics (supervisor)",
        None,
        {200: s.Statistics},
        {"from": DAY, "to": DAY, "by": {"type": "string", "enum": ["day", "hour"]}},
    ),
    ("post", "/kiosks/{kiosk}/key", "Enrol a kiosk (admin)", None, {201: s.KioskKey}, {}),
    ("delete", "/kiosks/{kiosk}/key", "Revoke a kiosk's key (admin)", None, {204: None}, {}),
    ("get", "/kiosks", "Kiosks and their keys (admin)", None, {200: [s.KioskItem]}, {}),
]
# Bodies of endpoints that the table above does not list (yet) are checked in the views.
BODY_MODELS: dict[str, type[BaseModel]] = {
    "api.issue_ticket": s.IssueTicket,
    "api.checkin": s.Checkin,
    "api.login": s.Login,
    "api.call_next": s.CallNext,
    "api.transfer": s.Transfer,
    "api.issue_at_reception": s.ReceptionTicket,
    "api.set_queue_state": s.QueueState,
    "api.book_appointment": s.Booking,
    "api.rebook_appointment": s.Rebooking,
}


def _models() -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    for _m, _p, _s, body, answers, _q in ROUTES:
        for model in [body, *answers.values()]:
            model = model[0] if isinstance(model, list) else model
            if model is not None and model not in found:
                found.append(model)
    return found + [s.Error]


def _ref(model: Any) -> dict[str, Any]:
    if isinstance(model, list):
        return {"type": "array", "items": _ref(model[0])}
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _parameter(name: str) -> dict[str, Any]:
    schema = {"id": ROW_ID, "token": TOKEN}.get(name, ID)
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _operation(summary: str, body: Any, answers: dict[int, Any], query: dict[str, Any], path: str):
    error = {"description": "error", "content": {"application/json": {"schema": _ref(s.Error)}}}
    responses: dict[str, Any] = {"4XX": error, "503": error}
    for status, model in answers.items():
        if model is None:
            responses[str(status)] = {"description": summary}
        else:
            content = {"application/json": {"schema": _ref(model)}}
            responses[str(status)] = {"description": summary, "content": content}
    operation: dict[str, Any] = {
        "summary": summary,
        "parameters": [_parameter(n) for n in re.findall(r"{(\w+)}", path)]
        + [{"name": n, "in": "query", "required": False, "schema": q} for n, q in query.items()],
        "responses": responses,
    }
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(body)}},
        }
    return operation


def description() -> dict[str, Any]:
    _keys, definitions = models_json_schema(
        [(m, "validation") for m in _models()], ref_template="#/components/schemas/{model}"
    )
    paths: dict[str, dict[str, Any]] = {}
    for method, path, summary, body, answers, query in ROUTES:
        paths.setdefault(path, {})[method] = _operation(summary, body, answers, query, path)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Anlaufstelle", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {"schemas": definitions.get("$defs", {})},
    }


@bp.get("/openapi.json")
def openapi() -> Any:
    return description()


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error["loc"]) or "body"
    return f"{where}: {error['msg']}"


def check_body(data: dict[str, Any]) -> None:
    """Refuse (422) a JSON body that its endpoint's model does not accept."""
    model = BODY_MODELS.get(request.endpoint or "")
    if model is None:
        return
    try:
        model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(_first_problem(exc)) from None
