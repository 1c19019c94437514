"""The API against its own description: schemathesis finds no 5xx and no shape breach.

schemathesis 4 runs in-process without its pytest plugin (which did not run under
pytest 9): `schemathesis.openapi.from_wsgi` loads the description from the Flask app,
each operation's Hypothesis strategy draws cases, and `case.call_and_validate` sends
them through the WSGI app and applies schemathesis' own checks (no server error,
status code, content type and answer conforming to the description). Bounded (a few
examples per operation, derandomized), on both databases, as an admin with a session so
that the staff endpoints run past their login check too.
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from server.services.capacity import MAX_FORECAST_DAYS
from tests.conftest import PASSWORD, settings_for

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_app(database_url):
    from server.app import create_app
    from server.migrate import upgrade
    from server.services.users import add_user

    app = create_app(settings_for(database_url), testing=True)
    upgrade(app.extensions["anlaufstelle"].db.engine)
    with app.extensions["anlaufstelle"].db.writing() as session:
        add_user(session, "schema-admin", PASSWORD, "admin")
    yield app
    app.extensions["anlaufstelle"].db.dispose()


@pytest.fixture
def api_schema(api_app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)


def test_the_description_is_openapi_3_1_and_names_every_contract_endpoint(client):
    description = client.get("/api/v1/openapi.json").get_json()
    assert description["openapi"] == "3.1.0"
    paths = description["paths"]
    for path, method in [
        ("/tickets", "post"),
        ("/tickets/{token}", "get"),
        ("/checkin", "post"),
        ("/session", "post"),
        ("/counters/{counter}/next", "post"),
        ("/tickets/{id}/transfer", "post"),
        ("/appointments", "post"),
        ("/kiosks/{kiosk}/key", "post"),
    ]:
        assert method in paths[path], path
    issue = paths["/tickets"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert issue == {"$ref": "#/components/schemas/IssueTicket"}
    language = description["components"]["schemas"]["IssueTicket"]["properties"]["language"]
    assert set(language["enum"]) == {"de", "en", "ar", "ku", "ckb"}


def _shape(path: str) -> str:
    return re.sub(r"{[^}]*}", "{}", path)


def test_every_v1_route_is_in_the_description(app, client):
    described = {
        (_shape(path), method)
        for path, operations in client.get("/api/v1/openapi.json").get_json()["paths"].items()
        for method in operations
    }
    routes = {
        (_shape(re.sub(r"<[^>]*>", "{}", rule.rule.removeprefix("/api/v1"))), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert len(routes) >= 50
    assert routes - described == set()
    assert described - routes == set()


def test_query_and_path_parameters_are_declared_with_their_bounds(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]

    def parameters(path: str, method: str = "get") -> dict[str, dict]:
        return {p["name"]: p for p in paths[path][method]["parameters"]}

    ticket = parameters("/tickets/{id}/start", "post")["id"]
    assert ticket["in"] == "path"
    assert ticket["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
    forecast = parameters("/sites/{site}/forecast")
    assert forecast["days"]["schema"]["maximum"] == MAX_FORECAST_DAYS
    assert forecast["from"]["schema"]["format"] == "date"
    statistics = parameters("/sites/{site}/statistics")
    assert set(statistics) == {"site", "from", "to", "by", "format", "queue"}
    assert statistics["from"]["schema"]["formatMinimum"] == "2000-01-01"
    audit = parameters("/audit")
    assert {"from", "to", "actor", "action", "format"} <= set(audit)


def test_the_declared_bounds_are_the_ones_checked(login):
    supervisor = login("supervisor")
    base = "/api/v1/sites/musterstadt/forecast"
    assert supervisor.get(f"{base}?days={MAX_FORECAST_DAYS}").status_code == 200
    for days in ("0", str(MAX_FORECAST_DAYS + 1), "many"):
        refused = supervisor.get(f"{base}?days={days}")
        assert refused.status_code == 422, days
        assert refused.get_json()["error"]["message"].startswith("days:")
    assert supervisor.post(f"/api/v1/tickets/{2**31}/start").status_code == 404
    assert supervisor.get("/api/v1/sites/musterstadt/statistics?by=week").status_code == 422


def _staff_login(app) -> tuple[dict[str, str], dict[str, str]]:
    """Cookies and headers of a fresh admin session."""
    staff = app.test_client()
    login = staff.post("/api/v1/session", json={"username": "schema-admin", "password": PASSWORD})
    assert login.status_code == 204
    cookie = staff.get_cookie("session")
    return {"session": cookie.value}, {"X-CSRF-Token": login.headers["X-CSRF-Token"]}


def _known_ids(app) -> dict[str, object]:
    """Path parameters that name things that exist, so that cases reach past the 404."""
    site = app.extensions["anlaufstelle"].settings.sites[0]
    issued = app.test_client().post(
        "/api/v1/tickets", json={"site": site.id, "concern": site.concerns[0].id, "language": "de"}
    )
    assert issued.status_code == 201
    return {
        "site": site.id,
        "counter": site.counters[-1].id,
        "display": site.displays[0].id,
        "kiosk": site.kiosks[0].id,
        "queue": site.queues[1].id,
        "token": issued.get_json()["token"],
        "id": 1,
        "username": "schema-admin",
    }


def _bounded_run(operation, login: tuple[dict[str, str], dict[str, str]], known: dict[str, object]):
    @given(case=operation.as_strategy(), use_known=st.booleans())
    @settings(
        max_examples=6,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case, use_known: bool) -> None:
        if use_known and case.path_parameters:
            case.path_parameters = {n: known.get(n, v) for n, v in case.path_parameters.items()}
        cookies, headers = login
        # As case cookies: a Cookie header is replaced by the WSGI client's own jar.
        case.cookies = {**(case.cookies or {}), **cookies}
        case.call_and_validate(headers=headers, checks=CHECKS)

    return run


def test_no_server_error_and_every_answer_as_described(api_app, api_schema):
    # schemathesis' pytest plugin does not run under pytest 9 yet: one hypothesis run per
    # operation instead, bounded to a few examples each.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    described = api_app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    # schemathesis leaves out the description's own endpoint; every other one is run.
    assert len(operations) == sum(len(methods) for methods in described.values()) - 1 >= 50
    known = _known_ids(api_app)
    tried = 0
    for operation in operations:
        # One login per operation (logout, also an operation, ends it on the server).
        login = _staff_login(api_app) if operation.path != "/session" else ({}, {})
        _bounded_run(operation, login, known)()
        tried += 1
    assert tried == len(operations)
