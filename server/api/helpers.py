"""Small request helpers shared by the API views."""

from __future__ import annotations

import json
from typing import Any

from flask import request

from server.domain.errors import InvalidInput, MalformedRequest
from server.domain.inputs import MAX_DEPTH, depth, has_control_character, strings_in
from server.guards import check_json_media_type
from server.realtime import Hub
from server.runtime import runtime


def json_body() -> dict[str, Any]:
    """The request's JSON object; 415 unless declared JSON, 400 if it is not an object.

    Views get their body through server.api.operations, which checks it against its model.
    """
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
    return data


def hub() -> Hub:
    hub: Hub = runtime().hub
    return hub


__all__ = ["hub", "json_body", "runtime"]
