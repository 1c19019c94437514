"""Tickets on paper: the ticket image, printing it in the background, and failures for staff.

A kiosk's HTTP answer never waits for its printer: the image is drawn in the request and
handed to the PrintQueue of its printer. A failed print keeps the ticket valid; it becomes a
PrinterAlert row, a `printer_alert` push to the staff pages, and a "failed" print status the
kiosk page polls for, so it can tell the visitor to note the number shown on screen.
"""

from __future__ import annotations

import functools
import logging
import socket
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babel.support import NullTranslations, Translations
from flask import Flask, current_app
from PIL import Image

from printers import (
    PrinterError,
    PrinterPaperOut,
    PrinterUnavailable,
    PrintQueue,
    TicketText,
    TicketView,
    print_image,
    render_ticket,
)
from server.config import Kiosk, Settings, Site
from server.i18n import is_rtl
from server.models import Ticket
from server.runtime import runtime
from server.services import alerts, lookup, present
from server.urls import public_url

log = logging.getLogger(__name__)

# The printed words are the kiosk's words: same catalog, so screen and paper say the same.
CATALOGS = Path(__file__).resolve().parent.parent / "kiosk" / "translations"
STAFF_LANGUAGE = "de"
PENDING, PRINTED, FAILED, NO_PRINTER = "pending", "printed", "failed", "none"
_STATUS_KEEP = 2000  # tickets whose print status this process remembers
# The printer test must end within 15 s: print, status query and start-up included.
SAMPLE_TIMEOUT_SECONDS = 8.0
STATUS_ANSWER_SECONDS = 2.0
PAPER_STATUS_QUERY = b"\x10\x04\x04"  # DLE EOT 4: paper roll sensor status
PAPER_OUT_BITS = 0x60  # bits 5 and 6: paper end detected


@functools.cache
def _catalog(language: str) -> NullTranslations:
    return Translations.load(str(CATALOGS), [language])


# The ticket's words are the kiosk catalog's; these aliases keep `make catalog PART=server`
# from copying them, untranslated, into the server-wide catalog.
def _word(language: str, message: str) -> str:
    return _catalog(language).gettext(message)


def _count(language: str, singular: str, plural: str, num: int) -> str:
    return _catalog(language).ngettext(singular, plural, num) % {"num": num}


def ticket_text(
    site: Site, ticket: dict[str, Any], language: str, concern_id: str | None = None
) -> TicketText:
    """The words of one ticket in one language, from the kiosk's catalog."""
    concern = site.concern(concern_id) if concern_id else None
    if ticket.get("appointment"):
        first = (
            "You are checked in. Please wait in the waiting area until your number "
            "appears on the screen."
        )
    else:
        first = (
            "Please wait in the waiting area. When your number appears on the screen, "
            "go to the room or counter shown next to it."
        )
    lines = [_word(language, first)]
    position, minutes = ticket.get("position"), ticket.get("estimated_wait_minutes")
    if ticket.get("status") == "waiting" and isinstance(position, int):
        ahead = position - 1
        if ahead == 0:
            lines.append(_word(language, "You are next."))
        else:
            lines.append(
                _count(
                    language,
                    "%(num)d person is ahead of you.",
                    "%(num)d people are ahead of you.",
                    ahead,
                )
            )
            if isinstance(minutes, int) and minutes >= 1:
                lines.append(
                    _count(
                        language,
                        "Estimated wait: about %(num)d minute.",
                        "Estimated wait: about %(num)d minutes.",
                        minutes,
                    )
                )
            elif minutes is not None:
                lines.append(_word(language, "Estimated wait: a few minutes."))
    if ticket.get("status_url"):
        lines.append(
            _word(language, "Scan the code with your phone to see your place in the queue.")
        )
    return TicketText(
        language=language,
        rtl=is_rtl(language),
        heading=_word(language, "Your number"),
        concern=concern.label.get(language) if concern else _word(language, "Appointment"),
        lines=tuple(lines),
    )


def _issued_at(site: Site, ticket: dict[str, Any]) -> str:
    raw = ticket.get("issued_at")
    moment = datetime.fromisoformat(raw) if raw else datetime.now(UTC)
    return site.local(moment).strftime("%d.%m.%Y %H:%M")


