"""The backup and retention commands against a running server's database."""

from __future__ import annotations

import subprocess
import sys
import threading

import requests

from tests.conftest import ROOT, LiveServer

SITE = "musterstadt"


def _cli(server: LiveServer, *args: str, database_url: str | None = None):
    env = dict(server.env)
    if database_url:
        env["ANLAUFSTELLE_DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _issue(server: LiveServer, count: int) -> list[str]:
    tokens = []
    for _ in range(count):
        answer = requests.post(
            server.url + "/api/v1/tickets",
            json={"site": SITE, "concern": "adresse", "language": "de"},
            timeout=10,
        )
        assert answer.status_code == 201, answer.text
        tokens.append(answer.json()["token"])
    return tokens


def test_a_backup_taken_while_tickets_are_issued_restores_into_a_fresh_server(
    live_server, tmp_path
):
    tokens = _issue(live_server, 20)
    more: list[str] = []
    busy = threading.Thread(target=lambda: more.extend(_issue(live_server, 20)))
    busy.start()
    backup = tmp_path / "backup.db"
    made = _cli(live_server, "backup", str(backup))
    busy.join(60)
    assert made.returncode == 0, made.stderr
    assert "backup written" in made.stdout

    (tmp_path / "restored").mkdir()
    restored = LiveServer(f"sqlite:///{backup}", tmp_path / "restored").start()
    try:
        for token in tokens:
            answer = requests.get(f"{restored.url}/api/v1/tickets/{token}", timeout=10)
            assert answer.status_code == 200, token
        # Those issued during the copy are either wholly in it or not at all.
        found = [
            requests.get(f"{restored.url}/api/v1/tickets/{t}", timeout=10).status_code for t in more
        ]
        assert set(found) <= {200, 404}
        numbers = requests.post(
            restored.url + "/api/v1/tickets",
            json={"site": SITE, "concern": "adresse", "language": "de"},
            timeout=10,
        )
        assert numbers.status_code == 201  # the restored server goes on numbering
    finally:
        restored.stop()
    again = _cli(live_server, "backup", str(backup))
    assert again.returncode == 1 and "exists" in again.stderr


def test_backup_on_postgresql_names_the_pg_dump_command(live_server, tmp_path):
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/anlaufstelle"
    answer = _cli(live_server, "backup", str(tmp_path / "x.dump"), database_url=url)
    assert answer.returncode == 1
    assert "pg_dump --format=custom" in answer.stderr
    assert "postgresql://postgres@127.0.0.1:5432/anlaufstelle" in answer.stderr
    assert not (tmp_path / "x.dump").exists()


def test_retention_run_prints_what_it_would_change_and_then_changes_it(live_server):
    _issue(live_server, 3)
    dry = _cli(live_server, "retention", "run", "--as-of", "2099-01-01", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would change" in dry.stdout and f"{SITE}: tickets pseudonymised: 3" in dry.stdout
    done = _cli(live_server, "retention", "run", "--as-of", "2099-01-01")
    assert done.returncode == 0 and f"{SITE}: tickets deleted: 3" in done.stdout
    bad = _cli(live_server, "retention", "run", "--as-of", "soon")
    assert bad.returncode == 2 and "not a date" in bad.stderr


def test_a_serving_process_takes_the_days_retention_run(live_server, sqlite_url):
    import time

    from sqlalchemy import create_engine, text

    engine = create_engine(sqlite_url)
    deadline = time.monotonic() + 20
    rows: list = []
    while time.monotonic() < deadline and not rows:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT name, summary FROM job_runs")).all()
        time.sleep(0.2)
    engine.dispose()
    assert [name for name, _summary in rows] == ["retention"]
    second = LiveServer(sqlite_url, live_server.log.parent).start()
    second.stop()
    engine = create_engine(sqlite_url)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM job_runs")).scalar()
    engine.dispose()
    assert count == 1  # a second process on the same day found the job taken
