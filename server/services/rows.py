"""Loading one row or saying NotFound: the lookups every service starts with."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.config import Site
from server.domain.errors import NotFound

Row = TypeVar("Row")


def of_site(session: Session, model: type[Row], row_id: int, site: Site | None, what: str) -> Row:
    """The row with this id; NotFound also when it belongs to another site than `site`."""
    row = session.get(model, row_id)
    if row is None or (site is not None and cast(Any, row).site_id != site.id):
        raise NotFound(f"no {what} {row_id}")
    return row


def first_where(session: Session, model: type[Row], error: Exception, *where: Any) -> Row:
    """The first row matching `where`, or `error`."""
    row = session.scalars(select(model).where(*where)).first()
    if row is None:
        raise error
    return row
