"""The parameters of a statistics request, shared by the API and the page.

Their types and bounds are declared once, in server.api.schemas.StatisticsParams; this
module only fills in the defaults that depend on the day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from server.domain.aggregate import View

if TYPE_CHECKING:
    from server.api.schemas import StatisticsParams

# The page opens on the last eight weeks.
DEFAULT_WEEKS = 8


@dataclass(frozen=True)
class StatisticsQuery:
    first: date
    last: date
    view: View
    format: str
    queue: str | None

    @classmethod
    def of(cls, params: StatisticsParams, today: date, *, default_days: int = 1) -> StatisticsQuery:
        last = params.to or today
        first = params.from_ or last - timedelta(days=default_days - 1)
        return cls(first, last, params.by, params.format, params.queue)

    @classmethod
    def parse(
        cls, args: Mapping[str, str], today: date, *, default_days: int = 1
    ) -> StatisticsQuery:
        """From a query string (the page's form); 422 naming the first bad parameter."""
        # Imported here: server.api imports this module while it registers its views.
        from server.api.operations import validated
        from server.api.schemas import StatisticsParams

        given = {name: value for name, value in args.items() if value.strip()}
        return cls.of(validated(StatisticsParams, given), today, default_days=default_days)
