"""One place that maps failures to HTTP: JSON for the API, a page in the visitor's language else."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from server.domain import errors as domain
from server.services.users import BadCredentials, PasswordChangeRequired, TooManyAttempts

STATUS: dict[type[domain.DomainError], int] = {
    domain.NotFound: 404,
    domain.MalformedRequest: 400,
    domain.InvalidInput: 422,
    domain.InvalidTransition: 409,
    domain.Conflict: 409,
    domain.Forbidden: 403,
    domain.QueueClosed: 409,
    domain.CapacityExhausted: 409,
    domain.AlreadyCheckedIn: 409,
    domain.AppointmentCancelled: 409,
    domain.SlotFull: 409,
    domain.CheckinTooEarly: 422,
    domain.CheckinTooLate: 422,
    domain.InvitationExpired: 422,
    BadCredentials: 401,
    TooManyAttempts: 429,
    PasswordChangeRequired: 403,
}

# What a visitor reads when something goes wrong on a public page.
VISITOR_MESSAGES = {
    "not_found": _l("This page does not exist or is no longer valid."),
    "queue_closed": _l("This service takes no more visitors today. Please ask at reception."),
    "capacity_exhausted": _l(
        "All numbers for this service are given out for today. Please ask at reception."
    ),
    "unknown_code": _l("We do not know this invitation code. Please ask at reception."),
    "invitation_expired": _l("This invitation has expired. Please ask at reception."),
    "invalid": _l("Something was not filled in correctly. Please try again."),
    "bad_request": _l("Something was not filled in correctly. Please try again."),
    "server_error": _l("Something went wrong on our side. Please ask at reception."),
}

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_attempts",
}


def wants_json() -> bool:
    if request.path.startswith("/api/") or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def error_response(status: int, code: str, message: str) -> Any:
    if wants_json():
        return {"error": {"code": code, "message": message}}, status
    text = (
        VISITOR_MESSAGES.get(code, message) if status != 500 else VISITOR_MESSAGES["server_error"]
    )
    return render_template("error.html", status=status, message=text), status


def init_errors(app: Flask) -> None:
    @app.errorhandler(domain.DomainError)
    def domain_error(exc: domain.DomainError) -> Any:
        status = next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)
        response = error_response(status, exc.code, exc.message)
        if exc.details() and wants_json():
            body, code = response
            body["error"].update(exc.details())
            return body, code
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> Any:
        return error_response(403, "csrf", exc.description or "CSRF token missing or wrong")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        messages = {401: "login required", 403: "your role does not allow this"}
        message = messages.get(status) or exc.description or exc.name
        return error_response(status, HTTP_CODES.get(status, "http_error"), message)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Any:
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "server_error", "internal error")
