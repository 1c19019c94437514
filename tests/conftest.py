"""Shared fixtures: settings, app, client, database, staff login, a live server process."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from server.config import Settings, load_settings
from tests.live import (  # noqa: F401  (ROOT, REDIS_URL: imported by tests from here)
    CONFIG,
    PASSWORD,
    POSTGRES_ADMIN_URL,
    REDIS_URL,
    ROOT,
    LiveServer,
    create_postgres,
    drop_postgres,
    port_open,
)

# .ci/run sets this: there, a missing service is a failure, never a silent skip.
REQUIRE_SERVICES = os.environ.get("ANLAUFSTELLE_REQUIRE_SERVICES") == "1"


def _missing(message: str) -> None:
    """Fail in CI, where every service and program a test needs is set up; skip elsewhere."""
    if REQUIRE_SERVICES:
        pytest.fail(message + " (required in CI)")
    pytest.skip(message)


def need_service(name: str, host: str, port: int) -> None:
    """Skip (locally) or fail (in CI) when a service the test needs is not reachable."""
    if not port_open(host, port):
        _missing(f"{name} is not reachable on {host}:{port}")


def need_chromium() -> str:
    path = "/usr/bin/chromium"
    if not os.path.exists(path):
        _missing("Debian's chromium is not installed at /usr/bin/chromium (make test installs it)")
    return path


def need_program(name: str, package: str) -> None:
    """Skip (locally) or fail (in CI, where make test installs it) without a system program."""
    if shutil.which(name) is None:
        _missing(f"{name} is not installed (apt-get install {package}; make test does)")


def settings_for(database_url: str, **server: object) -> Settings:
    base = load_settings(CONFIG)
    return base.model_copy(
        update={
            "server": base.server.model_copy(
                update={
                    "database_url": database_url,
                    "secret_key": "test-secret",
                    # Most tests play a kiosk or another system issuing many tickets from
                    # one address; the tests of the limit itself set it.
                    "anonymous_tickets": "unlimited",
                    "anonymous_tickets_site": "unlimited",
                    **server,
                }
            )
        }
    )


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'anlaufstelle.db'}"


@pytest.fixture(scope="session")
def postgres_server() -> str:
    need_service("PostgreSQL", "127.0.0.1", 5432)
    return POSTGRES_ADMIN_URL


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    url, name = create_postgres(postgres_server)
    yield url
    drop_postgres(name, postgres_server)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Run a test on both databases."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def settings(sqlite_url: str) -> Settings:
    return settings_for(sqlite_url)


@pytest.fixture
def site(settings: Settings):
    return settings.sites[0]


@pytest.fixture
def app(settings: Settings):
    from server import printing
    from server.app import create_app
    from server.migrate import upgrade

    app = create_app(settings, testing=True)
    upgrade(app.extensions["anlaufstelle"].db.engine)
    yield app
    # A kiosk ticket's print job (a background queue) must not outlive the database: its
    # failure record would open a connection to a dropped database after the test.
    printing.wait_for_printing(30)
    app.extensions["anlaufstelle"].db.dispose()


@pytest.fixture
def db(app):
    return app.extensions["anlaufstelle"].db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(db) -> Callable[..., str]:
    """Factory: make_user("clerk") creates a user of that role and returns its name."""
    from server.services.users import add_user

    def make(role: str = "clerk", name: str | None = None) -> str:
        name = name or f"{role}-{uuid.uuid4().hex[:6]}"
        with db.writing() as session:
            add_user(session, name, PASSWORD, role)
        return name

    return make


class StaffClient:
    """A logged-in test client that sends the CSRF token on every state change."""

    def __init__(self, client, token: str) -> None:
        self.client = client
        self.token = token

    def post(self, path: str, json: object = None, **kwargs):
        headers = {"X-CSRF-Token": self.token, **kwargs.pop("headers", {})}
        return self.client.post(path, json=json, headers=headers, **kwargs)

    def get(self, path: str, **kwargs):
        return self.client.get(path, **kwargs)


@pytest.fixture
def login(app, make_user) -> Callable[..., StaffClient]:
    """Factory: login("clerk") returns a StaffClient with its own cookie jar."""

    def do_login(role: str = "clerk") -> StaffClient:
        client = app.test_client()
        name = make_user(role)
        response = client.post("/api/v1/session", json={"username": name, "password": PASSWORD})
        assert response.status_code == 204, response.data
        return StaffClient(client, response.headers["X-CSRF-Token"])

    return do_login


@pytest.fixture
def live_server(sqlite_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(sqlite_url, tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def live_server_factory(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    servers: list[LiveServer] = []

    def make(database_url: str, **kwargs: object) -> LiveServer:
        server = LiveServer(database_url, tmp_path, **kwargs)  # type: ignore[arg-type]
        servers.append(server)
        return server.start()

    yield make
    for server in servers:
        server.stop()
