"""GET /api/v1/openapi.json: the OpenAPI 3.1 description, generated from the declarations.

Chosen over spectree or flask-openapi3: both want to own the routing and validation of
the views. Here each view declares its operation (server.api.operations) and the
description walks the application's own URL map, so a route is described with exactly
the models that check it; pydantic's JSON schema (draft 2020-12, which OpenAPI 3.1 uses
unchanged) gives the schemas.
"""

from __future__ import annotations

import re
from typing import Any

from flask import current_app
from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema
from werkzeug.routing import Rule

from server.api import answers as a
from server.api import bp
from server.api.operations import Operation, operation, operation_of
from server.api.schemas import PATH_TYPES

PREFIX = "/api/v1"
CONVERTER = re.compile(r"<(?:[^:<>]+:)?(\w+)>")
FILE_SCHEMA = {"type": "string"}
ERROR_STATUSES = ("4XX", "503")


def v1_rules() -> list[Rule]:
    return sorted(
        (r for r in current_app.url_map.iter_rules() if r.rule.startswith(PREFIX + "/")),
        key=lambda r: r.rule,
    )


def template(rule: Rule) -> str:
    """`/api/v1/tickets/<int:ticket_id>/start` -> `/tickets/{id}/start`."""
    path = rule.rule.removeprefix(PREFIX)
    return CONVERTER.sub(lambda m: "{" + PATH_TYPES[m.group(1)][0] + "}", path)


def methods(rule: Rule) -> list[str]:
    return sorted(m.lower() for m in (rule.methods or ()) if m not in ("HEAD", "OPTIONS"))


def _models(operations: list[Operation]) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = [a.Error]
    for op in operations:
        for model in [op.body, op.query, *op.answers.values()]:
            model = model[0] if isinstance(model, list) else model
            if isinstance(model, type) and issubclass(model, BaseModel) and model not in found:
                found.append(model)
    return found


def _ref(model: Any) -> dict[str, Any]:
    if isinstance(model, list):
        return {"type": "array", "items": _ref(model[0])}
    if model is dict:
        return {"type": "object"}
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is absent rather than null: drop null from its choices."""
    choices = [c for c in schema.get("anyOf", []) if c != {"type": "null"}]
    if len(choices) != 1:
        return schema
    rest = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
    return {**choices[0], **rest}


def _parameters(rule: Rule, op: Operation, schemas: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for name in CONVERTER.findall(rule.rule):
        shown, kind = PATH_TYPES[name]
        schema = TypeAdapter(kind).json_schema()
        found.append({"name": shown, "in": "path", "required": True, "schema": schema})
    if op.query is not None:
        query = schemas[op.query.__name__]
        for name, schema in query.get("properties", {}).items():
            required = name in query.get("required", [])
            parameter = {"name": name, "in": "query", "required": required}
            found.append({**parameter, "schema": _without_null(schema)})
    return found


def _operation(rule: Rule, op: Operation, schemas: dict[str, Any]) -> dict[str, Any]:
    error = {"description": "error", "content": {"application/json": {"schema": _ref(a.Error)}}}
    responses: dict[str, Any] = dict.fromkeys(ERROR_STATUSES, error)
    for status, model in op.answers.items():
        content = {} if model is None else {"application/json": {"schema": _ref(model)}}
        if status == 200:
            content |= {media: {"schema": FILE_SCHEMA} for media in op.files}
        answer: dict[str, Any] = {"description": op.summary}
        responses[str(status)] = answer | ({"content": content} if content else {})
    described: dict[str, Any] = {
        "operationId": rule.endpoint.removeprefix("api."),
        "summary": op.summary,
        "parameters": _parameters(rule, op, schemas),
        "responses": responses,
    }
    if op.body is not None:
        required = bool(schemas[op.body.__name__].get("required"))
        content = {"application/json": {"schema": _ref(op.body)}}
        described["requestBody"] = {"required": required, "content": content}
    return described


def description() -> dict[str, Any]:
    declared = [
        (rule, op)
        for rule in v1_rules()
        if (op := operation_of(current_app.view_functions[rule.endpoint])) is not None
        and op.described_by is None
    ]
    _keys, definitions = models_json_schema(
        [(m, "validation") for m in _models([op for _rule, op in declared])],
        ref_template="#/components/schemas/{model}",
    )
    schemas = definitions.get("$defs", {})
    paths: dict[str, dict[str, Any]] = {}
    names: set[str] = set()
    for rule, op in declared:
        for method in methods(rule):
            described = _operation(rule, op, schemas)
            # Two spellings of one route (`/no_show`, `/no-show`): two operations, two ids.
            name, count = described["operationId"], 1
            while name in names:
                count += 1
                name = f"{described['operationId']}_{count}"
            names.add(name)
            paths.setdefault(template(rule), {})[method] = {**described, "operationId": name}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Anlaufstelle", "version": "1"},
        "servers": [{"url": PREFIX}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


@bp.get("/openapi.json")
@operation("This description (OpenAPI 3.1)", {200: dict})
def openapi() -> Any:
    return description()