def ticket_view(
    site: Site, ticket: dict[str, Any], language: str, concern_id: str | None = None
) -> TicketView:
    """What is printed: the visitor's language first, then German for the staff."""
    languages = [language] if language == STAFF_LANGUAGE else [language, STAFF_LANGUAGE]
    return TicketView(
        number=ticket["number"],
        site_name=site.name,
        issued_at=_issued_at(site, ticket),
        status_url=ticket.get("status_url") or "",
        texts=tuple(ticket_text(site, ticket, lang, concern_id) for lang in languages),
    )


def ticket_image(
    site: Site,
    ticket: dict[str, Any],
    language: str,
    *,
    concern_id: str | None = None,
    width_px: int | None = None,
) -> Image.Image:
    """The ticket exactly as the printer gets it, at the configured paper width."""
    if width_px is None:
        width_px = runtime().settings.printer.width_px
    return render_ticket(ticket_view(site, ticket, language, concern_id), width_px)


def stored_ticket_image(
    session: Any, site: Site, ticket: Ticket, width_px: int | None = None
) -> Image.Image:
    """The image of a stored ticket, as it would be printed now."""
    data = present.public_ticket(session, site, ticket)
    return ticket_image(
        site, data, ticket.language, concern_id=ticket.concern_id, width_px=width_px
    )


# ---------------------------------------------------------------- printing in the background


@dataclass(frozen=True)
class _Job:
    app: Flask
    site: Site
    kiosk_id: str
    token: str
    number: str


