"""Past visits from another system: one CSV line each, checked before anything is stored.

Columns: queue,arrived_at,called_at,finished_at,outcome,language. Times are ISO 8601 with
an offset (`2026-03-02T08:15:00+01:00`); `called_at` and `finished_at` may be empty.
"""

from __future__ import annotations

import csv
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from server.domain.aggregate import OUTCOMES
from server.domain.errors import InvalidInput

COLUMNS = ("queue", "arrived_at", "called_at", "finished_at", "outcome", "language")


@dataclass(frozen=True)
class PastVisit:
    queue: str
    arrived_at: datetime
    called_at: datetime | None
    finished_at: datetime | None
    outcome: str
    language: str | None


class BadLine(InvalidInput):
    """A line of a history file that cannot be imported."""

    code = "bad_history_line"

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"line {line}: {problem}")
        self.line = line


def _time(value: str, column: str, line: int, *, required: bool) -> datetime | None:
    value = value.strip()
    if not value:
        if required:
            raise BadLine(line, f"{column} is empty")
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise BadLine(line, f"{column} {value!r} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise BadLine(line, f"{column} {value!r} has no offset (like +01:00)")
    return parsed


def parse_line(
    fields: list[str], line: int, queues: Container[str], languages: Container[str]
) -> PastVisit:
    if len(fields) != len(COLUMNS):
        raise BadLine(line, f"expected {len(COLUMNS)} columns, found {len(fields)}")
    queue, arrived, called, finished, outcome, language = (f.strip() for f in fields)
    if queue not in queues:
        raise BadLine(line, f"unknown queue {queue!r}")
    arrived_at = _time(arrived, "arrived_at", line, required=True)
    assert arrived_at is not None
    called_at = _time(called, "called_at", line, required=False)
    finished_at = _time(finished, "finished_at", line, required=False)
    if outcome not in OUTCOMES:
        raise BadLine(line, f"outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")
    if language and language not in languages:
        raise BadLine(line, f"unknown language {language!r}")
    if called_at is not None and called_at < arrived_at:
        raise BadLine(line, "called_at is before arrived_at")
    if finished_at is not None:
        if called_at is None:
            raise BadLine(line, "finished_at is given but called_at is empty")
        if finished_at < called_at:
            raise BadLine(line, "finished_at is before called_at")
    if outcome == "done" and called_at is None:
        raise BadLine(line, "a done visit needs called_at")
    return PastVisit(queue, arrived_at, called_at, finished_at, outcome, language or None)


def parse(
    lines: Iterable[str], queues: Container[str], languages: Container[str]
) -> Iterator[PastVisit]:
    """Every visit of a history file; BadLine (with its number) at the first bad line.

    The first line is the header and must name the columns in order.
    """
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise BadLine(1, "the file is empty") from None
    except csv.Error as exc:
        raise BadLine(1, f"not a CSV file ({exc})") from None
    if [h.strip().lstrip("\ufeff") for h in header] != list(COLUMNS):
        raise BadLine(1, f"the header must be {','.join(COLUMNS)}")
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise BadLine(reader.line_num, f"not a CSV line ({exc})") from None
        if not any(f.strip() for f in fields):
            continue
        yield parse_line(fields, reader.line_num, queues, languages)
