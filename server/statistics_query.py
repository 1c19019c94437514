"""The parameters of a statistics or forecast request, shared by the API and the page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from server.domain.aggregate import View
from server.domain.errors import InvalidInput
from server.domain.inputs import parse_day

FORMATS = ("json", "csv", "xlsx")
# The page opens on the last eight weeks.
DEFAULT_WEEKS = 8


def _day(args: Mapping[str, str], name: str, default: date) -> date:
    value = (args.get(name) or "").strip()
    if not value:
        return default
    # The sane window (2000–2099) of every date a request may carry.
    return parse_day(value, name)


@dataclass(frozen=True)
class StatisticsQuery:
    first: date
    last: date
    view: View
    format: str
    queue: str | None

    @classmethod
    def parse(
        cls, args: Mapping[str, str], today: date, *, default_days: int = 1
    ) -> StatisticsQuery:
        last = _day(args, "to", today)
        first = _day(args, "from", last - timedelta(days=default_days - 1))
        by = args.get("by") or View.DAY.value
        try:
            view = View(by)
        except ValueError:
            choices = ", ".join(v.value for v in View)
            raise InvalidInput(f"by must be one of {choices}") from None
        fmt = args.get("format") or "json"
        if fmt not in FORMATS:
            raise InvalidInput(f"format must be one of {', '.join(FORMATS)}")
        return cls(first, last, view, fmt, (args.get("queue") or "").strip() or None)


def forecast_days(args: Mapping[str, str], today: date) -> tuple[date, int]:
    first = _day(args, "from", today)
    raw = args.get("days") or "7"
    try:
        days = int(raw)
    except ValueError:
        raise InvalidInput("days must be a whole number") from None
    return first, days
