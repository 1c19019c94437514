"""What language preference and presence cost a call: `python -m bench.languages`.

Prints the domain's ordering time (plain `rank` against `call_order` with a clerk's
languages) and the service's call-next time on SQLite for a language-neutral counter
against a clerk who speaks some of the visitors' languages, with their ratio.
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from server.config import load_settings
from server.db import Database, make_engine
from server.domain import policy
from server.migrate import upgrade
from server.services import calling, issuing
from server.services.users import add_user

LANGUAGES = ["de", "ar", "ku", "ckb", "en"]
CALLS = 150


def _domain(rounds: int = 2000) -> tuple[float, float]:
    now = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
    rng = random.Random(7)
    candidates = [
        policy.Candidate(
            i,
            rng.choice("ab"),
            now - timedelta(minutes=rng.randint(0, 60)),
            language=rng.choice(LANGUAGES),
        )
        for i in range(24)
    ]
    profile = {"a": policy.QueueWeight(3.0, 1200.0), "b": policy.QueueWeight(1.0, 1200.0)}
    clerk = policy.Clerk(frozenset({"ar", "ckb"}), timedelta(minutes=10))
    timings = []
    for work in (
        lambda: policy.rank(candidates, profile, now),
        lambda: policy.call_order(candidates, profile, now, clerk),
    ):
        start = time.perf_counter()
        for _ in range(rounds):
            work()
        timings.append((time.perf_counter() - start) / rounds * 1e6)
    return timings[0], timings[1]


def _calls(folder: Path, languages: str | None) -> float:
    settings = load_settings()
    site = settings.sites[0]
    path = folder / ("bench-speaking.db" if languages else "bench-neutral.db")
    db = Database(make_engine(f"sqlite:///{path}"))
    upgrade(db.engine)
    start_at = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
    rng = random.Random(11)
    with db.writing() as s:
        user_id = add_user(
            s, "bench", "Kq7!mz2#Lw9pX", "clerk", languages=languages, check_password=False
        ).id
        for n in range(CALLS + 20):
            issuing.issue(
                s,
                site,
                concern_id=None,
                queue_id="core-abh",
                language=rng.choice(LANGUAGES),
                now=start_at + timedelta(seconds=20 * n),
            )
    now = start_at + timedelta(hours=1)
    started = time.perf_counter()
    for n in range(CALLS):
        with db.writing() as s:
            calling.next_call(s, site, "raum-201", user_id=user_id, now=now + timedelta(seconds=n))
    elapsed = (time.perf_counter() - started) / CALLS * 1000
    db.dispose()
    return elapsed


def main() -> None:
    plain_us, languages_us = _domain()
    print(
        f"domain ordering of 24 candidates: rank {plain_us:.1f} µs, "
        f"call_order with languages {languages_us:.1f} µs, ratio {languages_us / plain_us:.2f}"
    )
    with tempfile.TemporaryDirectory() as folder:
        neutral = _calls(Path(folder), None)
        speaking = _calls(Path(folder), "ar,ckb")
    print(
        f"call-next on SQLite, {CALLS} calls one after another: language-neutral clerk "
        f"{neutral:.2f} ms, clerk speaking ar,ckb {speaking:.2f} ms, "
        f"ratio {speaking / neutral:.2f}"
    )


if __name__ == "__main__":
    main()
