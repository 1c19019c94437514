"""Start real server processes for benchmarks (loopback only, bounded)."""

from __future__ import annotations

import os
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
POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/0"
PASSWORD = "bench-password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


class Server:
    def __init__(
        self,
        database_url: str,
        *,
        redis_url: str | None = None,
        threads: int = 64,
        var: Path | None = None,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.var = var or Path(tempfile.mkdtemp(prefix="anlaufstelle-bench-"))
        self.env = {
            **os.environ,
            "ANLAUFSTELLE_CONFIG": str(CONFIG),
            "ANLAUFSTELLE_DATABASE_URL": database_url,
            "ANLAUFSTELLE_SECRET_KEY": "bench-secret",
            "ANLAUFSTELLE_VAR": str(self.var),
            # The benchmarks issue thousands of tickets from one loopback address.
            "ANLAUFSTELLE_ANONYMOUS_TICKETS": "unlimited",
        }
        if redis_url:
            self.env["ANLAUFSTELLE_REDIS_URL"] = redis_url
        with (self.var / f"server-{self.port}.log").open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "server.cli",
                    "serve",
                    "--port",
                    str(self.port),
                    "--threads",
                    str(threads),
                ],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/api/v1/health", timeout=1).ok:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not start")

    @property
    def pid(self) -> int:
        return self.process.pid

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

    def add_user(self, role: str = "clerk") -> str:
        name = f"bench-{uuid.uuid4().hex[:6]}"
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
                "--password-stdin",
            ],
            input=PASSWORD.encode(),
            env=self.env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        return name

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def login(base_url: str, name: str) -> requests.Session:
    http = requests.Session()
    r = http.post(
        base_url + "/api/v1/session", json={"username": name, "password": PASSWORD}, timeout=10
    )
    r.raise_for_status()
    http.headers["X-CSRF-Token"] = r.headers["X-CSRF-Token"]
    return http


def fresh_postgres() -> tuple[str, str]:
    """Create an empty database; returns (url, name)."""
    from sqlalchemy import create_engine, text

    name = f"anlaufstelle_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}", name


def drop_postgres(name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]
