"""Logout and a new password end sessions on the server; login throttles the attacker only."""

from __future__ import annotations

import statistics
import time

from server.domain.login import ADDRESS_FACTOR, LoginFailures, locked
from tests.conftest import PASSWORD
from tests.hardening.conftest import log_in


def test_an_address_is_locked_for_a_name_or_for_trying_many_names():
    assert not locked(LoginFailures(same_name_same_address=4, same_address=4), 5)
    assert locked(LoginFailures(same_name_same_address=5, same_address=5), 5)
    many = 5 * ADDRESS_FACTOR
    assert not locked(LoginFailures(same_name_same_address=1, same_address=many - 1), 5)
    assert locked(LoginFailures(same_name_same_address=1, same_address=many), 5)


def _copy_cookie(source, target) -> None:
    cookie = source.client.get_cookie("session")
    target.set_cookie("session", cookie.value)


def test_a_copied_cookie_stops_working_after_logout(both_app, both_user):
    name = both_user()
    response, staff = log_in(both_app, name)
    assert response.status_code == 204
    thief = both_app.test_client()
    _copy_cookie(staff, thief)
    assert thief.get("/api/v1/session").status_code == 200

    assert staff.client.delete("/api/v1/session").status_code == 204

    assert thief.get("/api/v1/session").status_code == 401
    answer = thief.post(
        "/api/v1/counters/schalter-1/next", json={}, headers={"X-CSRF-Token": staff.token}
    )
    assert answer.status_code == 401
    # The user logs in again and works as before.
    response, again = log_in(both_app, name)
    assert response.status_code == 204
    assert again.get("/api/v1/session").status_code == 200


def test_a_new_password_ends_the_sessions_made_with_the_old_one(both_app, both_user):
    name = both_user()
    _response, staff = log_in(both_app, name)
    assert staff.get("/api/v1/session").status_code == 200
    both_user(name=name)  # the same user, the password set again (as `user add` does)
    assert staff.get("/api/v1/session").status_code == 401


def test_the_counter_logout_ends_a_copied_session_too(both_app, both_user):
    name = both_user()
    _response, staff = log_in(both_app, name)
    thief = both_app.test_client()
    _copy_cookie(staff, thief)
    page = staff.client.get("/counter/")
    assert page.status_code == 200
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    staff.client.post("/counter/logout", data={"csrf_token": token})
    assert thief.get("/api/v1/session").status_code == 401


def test_an_attacker_is_locked_but_the_user_still_logs_in_from_elsewhere(both_app, both_user):
    name = both_user()
    attempts = both_app.extensions["anlaufstelle"].settings.server.login_attempts
    for _ in range(attempts):
        response, _staff = log_in(both_app, name, addr="10.0.0.66", password="wrong-password")
        assert response.status_code == 401
    response, _staff = log_in(both_app, name, addr="10.0.0.66", password="wrong-password")
    assert response.status_code == 429
    # Locked: even the right password from the attacking address.
    response, _staff = log_in(both_app, name, addr="10.0.0.66")
    assert response.status_code == 429
    # The user at the reception PC is not refused.
    response, staff = log_in(both_app, name, addr="10.0.0.5")
    assert response.status_code == 204
    assert staff.get("/api/v1/session").status_code == 200


def test_one_address_trying_many_names_is_throttled(both_app):
    attempts = both_app.extensions["anlaufstelle"].settings.server.login_attempts
    codes = [
        log_in(both_app, f"name-{i}", addr="10.0.0.77", password="guess-guess")[0].status_code
        for i in range(attempts * ADDRESS_FACTOR + 2)
    ]
    assert set(codes[: attempts * ADDRESS_FACTOR]) == {401}
    assert codes[-1] == 429


def test_an_unknown_user_takes_as_long_as_a_known_one(app, make_user):
    name = make_user()

    def median_ms(username: str, addr: str) -> float:
        times = []
        for _ in range(3):
            client = app.test_client()
            client.environ_base["REMOTE_ADDR"] = addr
            began = time.perf_counter()
            client.post("/api/v1/session", json={"username": username, "password": "bad-pw-1"})
            times.append((time.perf_counter() - began) * 1000)
        return statistics.median(times)

    known = median_ms(name, "10.1.0.1")
    unknown = median_ms("nobody-here", "10.1.0.2")
    # The hash dominates both; without the dummy hash the unknown one took a tenth.
    assert unknown > known * 0.5, (known, unknown)


def test_login_takes_only_json_and_refuses_a_foreign_origin(client, make_user):
    name = make_user()
    body = f'{{"username": "{name}", "password": "{PASSWORD}"}}'
    plain = client.post("/api/v1/session", data=body, content_type="text/plain")
    assert plain.status_code == 415
    assert plain.get_json()["error"]["code"] == "unsupported_media_type"
    foreign = client.post(
        "/api/v1/session",
        json={"username": name, "password": PASSWORD},
        headers={"Origin": "http://evil.example"},
    )
    assert foreign.status_code == 403
    own = client.post(
        "/api/v1/session",
        json={"username": name, "password": PASSWORD},
        headers={"Origin": "http://localhost"},
    )
    assert own.status_code == 204


def test_a_form_body_to_a_staff_action_is_refused_not_read_as_empty(login):
    staff = login("clerk")
    response = staff.client.post(
        "/api/v1/counters/schalter-1/next",
        data={"queue": "nonsense"},
        headers={"X-CSRF-Token": staff.token},
    )
    assert response.status_code == 415


def test_attempts_sent_at_once_get_no_more_guesses_than_one_by_one(both_app, both_user):
    """The password is checked outside any transaction; each attempt counts as a failure
    from its start, and the attempts of one address are counted one after another, so
    twenty wrong guesses at once still get only the allowed number (on both databases)."""
    from concurrent.futures import ThreadPoolExecutor

    name = both_user()
    allowed = both_app.extensions["anlaufstelle"].settings.server.login_attempts

    def guess(_: int) -> int:
        return log_in(both_app, name, password="wrong password!")[0].status_code

    with ThreadPoolExecutor(20) as pool:
        statuses = sorted(pool.map(guess, range(20)))
    assert statuses == [401] * allowed + [429] * (20 - allowed)
    # The right password from that address waits for the window like before.
    assert log_in(both_app, name)[0].status_code == 429
