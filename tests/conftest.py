"""Shared fixtures: settings, app, client, database, staff login, a live server process."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from server.config import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config.toml"
POSTGRES_ADMIN_URL = os.environ.get(
    "ANLAUFSTELLE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("ANLAUFSTELLE_TEST_REDIS", "redis://127.0.0.1:6379/0")
# .ci/run sets this: there, a missing service is a failure, never a silent skip.
REQUIRE_SERVICES = os.environ.get("ANLAUFSTELLE_REQUIRE_SERVICES") == "1"
PASSWORD = "test-password-1"


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _missing(message: str) -> None:
    """Fail in CI, where every service and program a test needs is set up; skip elsewhere."""
    if REQUIRE_SERVICES:
        pytest.fail(message + " (required in CI)")
    pytest.skip(message)


def need_service(name: str, host: str, port: int) -> None:
    """Skip (locally) or fail (in CI) when a service the test needs is not reachable."""
    if not _port_open(host, port):
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def settings_for(database_url: str, **server: object) -> Settings:
    base = load_settings(CONFIG)
    return base.model_copy(
        update={
            "server": base.server.model_copy(
                update={"database_url": database_url, "secret_key": "test-secret", **server}
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
    from sqlalchemy import create_engine, text

    name = f"anlaufstelle_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = postgres_server.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


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
    from server.app import create_app
    from server.migrate import upgrade

    app = create_app(settings, testing=True)
    upgrade(app.extensions["anlaufstelle"].db.engine)
    yield app
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


class LiveServer:
    """`anlaufstelle serve` in its own process, on a free loopback port."""

    def __init__(
        self, database_url: str, tmp: Path, redis_url: str | None = None, threads: int = 64
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "ANLAUFSTELLE_CONFIG": str(CONFIG),
            "ANLAUFSTELLE_DATABASE_URL": database_url,
            "ANLAUFSTELLE_SECRET_KEY": "live-test-secret",
            "ANLAUFSTELLE_VAR": str(tmp),
        }
        if redis_url:
            self.env["ANLAUFSTELLE_REDIS_URL"] = redis_url
        self.threads = threads
        self.log = tmp / f"server-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> LiveServer:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "server.cli",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--threads",
                    str(self.threads),
                ],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                if requests.get(self.url + "/api/v1/health", timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def add_user(self, role: str, name: str | None = None, languages: str | None = None) -> str:
        name = name or f"{role}-{uuid.uuid4().hex[:6]}"
        spoken = ["--languages", languages] if languages else []
        subprocess.run(
            [
                sys.executable,
                "-m",
                "server.cli",
                "user",
                "add",
                name,
                "--role",
                role,
                *spoken,
                "--password-stdin",
            ],
            input=PASSWORD.encode(),
            env=self.env,
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
        return name

    def session(self, role: str = "clerk") -> requests.Session:
        """A requests session logged in as a new user of `role`, sending the CSRF header."""
        http = requests.Session()
        name = self.add_user(role)
        response = http.post(
            self.url + "/api/v1/session", json={"username": name, "password": PASSWORD}, timeout=10
        )
        assert response.status_code == 204, response.text
        http.headers["X-CSRF-Token"] = response.headers["X-CSRF-Token"]
        return http


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
