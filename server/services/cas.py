"""Compare-and-set: change a row only if it is still as we read it."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import Update, bindparam, update
from sqlalchemy.orm import Session


@functools.cache
def _statement(model: Any, expected: tuple[str, ...], changed: tuple[str, ...]) -> Update:
    """Built once per shape and run with bound values: the hot path pays no compilation."""
    table = model.__table__
    return (
        update(table)
        .where(
            table.c.id == bindparam("_id"),
            *(table.c[k] == bindparam(f"_was_{k}", type_=table.c[k].type) for k in expected),
        )
        .values({k: bindparam(f"_new_{k}", type_=table.c[k].type) for k in changed})
    )


def compare_and_set(
    session: Session, model: Any, row_id: int, expected: dict[str, object], **values: object
) -> bool:
    """Update one row if its columns still hold `expected`; True when it did.

    Of two transactions racing for the same row only the first update matches, which is
    what keeps a ticket from being called twice (invariant 2) or a seat booked twice.
    The update bypasses the identity map; callers reload or set what they need.
    """
    statement = _statement(model, tuple(expected), tuple(values))
    params: dict[str, object] = {"_id": row_id}
    params.update({f"_was_{k}": v for k, v in expected.items()})
    params.update({f"_new_{k}": v for k, v in values.items()})
    return int(session.connection().execute(statement, params).rowcount) == 1


def set_by_id(session: Session, model: Any, row_id: int | None, **values: object) -> None:
    """Update one row by its id, unconditionally: the same prepared statement, no flush."""
    if row_id is None or not compare_and_set(session, model, row_id, {}, **values):
        raise LookupError(f"no {model.__tablename__} row {row_id}")
