"""The one order of the waiting line: who is called next and how many are ahead.

Within one queue the line is ordered by `line_key`:

1. appointments that are due, earliest start first;
2. tickets with a priority (a reason given by reception), earliest arrival first;
3. everyone else by arrival (arrival is taken with the number, so by number).

Ties go to the earlier arrival, then the lower id, so the order is total. A counter
serving several queues merges their lines (`rank`): it never reorders a line, it only
chooses which line's head comes next. That is what makes the position told to a visitor
(`position`) the order in which a counter serving only that queue calls them.

Languages (`call_order`) bend the plain order for one clerk, within bounds:

- a ticket that needs a language (interpreter need) is called only by a clerk who
  speaks it; for everyone else it is not in their line at all;
- when the plain order would call a walk-in the clerk does not speak, the first ticket
  in the clerk's plain order that is in a language they speak goes first instead, if it
  came no more than the site's window after every ticket it goes before;
- a ticket is passed over for language only during the window after the first time it
  was: from then on it is called in its plain order (`passed_over_at`);
- due appointments and priorities are never passed over for language.

The position told is the plain line: the order of a clerk who speaks none of the
preferred languages. A clerk who speaks a visitor's language may reach them earlier.
"""

from __future__ import annotations

import heapq
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
    language: str | None = None
    needs_language: str | None = None
    passed_over_at: datetime | None = None


@dataclass(frozen=True)
class QueueWeight:
    """How a counter weighs one queue of its work profile, and that queue's target."""

    weight: float
    target_seconds: float


def appointment_due(start: datetime | None, now: datetime) -> bool:
    """An appointment is due from APPOINTMENT_DUE_BEFORE before its start on."""
    return start is not None and now >= start - APPOINTMENT_DUE_BEFORE


def is_due(candidate: Candidate, now: datetime) -> bool:
    return appointment_due(candidate.appointment_start, now)


def jumps_the_line(candidate: Candidate, now: datetime) -> bool:
    """A rule says why this ticket goes before earlier arrivals (due appointment, priority)."""
    return candidate.priority or is_due(candidate, now)


Key = tuple[int, float, datetime, int]


def line_key(c: Candidate, now: datetime) -> Key:
    """The ticket's place in its queue's line: smaller goes first."""
    if is_due(c, now):
        assert c.appointment_start is not None
        return (0, c.appointment_start.timestamp(), c.arrived_at, c.ticket_id)
    return (1 if c.priority else 2, c.arrived_at.timestamp(), c.arrived_at, c.ticket_id)


def line(candidates: Iterable[Candidate], now: datetime) -> list[Candidate]:
    """One queue's waiting tickets in the order its counters call them."""
    return sorted(candidates, key=lambda c: line_key(c, now))


def position(ticket: Candidate, waiting: Iterable[Candidate], now: datetime) -> int:
    """1 + the waiting tickets of the same queue that go before `ticket` in its line."""
    mine = line_key(ticket, now)
    ahead = sum(
        1
        for other in waiting
        if other.queue == ticket.queue
        and other.ticket_id != ticket.ticket_id
        and line_key(other, now) < mine
    )
    return ahead + 1


def last_in_line(ticket: Candidate, now: datetime, newest: bool) -> bool:
    """A ticket that arrived after every other and jumps no line stands at the back.

    The issuing hot path uses this to count its position instead of ranking the queue.
    """
    return newest and not jumps_the_line(ticket, now)


def _counter_key(c: Candidate, profile: Mapping[str, QueueWeight], now: datetime) -> Key:
    """Which queue's head a counter takes: due appointments, then priority, then urgency.

    Urgency is the wait relative to the queue's target, times the counter's weight for
    the queue: a visitor at 15 of 20 minutes comes before one at 20 of 60.
    """
    tier, first, arrived, ticket_id = line_key(c, now)
    if tier < 2:
        return (tier, first, arrived, ticket_id)
    queue = profile[c.queue]
    waited = max((now - c.arrived_at).total_seconds(), 0.0)
    # +1 s so that brand-new tickets still differ by weight.
    urgency = (waited + 1.0) / queue.target_seconds * queue.weight
    return (2, -urgency, arrived, ticket_id)


def rank(
    candidates: Iterable[Candidate], profile: Mapping[str, QueueWeight], now: datetime
) -> list[Candidate]:
    """The order in which a counter with this work profile calls the candidates.

    Each queue's line keeps its own order; the counter merges the lines by taking, at
    each step, the head that is most urgent for it.
    """
    lines: dict[str, list[Candidate]] = {}
    for c in candidates:
        if c.queue in profile:
            lines.setdefault(c.queue, []).append(c)
    ordered = (line(queue_line, now) for queue_line in lines.values())
    return list(heapq.merge(*ordered, key=lambda c: _counter_key(c, profile, now)))


@dataclass(frozen=True)
class Clerk:
    """Who presses "next": the languages they speak and the site's language window."""

    languages: frozenset[str]
    window: timedelta


@dataclass(frozen=True)
class CallOrder:
    """The order one clerk calls in; `preferred` is set when language put it first.

    `passed` are the tickets the preferred one went before, for `passed_over_at`.
    """

    order: list[Candidate]
    preferred: Candidate | None = None
    passed: tuple[Candidate, ...] = ()


def callable_by(c: Candidate, clerk: Clerk | None) -> bool:
    """A ticket that needs a language is called only by a clerk who speaks it."""
    return c.needs_language is None or (clerk is not None and c.needs_language in clerk.languages)


def spoken_by(c: Candidate, clerk: Clerk) -> bool:
    return (c.needs_language or c.language) in clerk.languages


def protected(c: Candidate, clerk: Clerk, now: datetime) -> bool:
    """Passed over for language for a whole window already: the plain order holds for it."""
    return c.passed_over_at is not None and now - c.passed_over_at >= clerk.window


def call_order(
    candidates: Iterable[Candidate],
    profile: Mapping[str, QueueWeight],
    now: datetime,
    clerk: Clerk | None = None,
) -> CallOrder:
    """The order in which this clerk at a counter of this profile calls the candidates."""
    plain = rank((c for c in candidates if callable_by(c, clerk)), profile, now)
    if clerk is None or not clerk.languages or not plain:
        return CallOrder(plain)
    passed: list[Candidate] = []
    for index, c in enumerate(plain):
        if jumps_the_line(c, now):
            break  # due appointments and priorities keep their precedence
        if spoken_by(c, clerk):
            if passed and all(c.arrived_at - p.arrived_at <= clerk.window for p in passed):
                rest = plain[:index] + plain[index + 1 :]
                return CallOrder([c, *rest], c, tuple(passed))
            break
        if protected(c, clerk, now):
            break
        passed.append(c)
    return CallOrder(plain)
