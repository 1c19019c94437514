"""Real server processes on loopback, shared by the tests (conftest.py) and the bench.

One copy of "start `anlaufstelle serve` on a free port and wait until it answers", of
logging staff in over HTTP and of making a throwaway PostgreSQL database. It lives in
tests/ rather than in the installed `server` package because it needs the test extras
(requests) and must never ship as part of the product; the bench runs from a checkout
with those extras installed, so it imports it from here. No pytest in this module.
"""

from __future__ import annotations

import base64
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config.toml"
POSTGRES_ADMIN_URL = os.environ.get(
    "ANLAUFSTELLE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("ANLAUFSTELLE_TEST_REDIS", "redis://127.0.0.1:6379/0")
PASSWORD = "test-password-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def login(base_url: str, name: str) -> requests.Session:
    """A requests session logged in as `name`, sending the CSRF header on every request."""
    http = requests.Session()
    response = http.post(
        base_url + "/api/v1/session", json={"username": name, "password": PASSWORD}, timeout=10
    )
    assert response.status_code == 204, response.text
    http.headers["X-CSRF-Token"] = response.headers["X-CSRF-Token"]
    return http


def create_postgres(admin_url: str = POSTGRES_ADMIN_URL, prefix: str = "test") -> tuple[str, str]:
    """A fresh, empty PostgreSQL database: (its URL, its name)."""
    from sqlalchemy import create_engine, text

    name = f"anlaufstelle_{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}", name


def drop_postgres(name: str, admin_url: str = POSTGRES_ADMIN_URL) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class LiveServer:
    """`anlaufstelle serve` in its own process, on a free loopback port."""

    def __init__(
        self,
        database_url: str,
        tmp: Path | None = None,
        redis_url: str | None = None,
        connections: int = 5000,
        config: Path = CONFIG,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.var = tmp or Path(tempfile.mkdtemp(prefix="anlaufstelle-live-"))
        self.env = {
            **os.environ,
            "ANLAUFSTELLE_CONFIG": str(config),
            "ANLAUFSTELLE_DATABASE_URL": database_url,
            "ANLAUFSTELLE_SECRET_KEY": "live-test-secret",
            "ANLAUFSTELLE_VAR": str(self.var),
            # Tests and benchmarks issue many tickets from one loopback address.
            "ANLAUFSTELLE_ANONYMOUS_TICKETS": "unlimited",
        }
        if redis_url:
            self.env["ANLAUFSTELLE_REDIS_URL"] = redis_url
        self.connections = connections
        self.log = self.var / f"server-{self.port}.log"
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
                    "--connections",
                    str(self.connections),
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
        self.stop()
        raise RuntimeError(f"server did not start: {self.log.read_text()[-2000:]}")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        """gunicorn's quick shutdown (SIGINT): a test has nothing in flight worth waiting for."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def add_user(
        self, role: str = "clerk", name: str | None = None, languages: str | None = None
    ) -> str:
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
        return login(self.url, self.add_user(role))

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the server's worker processes."""
        total = 0.0
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        for child in children:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total


def raw_websocket(port: int, timeout: float = 10) -> socket.socket:
    """A websocket handshake to Engine.IO that never joins a namespace afterwards."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(
        (
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    return s


def unfinished_request(port: int, timeout: float = 10) -> socket.socket:
    """An HTTP request whose headers never finish."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    return s
