"""Start real server processes for benchmarks (loopback only, bounded).

The server process, staff login and throwaway PostgreSQL database come from the test
helpers in tests/live.py, so the bench measures exactly the server the tests start.
"""

from __future__ import annotations

from pathlib import Path

from tests.live import (
    POSTGRES_ADMIN_URL,
    REDIS_URL,
    LiveServer,
    create_postgres,
    drop_postgres,
    login,
)
from tests.live import (
    port_open as reachable,
)

__all__ = [
    "POSTGRES_ADMIN_URL",
    "REDIS_URL",
    "Server",
    "drop_postgres",
    "fresh_postgres",
    "login",
    "percentile",
    "reachable",
]


class Server(LiveServer):
    """A server started at once (the bench's spelling); stop it with .stop()."""

    def __init__(
        self,
        database_url: str,
        *,
        redis_url: str | None = None,
        connections: int = 5000,
        var: Path | None = None,
    ) -> None:
        super().__init__(database_url, var, redis_url, connections)
        self.start()


def fresh_postgres() -> tuple[str, str]:
    """Create an empty database; returns (url, name)."""
    return create_postgres(prefix="bench")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]
