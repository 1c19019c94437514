"""One place that maps failures to HTTP: JSON for the API, a page in the visitor's language else."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from server import visitor_errors
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
    domain.RateLimited: 429,
    domain.AnonymousIssuingOff: 403,
    domain.UnknownKioskKey: 401,
    domain.WrongKiosk: 403,
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
    if status == 500:
        code = "server_error"
    elif not visitor_errors.known(code):
        code = "not_found" if status == 404 else "bad_request" if status < 500 else "server_error"
    return render_template("error.html", status=status, **visitor_errors.page_model(code)), status


def init_errors(app: Flask) -> None:
    @app.errorhandler(domain.DomainError)
    def domain_error(exc: domain.DomainError) -> Any:
        status = next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)
        body, code = error_response(status, exc.code, exc.message)
        if exc.details() and wants_json():
            body["error"].update(exc.details())
        if isinstance(exc, domain.RateLimited):
            return body, code, {"Retry-After": str(exc.retry_after)}
        return body, code

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> Any:
        return error_response(403, "csrf", exc.description or "CSRF token missing or wrong")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        messages = {401: "login required", 403: "your role does not allow this"}
        message = messages.get(status) or exc.description or exc.name
        return error_response(status, HTTP_CODES.get(status, "http_error"), message)

    @app.errorhandler(OperationalError)
    def database_unavailable(exc: OperationalError) -> Any:
        # A full disk, a read-only file or a database that went away: the request may
        # succeed again later, so 503 with Retry-After rather than a 500.
        app.logger.error("database unavailable on %s %s: %s", request.method, request.path, exc)
        response = error_response(503, "database_unavailable", "the database is unavailable")
        body, status = response
        return body, status, {"Retry-After": "5"}

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Any:
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "server_error", "internal error")
