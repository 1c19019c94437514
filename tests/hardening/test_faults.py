"""Faults stay where they happen: a hung printer, a full or read-only database, Redis."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CONFIG, ROOT, _missing, settings_for
from tests.kiosk.support import FakePrinter


def test_a_hung_printer_delays_only_its_own_kiosk(settings):
    from server import printing
    from server.app import create_app
    from server.migrate import upgrade

    good = FakePrinter()
    # Accepts connections (the kernel does) but never reads a byte nor answers.
    hung = socket.create_server(("127.0.0.1", 0), backlog=8)
    hung_uri = f"tcp://127.0.0.1:{hung.getsockname()[1]}"
    site = settings.sites[0]
    first = site.kiosks[0].model_copy(update={"printer": hung_uri})
    second = first.model_copy(update={"id": "eingang-2", "printer": good.uri})
    site = site.model_copy(update={"kiosks": [first, second]})
    app = create_app(settings.model_copy(update={"sites": [site]}), testing=True)
    upgrade(app.extensions["anlaufstelle"].db.engine)
    client = app.test_client()
    try:
        body = {"site": site.id, "concern": "adresse", "language": "de"}
        for _ in range(2):
            response = client.post("/api/v1/tickets", json={**body, "kiosk": "eingang"})
            assert response.status_code == 201
        began = time.monotonic()
        response = client.post("/api/v1/tickets", json={**body, "kiosk": "eingang-2"})
        assert response.status_code == 201
        assert len(good.wait_for_jobs(1, timeout=5)) == 1
        assert time.monotonic() - began < 3
    finally:
        printing.wait_for_printing(60)
        hung.close()
        good.close()
        app.extensions["anlaufstelle"].db.dispose()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB file system of its own (tmpfs), to fill up or make read-only."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        _missing(f"cannot mount a small tmpfs (needs root): {done.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(directory: Path) -> Path:
    """Write zeros until the file system says it is full (unbuffered: no write is left
    to fail when the file is closed)."""
    filler = directory / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 65536):
            pass
    except OSError:
        pass  # ENOSPC: full, as wanted
    finally:
        os.close(fd)
    return filler


def test_health_names_a_full_disk_and_tickets_answer_503_not_500(small_disk):
    from server.app import create_app
    from server.migrate import upgrade

    url = f"sqlite:///{small_disk / 'anlaufstelle.db'}"
    app = create_app(settings_for(url), testing=True)
    upgrade(app.extensions["anlaufstelle"].db.engine)
    client = app.test_client()
    body = {"site": "musterstadt", "concern": "adresse", "language": "de"}
    try:
        assert client.get("/api/v1/health").get_json() == {"status": "ok"}
        assert client.post("/api/v1/tickets", json=body).status_code == 201
        filler = _fill(small_disk)

        health = client.get("/api/v1/health")
        assert health.status_code == 503
        assert health.get_json()["problem"] == "disk_full"
        statuses = {client.post("/api/v1/tickets", json=body).status_code for _ in range(20)}
        assert 500 not in statuses and statuses <= {201, 503}

        filler.unlink()
        assert client.get("/api/v1/health").status_code == 200
        assert client.post("/api/v1/tickets", json=body).status_code == 201
    finally:
        app.extensions["anlaufstelle"].db.dispose()


def test_health_names_a_database_that_takes_no_writes(small_disk):
    from server.app import create_app
    from server.migrate import upgrade

    url = f"sqlite:///{small_disk / 'anlaufstelle.db'}"
    app = create_app(settings_for(url), testing=True)
    db = app.extensions["anlaufstelle"].db
    upgrade(db.engine)
    db.dispose()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        health = app.test_client().get("/api/v1/health")
        assert health.status_code == 503
        assert health.get_json()["problem"] in ("unwritable", "unreachable")
    finally:
        db.dispose()


def _serve(url: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ANLAUFSTELLE_CONFIG": str(CONFIG),
        "ANLAUFSTELLE_DATABASE_URL": url,
        "ANLAUFSTELLE_SECRET_KEY": "x" * 32,
        "ANLAUFSTELLE_VAR": str(tmp),
    }
    return subprocess.run(
        [sys.executable, "-m", "server.cli", "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


def test_a_read_only_database_at_start_exits_1_with_one_line(small_disk, tmp_path):
    url = f"sqlite:///{small_disk / 'anlaufstelle.db'}"
    from server.db import Database, make_engine
    from server.migrate import upgrade

    db = Database(make_engine(url))
    upgrade(db.engine)
    db.dispose()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)

    result = _serve(url, tmp_path)

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("anlaufstelle: cannot use the database")
    assert "read" in lines[0].lower()


def test_a_missing_database_at_start_exits_1_with_one_line(postgres_server, tmp_path):
    url = postgres_server.rsplit("/", 1)[0] + "/no_such_database_here"
    result = _serve(url, tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "no_such_database_here" in lines[0] and "does not exist" in lines[0]
