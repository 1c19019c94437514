"""Fixtures for service tests: a migrated database on SQLite or PostgreSQL."""

from __future__ import annotations

import pytest

from server.db import Database, make_engine
from server.migrate import upgrade


@pytest.fixture
def database(database_url: str):
    db = Database(make_engine(database_url))
    upgrade(db.engine)
    yield db
    db.dispose()
