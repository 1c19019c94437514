"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from server.db import Database, make_engine
from server.migrate import upgrade
from server.models import Base


def test_the_migrations_build_the_schema_the_models_describe(database):
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_call_next_finds_line_jumpers_through_the_partial_index(sqlite_url):
    # SQLite's plan: it uses a partial index only when the query repeats its predicate.
    # (PostgreSQL chooses by its statistics, so its plan is not pinned here.)
    database = Database(make_engine(sqlite_url))
    upgrade(database.engine)
    with database.engine.connect() as connection:
        plan = connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM tickets WHERE site_id = 'x' "
            "AND service_day = '2026-12-01' AND queue_id = 'q' AND status = 'waiting' "
            "AND (tickets.priority IS 1 OR tickets.appointment_id IS NOT NULL)"
        ).all()
    database.dispose()
    assert "ix_ticket_jumps_line" in str(plan)
