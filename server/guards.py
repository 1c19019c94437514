"""Checks every request passes before a view sees it: bounds, text, media type, origin.

Views and services can then trust that ids fit the database's integers, that no text
holds a control character the database refuses, and that a JSON endpoint was sent JSON
(a form or text/plain body from a foreign page is how cross-site requests look).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, request
from pydantic import TypeAdapter, ValidationError
from werkzeug.exceptions import Forbidden, UnsupportedMediaType

from server.domain.errors import InvalidInput, NotFound
from server.domain.inputs import has_control_character, valid_id

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Endpoints a browser page of another origin must never reach with our cookies.
ORIGIN_CHECKED = frozenset({"api.login"})
# Headers whose values are stored or looked up in the database.
STORED_HEADERS = ("Idempotency-Key", "X-Kiosk-Key")


def _path_checks() -> dict[str, TypeAdapter[Any]]:
    """A path parameter's declared type (server.api.schemas), by its name in the routes."""
    from server.api.schemas import PATH_TYPES  # imported late: server.api imports this module

    return {name: TypeAdapter(kind) for name, (_shown, kind) in PATH_TYPES.items()}


def _check_path_and_query(checks: dict[str, TypeAdapter[Any]]) -> None:
    for name, value in (request.view_args or {}).items():
        check = checks.get(name)
        if check is not None:
            try:
                check.validate_python(value)
            except ValidationError:
                # A value its declared type refuses names nothing that exists.
                raise NotFound("no such object") from None
        elif isinstance(value, int) and not valid_id(value):
            raise NotFound("no such object")
        elif isinstance(value, str) and has_control_character(value):
            raise NotFound("no such object")
    for key, value in request.args.items(multi=True):
        if has_control_character(key) or has_control_character(value):
            raise InvalidInput("the query holds a control character")
    if request.method in STATE_CHANGING and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        for key, value in request.form.items(multi=True):
            if has_control_character(key) or has_control_character(value):
                raise InvalidInput("a field holds a control character")


def same_origin(origin: str, host_url: str) -> bool:
    mine, theirs = urlsplit(host_url), urlsplit(origin)
    return (theirs.scheme, theirs.netloc) == (mine.scheme, mine.netloc)


def check_json_media_type() -> None:
    """415 unless a body, if any, is declared JSON (called where the body is read)."""
    if request.mimetype == "application/json":
        return
    # A form body is parsed (and its stream used up) by the time a view runs: ask for both.
    if request.content_length or request.form or request.get_data(cache=True):
        raise UnsupportedMediaType("this endpoint accepts only application/json")


def _check_api_request() -> None:
    for name in STORED_HEADERS:
        if has_control_character(request.headers.get(name, "")):
            raise InvalidInput(f"the {name} header holds a control character")
    if request.method not in STATE_CHANGING:
        return
    origin = request.headers.get("Origin")
    if request.endpoint in ORIGIN_CHECKED and origin and not same_origin(origin, request.host_url):
        raise Forbidden("requests from another origin are refused")


def init_guards(app: Flask) -> None:
    checks = _path_checks()

    @app.before_request
    def guard() -> Any:
        # The declared path types are the API's (its description); a visitor page such as
        # /t/<token> answers an unknown value with its own page in the visitor's language.
        _check_path_and_query(checks if request.blueprint == "api" else {})
        if request.blueprint == "api":
            _check_api_request()  # the media type is checked where the body is read
        return None
