"""Helpers for the counter tests: issue tickets as the kiosk does, find their staff ids."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

SITE = "musterstadt"


@pytest.fixture
def issue(client) -> Callable[..., dict]:
    """Factory: issue(concern="adresse") takes a ticket at the kiosk and returns its answer."""

    def make(concern: str = "adresse", language: str = "ar") -> dict:
        response = client.post(
            "/api/v1/tickets", json={"site": SITE, "concern": concern, "language": language}
        )
        assert response.status_code == 201, response.data
        return response.get_json()

    return make


def form_token(html: str) -> str:
    """The Flask-WTF CSRF token rendered into a page's form."""
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert found, "no CSRF token in the page"
    return found.group(1)


@pytest.fixture
def database(database_url: str):
    """A migrated database on SQLite and on PostgreSQL (the `database_url` parameters)."""
    from server.db import Database, make_engine
    from server.migrate import upgrade

    db = Database(make_engine(database_url))
    upgrade(db.engine)
    yield db
    db.dispose()
