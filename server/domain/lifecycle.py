"""The ticket's allowed state moves and what each move records, in one table."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from server.domain.errors import InvalidTransition


class Status(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    PARKED = "parked"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class Action(StrEnum):
    CALL = "call"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    NO_SHOW = "no_show"
    CANCEL = "cancel"
    TRANSFER = "transfer"
    PARK = "park"
    RESUME = "resume"


class EventKind(StrEnum):
    """What the event log, the pushes and the statistics call each change."""

    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    STARTED = "started"
    FINISHED = "finished"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    TRANSFERRED = "transferred"
    PARKED = "parked"
    RESUMED = "resumed"
    QUEUE_CLOSED = "queue_closed"
    QUEUE_OPENED = "queue_opened"


W, C, S, P = Status.WAITING, Status.CALLED, Status.SERVING, Status.PARKED
DONE, NO_SHOW, CANCELLED = Status.DONE, Status.NO_SHOW, Status.CANCELLED
E = EventKind

# (current status, action) -> (new status, what the event log records). Anything not
# listed is impossible. A ticket may be finished straight from `called`: the clerk need
# not press start. Parking sets a visitor aside at the counter (fetching a document,
# waiting for an interpreter); resuming brings them back to the same counter as `called`.
TRANSITIONS: dict[tuple[Status, Action], tuple[Status, EventKind]] = {
    (W, Action.CALL): (C, E.CALLED),
    (W, Action.CANCEL): (CANCELLED, E.CANCELLED),
    (W, Action.TRANSFER): (W, E.TRANSFERRED),
    (C, Action.RECALL): (C, E.RECALLED),
    (C, Action.START): (S, E.STARTED),
    (C, Action.FINISH): (DONE, E.FINISHED),
    (C, Action.NO_SHOW): (NO_SHOW, E.NO_SHOW),
    (C, Action.CANCEL): (CANCELLED, E.CANCELLED),
    (C, Action.TRANSFER): (W, E.TRANSFERRED),
    (C, Action.PARK): (P, E.PARKED),
    (S, Action.FINISH): (DONE, E.FINISHED),
    (S, Action.CANCEL): (CANCELLED, E.CANCELLED),
    (S, Action.TRANSFER): (W, E.TRANSFERRED),
    (S, Action.PARK): (P, E.PARKED),
    (P, Action.RESUME): (C, E.RESUMED),
    (P, Action.CANCEL): (CANCELLED, E.CANCELLED),
    (P, Action.TRANSFER): (W, E.TRANSFERRED),
}

TERMINAL = frozenset({DONE, NO_SHOW, CANCELLED})
AT_COUNTER = frozenset({C, S, P})
# The visitor in front of the clerk: one at a time per counter.
IN_FRONT = frozenset({C, S})

# Moves that put the visitor in front of the clerk (again): the displays announce them.
CALL_KINDS = frozenset({E.CALLED, E.RECALLED, E.RESUMED})
# Moves that change who waits in a queue: phones in that queue re-read their position.
LINE_KINDS = frozenset({E.CALLED, E.TRANSFERRED, E.CANCELLED})

# What a visitor's phone and the public API show: parking is staff business.
PUBLIC_STATUS = {P: S}


def move(current: str, action: Action) -> tuple[Status, EventKind]:
    """The status after `action` and the event it records, or raise InvalidTransition."""
    try:
        return TRANSITIONS[(Status(current), action)]
    except (KeyError, ValueError):
        verb = "mark as no-show" if action is Action.NO_SHOW else action.value
        raise InvalidTransition(f"cannot {verb} a ticket that is {current}") from None


def next_status(current: str, action: Action) -> Status:
    """Return the status after `action`, or raise InvalidTransition."""
    return move(current, action)[0]


def allowed_actions(current: str) -> list[Action]:
    """The actions the current status allows, in table order."""
    return [action for (status, action) in TRANSITIONS if status == current]


def public_status(current: str) -> str:
    status = Status(current)
    return PUBLIC_STATUS.get(status, status).value


def finished_by_next(status: str) -> bool:
    """Pressing "next" means the clerk is done with the visitor in front of them.

    Parked visitors stay parked: they come back with "resume".
    """
    return Status(status) in IN_FRONT


def check_counter_free(statuses_of_others: Iterable[str]) -> None:
    """Resume only at a free counter: one visitor in front of a clerk at a time."""
    if any(Status(s) in IN_FRONT for s in statuses_of_others):
        raise InvalidTransition("finish or park the current visitor before resuming another")


def action_of(kind: EventKind) -> Action | None:
    """The action that records events of this kind; None for kinds no action records."""
    return next((a for (_status, a), (_new, k) in TRANSITIONS.items() if k is kind), None)


def event_of(action: Action) -> EventKind:
    """The event an action records (the same whatever status it starts from)."""
    return next(kind for (_status, a), (_new, kind) in TRANSITIONS.items() if a is action)
