"""The real-time hub: Socket.IO namespaces and what is pushed after each change.

Rooms: `display:<id>` per screen, `ticket:<token>` per visitor phone,
`queue:<site>:<queue>` for phones waiting in a queue (they re-read their position),
`staff:<site>` for staff pages. Events carry no personal data.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from flask import request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, Namespace, SocketIO, join_room

from server.config import Site
from server.domain.errors import NotFound
from server.domain.lifecycle import CALL_KINDS, LINE_KINDS, EventKind
from server.models import Ticket
from server.runtime import Runtime
from server.runtime import runtime as _runtime
from server.services import displays, lookup, present
from server.services.clock import utcnow

log = logging.getLogger(__name__)


class DisplayNamespace(Namespace):
    def on_connect(self, auth: Any = None) -> None:
        display_id = auth.get("display") if isinstance(auth, dict) else None
        try:
            site, display = _runtime().find("display", str(display_id))
        except NotFound:
            raise ConnectionRefusedError("unknown display") from None
        join_room(f"display:{display.id}")
        with _runtime().db.reading() as session:
            state = displays.display_state(session, site, display)
        # Namespace.emit knows `room`, not `to` (Flask-SocketIO 5.x).
        self.emit("state", state, room=request.sid)  # type: ignore[attr-defined]


class TicketNamespace(Namespace):
    def on_connect(self, auth: Any = None) -> None:
        token = auth.get("token") if isinstance(auth, dict) else None
        if not isinstance(token, str) or not token:
            raise ConnectionRefusedError("unknown ticket")
        runtime = _runtime()
        with runtime.db.reading() as session:
            try:
                ticket = lookup.ticket_by_token(session, token)
            except NotFound:
                raise ConnectionRefusedError("unknown ticket") from None
            site = runtime.site(ticket.site_id)
            data = present.public_ticket(session, site, ticket)
        join_room(f"ticket:{token}")
        join_room(f"queue:{ticket.site_id}:{ticket.queue_id}")
        self.emit("ticket", data, room=request.sid)  # type: ignore[attr-defined]


class StaffNamespace(Namespace):
    def on_connect(self, auth: Any = None) -> None:
        if not current_user.is_authenticated:
            raise ConnectionRefusedError("login required")
        runtime = _runtime()
        # Staff hear only the sites they may work at (several sites in one installation).
        for site in runtime.settings.sites:
            if not current_user.may_site(site.id):
                continue
            join_room(f"staff:{site.id}")
            with runtime.db.reading() as session:
                self.emit(
                    "queues",
                    {"site": site.id, "queues": present.queues_overview(session, site)},
                    room=request.sid,  # type: ignore[attr-defined]
                )


def init_realtime(socketio: SocketIO) -> None:
    socketio.on_namespace(DisplayNamespace("/display"))
    socketio.on_namespace(TicketNamespace("/ticket"))
    socketio.on_namespace(StaffNamespace("/staff"))


class Hub:
    """Pushes the consequences of a committed change to displays, phones and staff.

    A call goes out at once. Aggregates (waiting counts for displays, the queue
    overview for staff) are coalesced: at most one computation per site every
    AGGREGATE_INTERVAL seconds, so a burst of tickets costs a few queries, not one each.
    """

    AGGREGATE_INTERVAL = 0.2

    def __init__(self, socketio: SocketIO, runtime: Runtime) -> None:
        self.socketio = socketio
        self.runtime = runtime
        self._dirty: set[str] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._worker: threading.Thread | None = None

    def ticket_changed(
        self, site: Site, ticket_id: int, kind: EventKind, from_queue: str | None = None
    ) -> None:
        """Push a committed change, reading the ticket's views in a session of its own."""
        if kind is EventKind.ISSUED:  # nobody follows a ticket that did not exist a moment ago
            self.aggregates_changed(site)
            return
        ticket = None
        try:
            with self.runtime.db.reading() as session:
                ticket = session.get(Ticket, ticket_id)
                views = present.ticket_views(session, site, ticket) if ticket else None
        except Exception:  # a push must never turn a committed change into an error
            log.exception("could not push %s of ticket %s", kind, ticket_id)
            views = None
        if ticket is None or views is None:
            self.aggregates_changed(site)
            return
        self.push(site, ticket, kind, *views, from_queue=from_queue)

    def push(
        self,
        site: Site,
        ticket: Ticket,
        kind: EventKind,
        public: dict[str, Any],
        staff: dict[str, Any],
        *,
        from_queue: str | None = None,
    ) -> None:
        """Push a committed change whose public and staff views the caller built already."""
        try:
            self._emit(site, ticket, kind, public, staff, from_queue)
        except Exception:  # a push must never turn a committed change into an error
            log.exception("could not push %s of ticket %s", kind, ticket.id)
        self.aggregates_changed(site)

    def _emit(self, site: Site, ticket: Ticket, kind: EventKind, *views: Any) -> None:
        """Send one change to each channel that may see it (views: public, staff, from_queue)."""
        public, staff, from_queue = views
        emit = self.socketio.emit
        emit("ticket", public, namespace="/ticket", to=f"ticket:{ticket.token}")
        for queue_id in {ticket.queue_id, from_queue} - {None} if kind in LINE_KINDS else ():
            emit(
                "queue_changed",
                {"queue": queue_id},
                namespace="/ticket",
                to=f"queue:{site.id}:{queue_id}",
            )
        if kind in CALL_KINDS:
            call = displays.call_event(
                site,
                ticket.number,
                ticket.counter_id,
                ticket.called_at or utcnow(),
                recall=kind is EventKind.RECALLED,
            )
            for display in displays.displays_for_call(site, ticket.counter_id):
                emit("called", call, namespace="/display", to=f"display:{display.id}")
        self.staff_notice(site, "ticket", {"kind": kind.value, "ticket": staff})

    def aggregates_changed(self, site: Site) -> None:
        with self._lock:
            self._dirty.add(site.id)
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(
                    target=self._push_aggregates, name="hub-aggregates", daemon=True
                )
                self._worker.start()
        self._wake.set()

    def _push_aggregates(self) -> None:
        while True:
            self._wake.wait()
            time.sleep(self.AGGREGATE_INTERVAL)
            self._wake.clear()
            with self._lock:
                dirty, self._dirty = self._dirty, set()
            for site_id in dirty:
                try:
                    self._push_site_aggregates(self.runtime.site(site_id))
                except Exception:
                    log.exception("could not push waiting counts of %s", site_id)

    def _push_site_aggregates(self, site: Site) -> None:
        emit = self.socketio.emit
        with self.runtime.db.reading() as session:
            now = utcnow()
            waiting = present.waiting_by_queue(session, site, now)
            overview = present.queues_overview(session, site, now, waiting)
        for display in site.displays:
            totals = displays.waiting_by_zone(site, display, waiting)
            emit("waiting", totals, namespace="/display", to=f"display:{display.id}")
        self.staff_notice(site, "queues", {"site": site.id, "queues": overview})

    def staff_notice(self, site: Site, event: str, data: dict[str, Any]) -> None:
        self.socketio.emit(event, data, namespace="/staff", to=f"staff:{site.id}")
