"""An app on either database, for the hardening tests that must hold on both."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, StaffClient, settings_for


@pytest.fixture
def both_app(database_url: str):
    from server import printing
    from server.app import create_app
    from server.migrate import upgrade

    app = create_app(settings_for(database_url), testing=True)
    upgrade(app.extensions["anlaufstelle"].db.engine)
    yield app
    # A kiosk ticket's print job (a background queue) must not outlive the database: its
    # failure record would open a connection to a dropped database after the test.
    printing.wait_for_printing(30)
    app.extensions["anlaufstelle"].db.dispose()


@pytest.fixture
def both_user(both_app):
    from server.services.users import add_user

    def make(role: str = "clerk", name: str = "clerk-one") -> str:
        with both_app.extensions["anlaufstelle"].db.writing() as session:
            add_user(session, name, PASSWORD, role)
        return name

    return make


def log_in(app, name: str, addr: str = "127.0.0.1", password: str = PASSWORD):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = addr
    response = client.post("/api/v1/session", json={"username": name, "password": password})
    token = response.headers.get("X-CSRF-Token", "")
    return response, StaffClient(client, token)
