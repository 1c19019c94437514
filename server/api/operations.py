"""Each v1 view declares its operation: summary, body and query models, answers.

The declaration does the checking: the body and the query are validated against their
models before the view runs (422 with the first problem otherwise) and the view gets
the parsed models as `body` and `query`. GET /api/v1/openapi.json is generated from the
same declarations (server.api.openapi), so the description cannot drift from the checks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import request
from pydantic import BaseModel, ValidationError

from server.api.helpers import json_body
from server.domain.errors import InvalidInput

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Operation:
    summary: str
    # status -> answer model, [model] for a list, dict for any object, None for no body
    answers: Mapping[int, Any]
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    # Other media types the 200 answer may have (exports), besides JSON.
    files: tuple[str, ...] = ()
    # Described by another endpoint's operation (same path shape, e.g. a ticket by id
    # and by token), so the description holds the path once.
    described_by: str | None = None


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error["loc"]) or "body"
    return f"{where}: {error['msg']}"


def validated(model: type[M], data: Mapping[str, Any]) -> M:
    """`data` as `model`, or a 422 naming the first problem."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(_first_problem(exc)) from None


def query_args() -> dict[str, str]:
    """The query's first value per name; an empty value counts as not given."""
    return {name: value for name, value in request.args.items() if value.strip()}


def operation(
    summary: str,
    answers: Mapping[int, Any],
    *,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    files: tuple[str, ...] = (),
    described_by: str | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    declared = Operation(summary, answers, body, query, files, described_by)

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if body is not None:
                kwargs["body"] = validated(body, json_body())
            if query is not None:
                kwargs["query"] = validated(query, query_args())
            return view(*args, **kwargs)

        # functools.wraps copies __dict__: outer decorators (staff_required) keep it.
        checked.operation = declared  # type: ignore[attr-defined]
        return checked

    return decorator


def operation_of(view: Callable[..., Any]) -> Operation | None:
    found = getattr(view, "operation", None)
    return found if isinstance(found, Operation) else None
