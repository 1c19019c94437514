"""Kiosk fixtures: an app whose kiosk prints to a given printer URI."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from server.config import Settings
from tests.kiosk.support import FakePrinter, with_kiosk


@pytest.fixture
def printer() -> Iterator[FakePrinter]:
    fake = FakePrinter()
    yield fake
    fake.close()


@pytest.fixture
def app_for(settings: Settings) -> Iterator[Callable[..., Flask]]:
    """Factory: app_for(printer="tcp://…") builds an app whose kiosk has that printer."""
    from server import printing
    from server.app import create_app
    from server.migrate import upgrade

    apps: list[Flask] = []

    def make(**kiosk: object) -> Flask:
        app = create_app(with_kiosk(settings, **kiosk), testing=True)
        upgrade(app.extensions["anlaufstelle"].db.engine)
        apps.append(app)
        return app

    yield make
    # Jobs of this test must not print into the next one's database.
    printing.wait_for_printing(30)
    for app in apps:
        app.extensions["anlaufstelle"].db.dispose()
