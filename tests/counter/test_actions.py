"""Every counter action through the staff API, with the conflicts a busy day produces."""

from __future__ import annotations

import pytest

from tests.counter.conftest import SITE


def call(staff, counter: str = "schalter-1", queue: str | None = None):
    return staff.post(f"/api/v1/counters/{counter}/next", json={"queue": queue} if queue else {})


def action(staff, ticket_id: int, verb: str, body: dict | None = None):
    return staff.post(f"/api/v1/tickets/{ticket_id}/{verb}", json=body)


def test_next_calls_the_waiting_ticket_and_204_when_nobody_waits(login, issue):
    clerk = login("clerk")
    ticket = issue()
    response = call(clerk)
    assert response.status_code == 200
    body = response.get_json()
    assert body["number"] == ticket["number"]
    assert body["status"] == "called"
    assert body["counter"]["id"] == "schalter-1"
    assert set(body["actions"]) == {
        "recall",
        "start",
        "finish",
        "no_show",
        "cancel",
        "transfer",
        "park",
    }
    assert call(clerk).status_code == 204


def test_two_counters_never_call_the_same_ticket(login, issue):
    first, second = login("clerk"), login("clerk")
    issued = [issue()["number"] for _ in range(5)]
    numbers = []
    for _ in range(3):
        for staff, counter in ((first, "schalter-1"), (second, "schalter-2")):
            response = call(staff, counter, "bo-abh")
            if response.status_code == 200:
                numbers.append(response.get_json()["number"])
    assert sorted(numbers) == sorted(issued)
    assert len(set(numbers)) == len(numbers)


def test_next_from_one_chosen_queue_only(login, issue):
    clerk = login("clerk")
    issue("adresse")  # bo-abh
    benefits = issue("leistung-auszahlung")  # bo-leistung
    response = call(clerk, "schalter-1", "bo-leistung")
    assert response.get_json()["number"] == benefits["number"]
    refused = call(clerk, "schalter-1", "bo-jobcenter")
    assert refused.status_code == 422


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        (["recall"], "called"),
        (["start"], "serving"),
        (["finish"], "done"),
        (["start", "finish"], "done"),
        (["no-show"], "no_show"),
        (["cancel"], "cancelled"),
        (["park"], "parked"),
        (["start", "park", "resume"], "called"),
    ],
)
def test_each_action_moves_the_ticket(login, issue, steps, expected):
    clerk = login("clerk")
    issue()
    ticket_id = call(clerk).get_json()["id"]
    for verb in steps:
        response = action(clerk, ticket_id, verb)
        assert response.status_code == 200, (verb, response.data)
    assert response.get_json()["status"] == expected
    if "recall" in steps:
        assert response.get_json()["recalls"] == 1


@pytest.mark.parametrize(
    ("steps", "refused"),
    [
        (["finish"], "recall"),
        (["finish"], "finish"),
        (["finish"], "cancel"),
        (["finish"], "transfer"),
        (["start"], "start"),
        (["start"], "no-show"),
        (["start"], "recall"),
        ([], "resume"),
        (["park"], "start"),
        (["no-show"], "park"),
        (["cancel"], "resume"),
    ],
)
def test_an_action_the_state_does_not_allow_is_a_conflict(login, issue, steps, refused):
    clerk = login("clerk")
    issue()
    ticket_id = call(clerk).get_json()["id"]
    for verb in steps:
        assert action(clerk, ticket_id, verb).status_code == 200
    body = {"queue": "core-abh"} if refused == "transfer" else None
    response = action(clerk, ticket_id, refused, body)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "invalid_transition"


def test_a_waiting_ticket_cannot_be_started_or_parked(login, issue, client):
    clerk = login("clerk")
    issue()
    overview = clerk.get(f"/api/v1/sites/{SITE}/overview").get_json()
    ticket_id = overview["waiting"][0]["id"]
    for verb in ("start", "finish", "no-show", "park", "recall", "resume"):
        assert action(clerk, ticket_id, verb).status_code == 409, verb


def test_the_slower_of_two_clerks_gets_a_conflict(login, issue):
    first, second = login("clerk"), login("clerk")
    issue()
    ticket_id = call(first).get_json()["id"]
    assert action(second, ticket_id, "finish").status_code == 200
    late = action(first, ticket_id, "no-show")
    assert late.status_code == 409
    assert "done" in late.get_json()["error"]["message"]


def test_transfer_to_a_queue_keeps_the_number_and_carries_the_note(login, issue):
    clerk = login("clerk")
    ticket = issue()
    ticket_id = call(clerk).get_json()["id"]
    response = action(
        clerk, ticket_id, "transfer", {"queue": "core-abh", "note": "Pass abgelaufen"}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert (body["number"], body["queue"], body["status"]) == (
        ticket["number"],
        "core-abh",
        "waiting",
    )
    assert body["note"] == "Pass abgelaufen"
    assert [s["queue"] for s in body["stops"]] == ["bo-abh", "core-abh"]
    assert body["stops"][0]["outcome"] == "transferred"
    core = call(login("clerk"), "raum-201").get_json()
    assert core["number"] == ticket["number"]
    assert core["stops"][-1]["note"] == "Pass abgelaufen"


def test_transfer_to_a_named_counter_reserves_the_ticket_for_it(login, issue):
    clerk = login("clerk")
    issue()
    ticket_id = call(clerk).get_json()["id"]
    body = action(clerk, ticket_id, "transfer", {"counter": "raum-202"}).get_json()
    assert body["reserved_counter"] == "raum-202"
    assert call(login("clerk"), "raum-201").status_code == 204
    assert call(login("clerk"), "raum-202").get_json()["id"] == ticket_id


def test_transfer_needs_a_queue_or_a_counter(login, issue):
    clerk = login("clerk")
    issue()
    ticket_id = call(clerk).get_json()["id"]
    assert action(clerk, ticket_id, "transfer", {}).status_code == 422
    assert action(clerk, ticket_id, "transfer", {"queue": "nowhere"}).status_code == 404


def test_counter_current_lists_called_and_parked_tickets(login, issue):
    clerk = login("clerk")
    issue()
    issue()
    first = call(clerk).get_json()["id"]
    action(clerk, first, "park")
    second = call(clerk).get_json()["id"]
    current = clerk.get("/api/v1/counters/schalter-1/current").get_json()
    assert {(t["id"], t["status"]) for t in current} == {(first, "parked"), (second, "called")}


def test_state_changes_need_the_csrf_token(login, issue):
    clerk = login("clerk")
    issue()
    without = clerk.client.post("/api/v1/counters/schalter-1/next", json={})
    assert without.status_code in (400, 403)
    wrong = clerk.client.post(
        "/api/v1/counters/schalter-1/next", json={}, headers={"X-CSRF-Token": "forged"}
    )
    assert wrong.status_code in (400, 403)
    assert call(clerk).status_code == 200


def test_staff_endpoints_need_a_login_then_the_role(client, login):
    assert client.post("/api/v1/counters/schalter-1/next", json={}).status_code == 401
    assert client.get(f"/api/v1/sites/{SITE}/overview").status_code == 401
    clerk = login("clerk")
    refused = clerk.post(f"/api/v1/sites/{SITE}/queues/bo-abh/state", json={"closed": True})
    assert refused.status_code == 403
    supervisor = login("supervisor")
    assert (
        supervisor.post(
            f"/api/v1/sites/{SITE}/queues/bo-abh/state", json={"closed": True}
        ).status_code
        == 200
    )
