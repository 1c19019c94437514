"""Test helpers for the kiosk: a fake network printer, a closed port, site copies."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from pathlib import Path

from flask import Flask

from server.config import Settings
from tests.conftest import CONFIG, PASSWORD, StaffClient

PAPER_STATUS_QUERY = b"\x10\x04\x04"
PAPER_OK, PAPER_OUT = b"\x12", b"\x72"


class FakePrinter:
    """An ESC/POS printer on a loopback port: keeps every job, answers the paper query."""

    def __init__(self, paper: bool = True) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.uri = f"tcp://127.0.0.1:{self.port}"
        self.paper = paper
        self.jobs: list[bytes] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._take, args=(conn,), daemon=True).start()

    def _take(self, conn: socket.socket) -> None:
        data = b""
        with conn:
            conn.settimeout(10)
            while True:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                data += chunk
                if data.endswith(PAPER_STATUS_QUERY):
                    conn.sendall(PAPER_OK if self.paper else PAPER_OUT)
        payload = data.replace(PAPER_STATUS_QUERY, b"")
        if payload:
            with self._lock:
                self.jobs.append(payload)

    def wait_for_jobs(self, count: int, timeout: float = 15.0) -> list[bytes]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.jobs) >= count:
                    return list(self.jobs)
            time.sleep(0.05)
        with self._lock:
            return list(self.jobs)

    def close(self) -> None:
        self._stop.set()
        self.server.close()
        self._thread.join(2)


def staff_client(app: Flask, role: str) -> StaffClient:
    """A test client of `app` logged in as a new user of `role`."""
    from server.services.users import add_user

    name = f"{role}-{uuid.uuid4().hex[:6]}"
    with app.extensions["anlaufstelle"].db.writing() as session:
        add_user(session, name, PASSWORD, role)
    client = app.test_client()
    response = client.post("/api/v1/session", json={"username": name, "password": PASSWORD})
    assert response.status_code == 204, response.data
    return StaffClient(client, response.headers["X-CSRF-Token"])


def closed_port() -> int:
    """A loopback port nobody listens on: connecting is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def with_kiosk(settings: Settings, **changes: object) -> Settings:
    """A copy of the settings whose first kiosk has other values (printer, idle_seconds)."""
    site = settings.sites[0]
    kiosk = site.kiosks[0].model_copy(update=changes)
    return settings.model_copy(update={"sites": [site.model_copy(update={"kiosks": [kiosk]})]})


def kiosk_config_file(
    tmp_path: Path, *, printer: str | None, idle_seconds: int = 30, extra: str = ""
) -> Path:
    """The demo config.toml with another kiosk printer and idle time, for a live server."""
    text = CONFIG.read_text(encoding="utf-8")
    old_printer = 'printer = "file:var/printer-eingang.escpos"'
    assert old_printer in text and "idle_seconds = 30" in text
    text = text.replace(old_printer, f'printer = "{printer}"' if printer else "")
    text = text.replace("idle_seconds = 30", f"idle_seconds = {idle_seconds}") + extra
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path
