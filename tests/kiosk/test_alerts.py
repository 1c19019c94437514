"""Printer alerts for staff: listed per site until acknowledged; reception and above only."""

from __future__ import annotations

from server.services import alerts


def record(app, site, number: str = "B-001", message: str = "paper out") -> int:
    with app.extensions["anlaufstelle"].db.writing() as session:
        return alerts.record(session, site, "eingang", number, message).id


def test_open_alerts_are_listed_newest_first_until_acknowledged(app, site, login):
    first = record(app, site, "B-001")
    second = record(app, site, "B-002", "printer tcp://10.0.0.9 refused the connection")
    reception = login("reception")

    listed = reception.get("/api/v1/sites/musterstadt/alerts")

    assert listed.status_code == 200
    body = listed.get_json()
    assert [a["id"] for a in body] == [second, first]
    assert body[0]["kiosk"] == {"id": "eingang", "name": "Eingang Erdgeschoss"}
    assert body[0]["ticket_number"] == "B-002"
    assert body[0]["acknowledged_at"] is None

    acknowledged = reception.post(f"/api/v1/alerts/{first}/acknowledge")

    assert acknowledged.status_code == 200
    assert acknowledged.get_json()["acknowledged_at"] is not None
    assert [a["id"] for a in reception.get("/api/v1/sites/musterstadt/alerts").get_json()] == [
        second
    ]


def test_acknowledging_twice_keeps_the_first_acknowledgement(app, site, login):
    alert = record(app, site)
    reception = login("reception")
    first = reception.post(f"/api/v1/alerts/{alert}/acknowledge").get_json()

    again = login("supervisor").post(f"/api/v1/alerts/{alert}/acknowledge").get_json()

    assert again["acknowledged_at"] == first["acknowledged_at"]
    assert again["acknowledged_by"] == first["acknowledged_by"]


def test_alerts_need_a_login_and_the_csrf_token(app, site, client, login):
    alert = record(app, site)

    assert client.get("/api/v1/sites/musterstadt/alerts").status_code == 401
    assert client.post(f"/api/v1/alerts/{alert}/acknowledge").status_code == 401
    reception = login("reception")
    assert reception.client.post(f"/api/v1/alerts/{alert}/acknowledge").status_code in (400, 403)


def test_unknown_alerts_and_sites_are_404(login):
    reception = login("reception")

    assert reception.post("/api/v1/alerts/999999/acknowledge").status_code == 404
    assert reception.get("/api/v1/sites/nowhere/alerts").status_code == 404


def test_alerts_of_another_site_are_not_listed(app, site, login):
    other = site.model_copy(update={"id": "elsewhere"})
    record(app, other)

    assert login("reception").get("/api/v1/sites/musterstadt/alerts").get_json() == []