class _Printing:
    """The process's print queues, its jobs in flight and the print status of recent tickets.

    One queue (and thread) per printer: a printer that hangs delays only its own kiosk's
    tickets, never another kiosk's. Printers come from the configuration, so they are few.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.queues: dict[str, PrintQueue] = {}
        self.jobs: dict[str, _Job] = {}
        self.status: OrderedDict[str, str] = OrderedDict()

    def print_queue(self, uri: str, timeout: float) -> PrintQueue:
        with self.lock:
            if uri not in self.queues:
                self.queues[uri] = PrintQueue(_printed, _failed, timeout=timeout)
            return self.queues[uri]

    def set_status(self, token: str, status: str) -> None:
        with self.lock:
            self.status[token] = status
            self.status.move_to_end(token)
            while len(self.status) > _STATUS_KEEP:
                self.status.popitem(last=False)

    def take_job(self, job_id: object) -> _Job | None:
        with self.lock:
            return self.jobs.pop(str(job_id), None)


_printing = _Printing()


def _printed(job_id: object) -> None:
    job = _printing.take_job(job_id)
    if job is not None:
        _printing.set_status(job.token, PRINTED)


def _failed(job_id: object, error: PrinterError) -> None:
    # Runs on the print queue's thread: no request, so it pushes the app's context itself.
    job = _printing.take_job(job_id)
    if job is not None:
        _record_failure(job, str(error))


def _record_failure(job: _Job, message: str) -> None:
    _printing.set_status(job.token, FAILED)
    log.warning("printing ticket %s at kiosk %s failed: %s", job.number, job.kiosk_id, message)
    with job.app.app_context():
        held = runtime(job.app)
        with held.db.writing() as session:
            alert = alerts.record(session, job.site, job.kiosk_id, job.number, message)
            data = alerts.present(job.site, alert)
        try:
            held.hub.staff_notice(job.site, "printer_alert", data)
        except Exception:  # the alert is stored; staff pages also read it on load
            log.exception("could not push the printer alert of ticket %s", job.number)


def print_ticket_for_kiosk(site: Site, kiosk_id: str, ticket_id: int) -> bool | None:
    """Queue a ticket for the kiosk's printer and return at once.

    None when the kiosk has no printer, True when the ticket is queued, False when it could
    not even be queued (then the failure is already recorded like any failed print).
    """
    kiosk = site.kiosk(kiosk_id)
    if kiosk is None or not kiosk.printer:
        return None
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    held = runtime(app)
    image: Image.Image | None = None
    problem = ""
    with held.db.reading() as session:
        ticket = lookup.get_ticket(session, ticket_id)
        job = _Job(app, site, kiosk.id, ticket.token, ticket.number)
        with _printing.lock:
            earlier = _printing.status.get(job.token)
        if earlier is not None:
            # A retried request (same Idempotency-Key) answers with the same ticket: one
            # touch, one paper ticket.
            return earlier != FAILED
        _printing.set_status(job.token, PENDING)
        try:
            image = stored_ticket_image(session, site, ticket)
        except Exception as exc:  # e.g. a missing font: the ticket on screen still counts
            log.exception("could not draw ticket %s", ticket.number)
            problem = f"the ticket could not be drawn: {exc}"
    if image is None:
        _record_failure(job, problem)
        return False
    job_id = uuid.uuid4().hex
    with _printing.lock:
        _printing.jobs[job_id] = job
    try:
        _printing.print_queue(kiosk.printer, held.settings.printer.timeout_seconds).submit(
            job_id, image, kiosk.printer
        )
    except (PrinterError, RuntimeError) as exc:
        _printing.take_job(job_id)
        _record_failure(job, str(exc))
        return False
    return True


def print_status(session: Any, site: Site, kiosk: Kiosk, token: str) -> str:
    """pending, printed or failed for a ticket printed at this kiosk; none without a printer.

    This process knows what it printed; a failure seen by another worker is found in the
    PrinterAlert table.
    """
    if not kiosk.printer:
        return NO_PRINTER
    with _printing.lock:
        known = _printing.status.get(token)
    if known in (PRINTED, FAILED):
        return known
    ticket = lookup.ticket_by_token(session, token)
    if ticket.site_id != site.id or ticket.kiosk_id != kiosk.id:
        return NO_PRINTER
    if alerts.failed_print(session, site, kiosk.id, ticket.number, ticket.arrived_at):
        return FAILED
    return PENDING


def wait_for_printing(timeout: float) -> bool:
    """Wait until every print queue is idle (tests, shutdown); False if the time ran out."""
    deadline = time.monotonic() + timeout
    with _printing.lock:
        queues = list(_printing.queues.values())
    return all(q.wait_idle(max(0.0, deadline - time.monotonic())) for q in queues)


# ---------------------------------------------------------------- the command line's test print


def sample_ticket(settings: Settings, language: str) -> TicketView:
    """A ticket that looks real but belongs to nobody: number A-000, no status page."""
    site = settings.sites[0]
    concern = next((c for c in site.concerns if not c.checkin), None)
    data = {
        "number": "A-000",
        "status": "waiting",
        "position": 3,
        "estimated_wait_minutes": 12,
        "appointment": False,
        "status_url": public_url(site, "t", "sample"),
        "issued_at": datetime.now(UTC).isoformat(),
    }
    return ticket_view(site, data, language, concern.id if concern else None)


def print_sample(settings: Settings, uri: str, language: str = STAFF_LANGUAGE) -> None:
    """Print a sample ticket at uri; raise PrinterError saying why when it fails.

    Returns or raises within SAMPLE_TIMEOUT_SECONDS plus a few seconds: an unreachable printer
    never hangs the command. A network printer must also answer a status query afterwards:
    a device that swallows bytes without reading them (a wrong port, a hung print server)
    would otherwise look like a working printer.
    """
    image = render_ticket(sample_ticket(settings, language), settings.printer.width_px)
    timeout = min(settings.printer.timeout_seconds, SAMPLE_TIMEOUT_SECONDS)
    print_image(image, uri, timeout)
    if urlsplit(uri).scheme == "tcp":
        _network_printer_answers(uri)


def _network_printer_answers(uri: str) -> None:
    """Ask a tcp:// printer for its paper status (DLE EOT 4) and require an answer."""
    parts = urlsplit(uri)
    host, port = parts.hostname or "", parts.port or 9100
    try:
        with socket.create_connection((host, port), timeout=STATUS_ANSWER_SECONDS) as sock:
            sock.settimeout(STATUS_ANSWER_SECONDS)
            sock.sendall(PAPER_STATUS_QUERY)
            answer = sock.recv(1)
    except OSError as exc:
        raise PrinterUnavailable(
            f"printer {uri} took the sample but does not answer a status query "
            f"({exc or 'timed out'}); check that this is the printer's raw port"
        ) from exc
    if not answer:
        raise PrinterUnavailable(f"printer {uri} closed the connection without a status")
    if answer[0] & PAPER_OUT_BITS == PAPER_OUT_BITS:
        raise PrinterPaperOut(f"printer {uri} reports that it has no paper")
