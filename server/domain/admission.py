"""Sockets that have not joined yet: how many may wait, and for how long.

A Socket.IO connection is worth keeping once it has joined a namespace with valid auth
(a display id, a ticket token, a staff session). Until then it is only a socket, and
anyone on the guest Wi-Fi can open thousands of them. So the ones that have not joined
are counted: beyond `cap` the oldest of them is closed to make room for the new one, and
each is closed `seconds` after it opened unless it joined by then. A browser joins
within milliseconds of connecting, so making room at the old end (rather than refusing
the newcomer) keeps displays and phones connecting while someone holds idle sockets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Unjoined:
    cap: int
    seconds: float
    _since: dict[str, float] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self._since)

    def admit(self, sid: str, now: float, joined: Callable[[str], bool]) -> str | None:
        """Count a new connection in; the oldest waiting one to close if `cap` wait already."""
        evicted = None
        if len(self._since) >= self.cap:
            self.forget_joined(joined)
            if len(self._since) >= self.cap:
                evicted = next(iter(self._since))  # dicts keep the order of arrival
                del self._since[evicted]
        self._since[sid] = now
        return evicted

    def gone(self, sid: str) -> None:
        self._since.pop(sid, None)

    def forget_joined(self, joined: Callable[[str], bool]) -> None:
        for sid in [sid for sid in self._since if joined(sid)]:
            del self._since[sid]

    def overdue(self, now: float, joined: Callable[[str], bool]) -> list[str]:
        """The connections to close now: not joined within `seconds`. They are forgotten."""
        self.forget_joined(joined)
        late = [sid for sid, since in self._since.items() if now - since >= self.seconds]
        for sid in late:
            del self._since[sid]
        return late
