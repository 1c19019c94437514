"""SQLite writers of one process wait for each other, but not forever."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from server import db as db_module
from server.db import Database, make_engine


@pytest.fixture
def sqlite_db(sqlite_url):
    database = Database(make_engine(sqlite_url))
    with database.writing() as session:
        session.execute(text("CREATE TABLE t (n INTEGER)"))
    yield database
    database.dispose()


def test_writers_of_one_process_take_turns_and_all_commit(sqlite_db):
    def write(n: int) -> None:
        with sqlite_db.writing() as session:
            session.execute(text("INSERT INTO t VALUES (:n)"), {"n": n})

    threads = [threading.Thread(target=write, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with sqlite_db.reading() as session:
        assert sorted(session.scalars(text("SELECT n FROM t"))) == list(range(20))


def test_a_writer_stuck_behind_the_gate_fails_like_a_busy_database(sqlite_db, monkeypatch):
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 200)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with sqlite_db.writing():
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(10)
    try:
        with pytest.raises(OperationalError, match="database is locked"):
            with sqlite_db.writing():
                pass
    finally:
        release.set()
        holder.join(10)
    with sqlite_db.writing() as session:  # the gate is free again
        session.execute(text("INSERT INTO t VALUES (1)"))
