"""Every bad input the attack found answers 4xx on both databases, never 500."""

from __future__ import annotations

import pytest

from tests.hardening.conftest import log_in

DEEP = "[" * 5000 + "]" * 5000
DEEP_OBJECT = '{"site": ' + DEEP + "}"


@pytest.fixture
def staff(both_app, both_user):
    _response, client = log_in(both_app, both_user("admin", "admin-one"))
    return client


def _json_error(response, *statuses: int) -> dict:
    assert response.status_code in statuses, (response.status_code, response.data[:300])
    return response.get_json()["error"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/tickets", "/api/v1/checkin", "/api/v1/session"],
)
def test_a_body_nested_5000_deep_is_a_400_on_public_endpoints(both_app, path):
    client = both_app.test_client()
    response = client.post(path, data=DEEP_OBJECT, content_type="application/json")
    assert _json_error(response, 400)["code"] == "bad_request"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/counters/schalter-1/next",
        "/api/v1/tickets/reception",
        "/api/v1/appointments",
        "/api/v1/tickets/1/transfer",
    ],
)
def test_a_deep_body_to_a_staff_endpoint_is_a_400(staff, path):
    response = staff.post(path, json=None, data=DEEP_OBJECT, content_type="application/json")
    assert _json_error(response, 400)["code"] == "bad_request"


@pytest.mark.parametrize("ident", ["99999999999999999999", "2147483648", "0"])
@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/api/v1/tickets/{}"),
        ("post", "/api/v1/tickets/{}/recall"),
        ("post", "/api/v1/tickets/{}/transfer"),
        ("get", "/api/v1/appointments/{}"),
        ("post", "/api/v1/appointments/{}/cancel"),
        ("post", "/api/v1/alerts/{}/acknowledge"),
    ],
)
def test_ids_beyond_the_databases_integers_are_not_found(staff, ident, method, path):
    url = path.format(ident)
    if method == "get":
        response = staff.get(url)
    else:
        response = staff.post(url, json={"queue": "bo-abh"})
    assert _json_error(response, 404)["code"] == "not_found"


def test_huge_ids_in_staff_pages_are_not_found(staff):
    response = staff.get("/counter/appointments/99999999999999999999/rebook")
    assert response.status_code == 404


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_extreme_dates_are_refused_in_statistics_lists_and_booking(staff, day):
    stats = staff.get(f"/api/v1/sites/musterstadt/statistics?from={day}&to=2026-12-01")
    assert _json_error(stats, 422)["code"] == "invalid"
    stats = staff.get(f"/api/v1/sites/musterstadt/statistics?from=2026-12-01&to={day}")
    assert _json_error(stats, 422)["code"] == "invalid"
    listing = staff.get(f"/api/v1/sites/musterstadt/appointments?date={day}")
    assert _json_error(listing, 422)["code"] == "invalid"
    slots = staff.get(f"/api/v1/sites/musterstadt/queues/core-abh/slots?date={day}")
    assert _json_error(slots, 422)["code"] == "invalid"
    booking = staff.post(
        "/api/v1/appointments",
        json={
            "site": "musterstadt",
            "queue": "core-abh",
            "start": f"{day}T09:00:00+00:00",
            "language": "de",
        },
    )
    assert _json_error(booking, 422)["code"] == "invalid"
    page = staff.get(f"/counter/appointments?date={day}")
    assert page.status_code == 200  # the page says what is wrong and shows today


NUL = "a\u0000b"


def test_nul_characters_are_refused_everywhere_they_were_a_500(both_app, staff, both_user):
    client = both_app.test_client()
    assert client.get("/api/v1/tickets/ab%00cd").status_code == 404
    assert client.get("/api/v1/tickets/ab%00cd/image.png").status_code == 404
    assert client.get("/t/ab%00cd").status_code == 404
    assert client.get("/invitation/ab%00cd").status_code == 404
    for body in (
        {"site": "musterstadt", "concern": NUL, "language": "de"},
        {"site": "musterstadt", "concern": "aufenthalt", "language": "de", "kiosk": NUL},
    ):
        response = client.post("/api/v1/tickets", json=body)
        assert _json_error(response, 422)["code"] == "invalid"
    checkin = client.post("/api/v1/checkin", json={"site": "musterstadt", "code": NUL})
    assert _json_error(checkin, 422)["code"] == "invalid"
    keyed = client.post(
        "/api/v1/tickets",
        json={"site": "musterstadt", "concern": "aufenthalt", "language": "de"},
        headers={"Idempotency-Key": "key\u0001one"},
    )
    assert keyed.status_code == 422
    login = client.post("/api/v1/session", json={"username": NUL, "password": "x" * 10})
    assert _json_error(login, 422)["code"] == "invalid"
    note = staff.post("/api/v1/tickets/1/transfer", json={"queue": "bo-abh", "note": NUL})
    assert _json_error(note, 422)["code"] == "invalid"
    query = client.get("/api/v1/sites/musterstadt/concerns?lang=d%00e")
    assert _json_error(query, 422)["code"] == "invalid"


def test_an_idempotency_key_reused_with_another_body_is_a_422(both_app):
    client = both_app.test_client()
    first = {"site": "musterstadt", "concern": "aufenthalt", "language": "de"}
    key = {"Idempotency-Key": "tap-0001"}
    issued = client.post("/api/v1/tickets", json=first, headers=key)
    assert issued.status_code == 201
    again = client.post("/api/v1/tickets", json=first, headers=key)
    assert again.status_code == 201 and again.get_json()["token"] == issued.get_json()["token"]
    for other in (
        {**first, "concern": "adresse"},
        {**first, "language": "ar"},
        {**first, "kiosk": "eingang"},
    ):
        answer = client.post("/api/v1/tickets", json=other, headers=key)
        error = _json_error(answer, 422)
        assert error["code"] == "idempotency_key_reused"
        assert issued.get_json()["token"] not in answer.text
