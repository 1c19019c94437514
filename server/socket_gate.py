"""Caps the Socket.IO connections that never join a namespace (server.domain.admission).

Installed on the Engine.IO server under python-socketio's own handlers: beyond
`unjoined_sockets`, a new connection closes the oldest one that has still not joined
/display, /ticket or /staff, and one that has not joined within `socket_join_seconds` is
closed by a sweep that runs every second in the server's own background task (a greenlet
under gevent). Closing means the Engine.IO close packet and then the TCP connection
itself: a client that never answers the close would otherwise hold its socket until the
socket timeout.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from typing import Any

from server.config import Server as ServerSettings
from server.domain.admission import Unjoined

log = logging.getLogger(__name__)

NAMESPACES = ("/display", "/ticket", "/staff")
SWEEP_SECONDS = 1.0


class SocketGate:
    def __init__(self, sio: Any, settings: ServerSettings) -> None:
        self.sio = sio
        self.unjoined = Unjoined(settings.unjoined_sockets, settings.socket_join_seconds)
        self.made_room = 0  # closed because the cap was reached
        self.timed_out = 0  # closed because they did not join in time
        self._lock = threading.Lock()
        self._sweeping = False
        self._sockets: dict[str, socket.socket] = {}
        handlers = sio.eio.handlers
        self._connect = handlers["connect"]
        self._disconnect = handlers["disconnect"]
        handlers["connect"] = self.on_connect
        handlers["disconnect"] = self.on_disconnect

    def joined(self, eio_sid: str) -> bool:
        manager = self.sio.manager
        return any(manager.sid_from_eio_sid(eio_sid, n) is not None for n in NAMESPACES)

    def on_connect(self, eio_sid: str, environ: dict[str, Any]) -> Any:
        with self._lock:
            evicted = self.unjoined.admit(eio_sid, time.monotonic(), self.joined)
            if isinstance(raw := environ.get("gunicorn.socket"), socket.socket):
                self._sockets[eio_sid] = raw
            start_sweep, self._sweeping = not self._sweeping, True
        if start_sweep:
            self.sio.start_background_task(self._sweep)
        if evicted is not None:
            self.made_room += 1
            if self.made_room % 100 == 1:
                log.warning(
                    "%d Socket.IO connections wait without joining: closed the oldest "
                    "(%d closed so far to make room)",
                    len(self.unjoined),
                    self.made_room,
                )
            self._close([evicted])
        return self._connect(eio_sid, environ)

    def on_disconnect(self, eio_sid: str, *reason: Any) -> Any:
        with self._lock:
            self.unjoined.gone(eio_sid)
            self._sockets.pop(eio_sid, None)
        return self._disconnect(eio_sid, *reason)

    def _close(self, sids: list[str]) -> None:
        with self._lock:
            raw = [self._sockets.pop(sid, None) for sid in sids]
        for sid, sock in zip(sids, raw, strict=True):
            self.sio.eio.disconnect(sid)
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # the client is gone already

    def _sweep(self) -> None:
        """Every second while connections wait to join; ends when none do (the next
        connection starts it again)."""
        while True:
            self.sio.sleep(SWEEP_SECONDS)
            try:
                with self._lock:
                    late = self.unjoined.overdue(time.monotonic(), self.joined)
                    for sid in [s for s in self._sockets if s not in late and self.joined(s)]:
                        del self._sockets[sid]
                    if not late and not len(self.unjoined):
                        self._sweeping = False
                        return
                self.timed_out += len(late)
                self._close(late)
            except Exception:
                log.exception("could not close Socket.IO connections that did not join")
