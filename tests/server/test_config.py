"""config.toml validation and the check-config / serve refusal."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from server.config import ConfigError, parse_settings
from tests.conftest import CONFIG, ROOT


def demo() -> dict:
    return tomllib.loads(CONFIG.read_text())


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_the_demo_site_is_a_complete_migration_agency():
    site = parse_settings(demo()).sites[0]
    kinds = {q.kind for q in site.queues}
    assert kinds == {"reception", "back_office", "core_office"}
    assert 10 <= len(site.concerns) <= 14
    assert sum(1 for c in site.counters if c.serves[0].queue == "reception") == 2
    # Prefixes name zones, not authorities: every back-office queue shares one prefix.
    assert {q.prefix for q in site.queues if q.kind == "back_office"} == {"B"}


def test_check_config_accepts_the_demo_file():
    result = run_cli("check-config", str(CONFIG))
    assert result.returncode == 0, result.stderr
    assert "configuration ok" in result.stdout


def _broken(mutate) -> dict:
    data = demo()
    mutate(data)
    return data


CASES = {
    "unknown key": (lambda d: d["sites"][0].update(colour="blue"), "sites[0].colour: unknown key"),
    "missing translation": (
        lambda d: d["sites"][0]["concerns"][2]["label"].pop("ku"),
        "sites[0].concerns[2].label.ku: missing",
    ),
    "unknown queue": (
        lambda d: d["sites"][0]["concerns"][0].update(queue="nowhere"),
        "concerns[0].queue",
    ),
    "queue nobody serves": (
        lambda d: d["sites"][0]["queues"].append({**d["sites"][0]["queues"][1], "id": "lonely"}),
        "no counter serves queue 'lonely'",
    ),
    "duplicate id": (
        lambda d: d["sites"][0]["counters"][1].update(id="empfang-1"),
        "counters[1].id: duplicate id 'empfang-1'",
    ),
    "bad prefix": (
        lambda d: d["sites"][0]["queues"][0].update(prefix="abc"),
        "sites[0].queues[0].prefix",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_broken_configuration_names_the_key_and_the_problem(case):
    mutate, expected = CASES[case]
    with pytest.raises(ConfigError) as error:
        parse_settings(_broken(mutate))
    assert expected in str(error.value)


def test_check_config_and_serve_exit_1_on_a_broken_file(tmp_path):
    bad = tmp_path / "config.toml"
    bad.write_text(CONFIG.read_text().replace('id = "empfang-2"', 'id = "empfang-1"'))
    result = run_cli("check-config", str(bad))
    assert result.returncode == 1
    assert "counters[1].id: duplicate id 'empfang-1'" in result.stderr
    serve = run_cli("--config", str(bad), "serve", "--port", "1")
    assert serve.returncode == 1
    assert "duplicate id" in serve.stderr


def test_bad_toml_is_reported_with_its_position(tmp_path):
    bad = tmp_path / "config.toml"
    bad.write_text("[server\nthreads = 3\n")
    result = run_cli("check-config", str(bad))
    assert result.returncode == 1
    assert "not valid TOML" in result.stderr and "line 1" in result.stderr


def test_user_add_reads_the_password_from_stdin(tmp_path):
    env_url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    import os

    env = {**os.environ, "ANLAUFSTELLE_DATABASE_URL": env_url}
    upgrade = subprocess.run(
        [sys.executable, "-m", "server.cli", "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert upgrade.returncode == 0, upgrade.stderr
    added = subprocess.run(
        [
            sys.executable,
            "-m",
            "server.cli",
            "user",
            "add",
            "amira",
            "--role",
            "clerk",
            "--password-stdin",
        ],
        input="a-long-password\n",
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr
    short = subprocess.run(
        [
            sys.executable,
            "-m",
            "server.cli",
            "user",
            "add",
            "bo",
            "--role",
            "clerk",
            "--password-stdin",
        ],
        input="short\n",
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert short.returncode == 1 and "at least 8" in short.stderr


def test_a_config_of_the_threaded_server_still_loads_and_bounds_the_new_limits():
    data = demo()
    data["server"]["threads"] = 400  # the gthread worker's setting, before gevent
    settings = parse_settings(data)
    assert settings.server.connections == 5000 and settings.server.unjoined_sockets == 1000
    data["server"]["unjoined_sockets"] = 0
    with pytest.raises(ConfigError, match="unjoined_sockets"):
        parse_settings(data)
