"""The ticket's allowed state moves, in one table."""

from __future__ import annotations

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


W, C, S, P = Status.WAITING, Status.CALLED, Status.SERVING, Status.PARKED

# (current status, action) -> new status. Anything not listed is impossible.
# A ticket may be finished straight from `called`: the clerk need not press start.
# Parking sets a visitor aside at the counter (fetching a document, waiting for an
# interpreter); resuming brings them back to the same counter as `called`.
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (W, Action.CALL): C,
    (W, Action.CANCEL): Status.CANCELLED,
    (W, Action.TRANSFER): W,
    (C, Action.RECALL): C,
    (C, Action.START): S,
    (C, Action.FINISH): Status.DONE,
    (C, Action.NO_SHOW): Status.NO_SHOW,
    (C, Action.CANCEL): Status.CANCELLED,
    (C, Action.TRANSFER): W,
    (C, Action.PARK): P,
    (S, Action.FINISH): Status.DONE,
    (S, Action.CANCEL): Status.CANCELLED,
    (S, Action.TRANSFER): W,
    (S, Action.PARK): P,
    (P, Action.RESUME): C,
    (P, Action.CANCEL): Status.CANCELLED,
    (P, Action.TRANSFER): W,
}

TERMINAL = frozenset({Status.DONE, Status.NO_SHOW, Status.CANCELLED})
AT_COUNTER = frozenset({Status.CALLED, Status.SERVING, Status.PARKED})

# What a visitor's phone and the public API show: parking is staff business.
PUBLIC_STATUS = {P: Status.SERVING}


def next_status(current: str, action: Action) -> Status:
    """Return the status after `action`, or raise InvalidTransition."""
    try:
        return TRANSITIONS[(Status(current), action)]
    except (KeyError, ValueError):
        verb = "mark as no-show" if action is Action.NO_SHOW else action.value
        raise InvalidTransition(f"cannot {verb} a ticket that is {current}") from None


def allowed_actions(current: str) -> list[Action]:
    """The actions the current status allows, in table order."""
    return [action for (status, action) in TRANSITIONS if status == current]


def public_status(current: str) -> str:
    status = Status(current)
    return PUBLIC_STATUS.get(status, status).value
