"""Where a ticket goes: its first queue, the queue of a counter it is handed to, capacity."""

from __future__ import annotations

from collections.abc import Iterable

from server.domain.errors import CapacityExhausted, InvalidInput


def first_queue(concern_queue: str | None, chosen_queue: str | None) -> str:
    """Reception may name a queue; otherwise the concern's first queue."""
    queue = chosen_queue or concern_queue
    if queue is None:
        raise InvalidInput("a concern or a queue is required")
    return queue


def queue_of_counter(serves: Iterable[tuple[str, float]]) -> str:
    """A ticket handed to a named counter waits in the queue that counter weighs most.

    Ties go to the first queue of the counter's work profile.
    """
    best: tuple[str, float] | None = None
    for queue, weight in serves:
        if best is None or weight > best[1]:
            best = (queue, weight)
    if best is None:
        raise InvalidInput("the counter serves no queue")
    return best[0]


def check_capacity(queue_id: str, issued_today: int, daily_capacity: int | None) -> None:
    """A queue gives out at most its daily capacity of walk-in tickets.

    Appointments are not counted and never refused: their seats were booked already.
    """
    if daily_capacity is not None and issued_today >= daily_capacity:
        raise CapacityExhausted(f"queue {queue_id!r} has no tickets left today")
