"""After a Redis outage, every server sends its own displays and phones a fresh snapshot.

During an outage the calls made on one server never reach the screens connected to
another, and python-socketio's listener waits up to a minute between reconnects. This
manager retries within a second or two and, once it listens again, sends the clients
connected to this process a full snapshot, straight (not through Redis, whose other
listeners may not be back yet). Subscribing first and snapshotting second leaves no gap:
a change after the snapshot's read arrives through Redis again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import socketio
from flask import Flask

from server.domain.errors import NotFound
from server.runtime import runtime as runtime_of
from server.services import displays, lookup, present

log = logging.getLogger(__name__)

MAX_RETRY_SECONDS = 2.0


class ResyncingRedisManager(socketio.RedisManager):
    """A Redis client manager that calls on_resubscribed after each recovered outage."""

    def __init__(self, url: str, on_resubscribed: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(url, **kwargs)
        self.on_resubscribed = on_resubscribed

    def emit_here(self, event: str, data: Any, namespace: str, room: str) -> None:
        """Emit to this process's clients in room only (Redis is bypassed)."""
        socketio.Manager.emit(self, event, data, namespace=namespace, room=room)

    def _redis_listen_with_retries(self) -> Iterator[dict[str, Any]]:
        wait = 0.25
        outage = False
        while True:
            try:
                self._redis_connect()
                self.pubsub.subscribe(self.channel)
                if outage:
                    log.warning("Redis is back: sending fresh snapshots to this server's clients")
                    self._resync()
                outage, wait = False, 0.25
                yield from self.pubsub.listen()
            except Exception as exc:  # any failure of the connection: wait and reconnect
                if not outage:
                    log.error(
                        "lost Redis (%s); retrying every %.1f s at most", exc, MAX_RETRY_SECONDS
                    )
                outage = True
                time.sleep(wait)
                wait = min(wait * 2, MAX_RETRY_SECONDS)

    def _resync(self) -> None:
        try:
            self.on_resubscribed()
        except Exception:  # a failed snapshot must not stop the listener
            log.exception("could not resynchronise the clients after the Redis outage")


def local_rooms(manager: socketio.Manager, namespace: str, prefix: str) -> list[str]:
    """The rooms of namespace on this process whose name starts with prefix."""
    rooms = manager.rooms.get(namespace, {})
    return [room for room in list(rooms) if isinstance(room, str) and room.startswith(prefix)]


def resync_clients(app: Flask, manager: ResyncingRedisManager) -> None:
    """A full snapshot to every display, phone and staff page connected to this process."""
    runtime = runtime_of(app)
    with app.app_context(), runtime.db.reading() as session:
        for room in local_rooms(manager, "/display", "display:"):
            try:
                site, display = runtime.find("display", room.removeprefix("display:"))
            except NotFound:
                continue
            state = displays.display_state(session, site, display)
            manager.emit_here("state", state, "/display", room)
        for room in local_rooms(manager, "/ticket", "ticket:"):
            try:
                ticket = lookup.ticket_by_token(session, room.removeprefix("ticket:"))
            except NotFound:
                continue
            site = runtime.site(ticket.site_id)
            data = present.public_ticket(session, site, ticket)
            manager.emit_here("ticket", data, "/ticket", room)
        for site in runtime.settings.sites:
            overview = {"site": site.id, "queues": present.queues_overview(session, site)}
            manager.emit_here("queues", overview, "/staff", f"staff:{site.id}")
