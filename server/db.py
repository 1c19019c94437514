"""Engine and sessions: SQLite (WAL, foreign keys, busy timeout, BEGIN IMMEDIATE) or PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 15_000


def _sqlite_pragmas(synchronous: str):
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    return on_connect


def _sqlite_begin(conn: Any) -> None:
    # Writers take the lock up front (BEGIN IMMEDIATE): a read-then-write transaction
    # that began deferred could not upgrade under contention and would fail instead of
    # waiting, and two processes could both read the same "next" ticket.
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, *, sqlite_synchronous: str = "FULL") -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas(sqlite_synchronous))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


@dataclass
class Database:
    """The engine plus a reader and a writer session factory."""

    engine: Engine

    def __post_init__(self) -> None:
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        self._write = sessionmaker(writer, expire_on_commit=False)
        # SQLite lets one writer in at a time (BEGIN IMMEDIATE) and makes the others poll
        # with sleeps of up to 100 ms, so ten threads of one process pressing "next" at
        # once would wait in the busy handler for most of a second. Threads of this
        # process therefore wait for each other here, woken as soon as the writer before
        # them is done, and only one of them at a time polls the database. Safety does not
        # rest on this gate: other processes still meet at BEGIN IMMEDIATE, and the claims
        # stay compare-and-set.
        self._write_gate = threading.RLock() if self.is_sqlite else None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A transaction that will write: committed on success, rolled back on error."""
        gate = self._write_gate
        # As long as SQLite's own busy timeout: a writer stuck behind another process
        # fails as it did without the gate, instead of the whole line waiting on it.
        if gate is not None and not gate.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            raise OperationalError(
                "BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked")
            )
        try:
            with self._write() as session, session.begin():
                yield session
        finally:
            if gate is not None:
                gate.release()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
