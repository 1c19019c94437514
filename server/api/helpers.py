"""Small request helpers shared by the API views."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import request

from server.domain import inputs
from server.domain.errors import InvalidInput, MalformedRequest
from server.domain.inputs import MAX_DEPTH, depth, has_control_character, strings_in
from server.guards import check_json_media_type
from server.realtime import Hub
from server.runtime import runtime


def json_body() -> dict[str, Any]:
    """The request's JSON object; 415 unless declared JSON, 400 if it is not an object."""
    check_json_media_type()
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise MalformedRequest("the body is not valid JSON") from None
    except RecursionError:
        raise MalformedRequest("the body is nested too deeply") from None
    if not isinstance(data, dict):
        raise MalformedRequest("the body must be a JSON object")
    if depth(data) > MAX_DEPTH:
        raise MalformedRequest("the body is nested too deeply")
    if any(has_control_character(s) for s in strings_in(data)):
        raise InvalidInput("a field holds a control character")
    from server.api.openapi import check_body  # the models' module registers routes on bp

    check_body(data)
    return data


def field(data: dict[str, Any], name: str, kind: type = str, *, required: bool = True) -> Any:
    value = data.get(name)
    if value is None:
        if required:
            raise InvalidInput(f"missing field {name!r}")
        return None
    if kind is str and not isinstance(value, str):
        raise InvalidInput(f"field {name!r} must be a string")
    if kind is bool and not isinstance(value, bool):
        raise InvalidInput(f"field {name!r} must be true or false")
    if kind is str and not value.strip():
        raise InvalidInput(f"field {name!r} must not be empty")
    if kind is str and len(value) > 200 and name != "note":
        raise InvalidInput(f"field {name!r} is too long")
    return value


def date_arg(name: str, default: date | None = None) -> date | None:
    """A date from the query string (ISO 8601); 422 when it is not one."""
    value = request.args.get(name)
    if not value:
        return default
    return inputs.parse_day(value, name)


def hub() -> Hub:
    hub: Hub = runtime().hub
    return hub


__all__ = ["date_arg", "field", "hub", "json_body", "runtime"]
