"""Compare-and-set: change a row only if it is still as we read it."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.orm import Session


def compare_and_set(
    session: Session, model: Any, row_id: int, expected: dict[str, object], **values: object
) -> bool:
    """Update one row if its columns still hold `expected`; True when it did.

    Of two transactions racing for the same row only the first update matches, which is
    what keeps a ticket from being called twice (invariant 2) or a seat booked twice.
    The update bypasses the identity map; callers reload or set what they need.
    """
    statement = (
        update(model)
        .where(model.id == row_id, *(getattr(model, k) == v for k, v in expected.items()))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    result = cast(CursorResult[Any], session.execute(statement))
    return int(result.rowcount) == 1
