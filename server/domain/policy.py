"""Which waiting ticket a counter calls next."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

# An appointment counts as due from this long before its start.
APPOINTMENT_DUE_BEFORE = timedelta(minutes=10)


@dataclass(frozen=True)
class Candidate:
    """A waiting ticket as the policy sees it."""

    ticket_id: int
    queue: str
    arrived_at: datetime
    priority: bool = False
    appointment_start: datetime | None = None


@dataclass(frozen=True)
class QueueWeight:
    """How a counter weighs one queue of its work profile, and that queue's target."""

    weight: float
    target_seconds: float


def is_due(candidate: Candidate, now: datetime) -> bool:
    start = candidate.appointment_start
    return start is not None and now >= start - APPOINTMENT_DUE_BEFORE


def rank(
    candidates: Iterable[Candidate], profile: Mapping[str, QueueWeight], now: datetime
) -> list[Candidate]:
    """Order candidates best first.

    1. appointments that are due, earliest start first;
    2. tickets with a priority flag, longest wait first;
    3. everyone else by wait relative to the queue's target, times the counter's weight
       for that queue: a visitor at 15 of 20 minutes comes before one at 20 of 60.
    Ties go to the earlier arrival, then the lower id, so the order is total.
    """

    def key(c: Candidate) -> tuple[int, float, datetime, int]:
        if is_due(c, now):
            assert c.appointment_start is not None
            return (0, c.appointment_start.timestamp(), c.arrived_at, c.ticket_id)
        if c.priority:
            return (1, c.arrived_at.timestamp(), c.arrived_at, c.ticket_id)
        queue = profile[c.queue]
        waited = max((now - c.arrived_at).total_seconds(), 0.0)
        # +1 s so that brand-new tickets still differ by weight.
        urgency = (waited + 1.0) / queue.target_seconds * queue.weight
        return (2, -urgency, c.arrived_at, c.ticket_id)

    return sorted((c for c in candidates if c.queue in profile), key=key)
