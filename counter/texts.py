"""Texts the staff pages' JavaScript shows, translated on the server (one catalog)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from server.config import Site

# Names of the visitors' languages, in the staff member's language.
LANGUAGE_NAMES = {
    "de": _l("German"),
    "en": _l("English"),
    "ar": _l("Arabic"),
    "ku": _l("Kurmanji Kurdish"),
    "ckb": _l("Sorani Kurdish"),
}

STATUS_NAMES = {
    "waiting": _l("waiting"),
    "called": _l("called"),
    "serving": _l("in service"),
    "parked": _l("parked"),
    "done": _l("finished"),
    "no_show": _l("did not come"),
    "cancelled": _l("cancelled"),
    "idle": _l("free"),
}

OUTCOME_NAMES = {
    "done": _l("finished"),
    "no_show": _l("did not come"),
    "cancelled": _l("cancelled"),
    "transferred": _l("handed on"),
}

PRESENCE_NAMES = {
    "open": _l("open"),
    "break": _l("on a break"),
    "closed": _l("closed"),
}

KIND_NAMES = {
    "reception": _l("Reception"),
    "back_office": _l("Back office"),
    "core_office": _l("Core office"),
}

MESSAGES = {
    "speaks": _l("Speaks {language}"),
    "waited": _l("Waited {minutes} min"),
    "waiting_for": _l("Waiting for {minutes} min"),
    "called_at": _l("Called at {time}"),
    "at_counter_since": _l("At the counter for {minutes} min"),
    "minutes": _l("{minutes} min"),
    "nobody_waiting": _l("Nobody is waiting in your queues."),
    "called": _l("{number} called."),
    "conflict": _l(
        "That did not work: another counter was faster or the ticket is already finished. "
        "The page now shows the current state."
    ),
    "not_found": _l("This ticket no longer exists. The page now shows the current state."),
    "invalid": _l("Please check your input: {message}"),
    "queue_closed": _l("This queue takes no new tickets today."),
    "capacity_exhausted": _l("This queue has no tickets left for today."),
    "forbidden": _l("Your role does not allow this."),
    "csrf": _l("The page was open too long. Please reload it."),
    "network": _l("No connection to the server. Please try again."),
    "error": _l("Something went wrong. Please try again."),
    "choose_counter": _l("Please choose your counter first."),
    "no_current": _l("No visitor at your counter. Press N to call the next one."),
    "done_action": _l("{number}: {status}."),
    "transferred": _l("{number} handed on to {target}."),
    "issued": _l("Ticket {number} issued."),
    "appointment": _l("Appointment"),
    "appointment_at": _l("Appointment at {time}"),
    "due": _l("due"),
    "priority": _l("Priority"),
    "reserved_for": _l("only for {counter}"),
    "note": _l("Note"),
    "no_stops": _l("No earlier stops today."),
    "live": _l("Live"),
    "offline": _l("Connection lost – reconnecting…"),
    "closed": _l("closed today"),
    "open": _l("open"),
    "close_queue": _l("Close for today"),
    "open_queue": _l("Open again"),
    "queue_now_closed": _l("{queue} is closed for new tickets today."),
    "queue_now_open": _l("{queue} takes new tickets again."),
    "none": _l("none"),
    "printer_alert": _l("Printer problem at kiosk {kiosk}"),
    "printer_alert_ticket": _l("ticket {number} was not printed"),
    # Known causes of a printer alert (server/domain/printer_causes.py), instead of the
    # printer's technical message.
    "printer_cause_no_paper": _l("no paper: please put in a new roll"),
    "printer_cause_cover_open": _l("the cover is open: please close it"),
    "printer_cause_offline": _l("printer offline: check its power and cable"),
    "acknowledge": _l("Done"),
    "no_appointments": _l("No appointments waiting."),
    "no_waiting": _l("Nobody is waiting."),
    "no_calls": _l("No calls yet."),
    "hand_on": _l("Hand on"),
    "resume": _l("Resume"),
    "any_queue": _l("all my queues"),
    "called_by": _l("{counter} called {number}"),
    "recalled_by": _l("{counter} called {number} again"),
    "idle_since": _l("free since {time}"),
    "within_target": _l("{share} % within {minutes} min (target {percent} %)"),
    "no_calls_today": _l("no calls yet today"),
    "counter_on_break": _l("Your counter is on a break. Open it to call the next visitor."),
    "waits_for": _l("{number} waits for {language}: nobody open speaks it."),
    "open_counters": _l("{count} counters open"),
    "hour": _l("Hour"),
    "no_arrivals": _l("No arrivals yet today."),
    "interpreter": _l("Interpreter"),
    "interpreter_marked": _l("{number} now waits for a clerk who speaks {language}."),
    "interpreter_cleared": _l("{number} no longer needs a particular language."),
    "needs": _l("needs {language}"),
}


def page_texts() -> dict[str, Any]:
    """All texts for the page's scripts, rendered in the request's language."""
    return {
        "languages": {k: str(v) for k, v in LANGUAGE_NAMES.items()},
        "statuses": {k: str(v) for k, v in STATUS_NAMES.items()},
        "outcomes": {k: str(v) for k, v in OUTCOME_NAMES.items()},
        "kinds": {k: str(v) for k, v in KIND_NAMES.items()},
        "presence": {k: str(v) for k, v in PRESENCE_NAMES.items()},
        "messages": {k: str(v) for k, v in MESSAGES.items()},
    }


def site_data(site: Site, language: str) -> dict[str, Any]:
    """The site's queues, counters and concerns as the staff pages label them."""
    return {
        "id": site.id,
        "name": site.name,
        "timezone": site.timezone,
        "queues": [
            {
                "id": q.id,
                "name": q.name,
                "kind": q.kind,
                "target_minutes": q.target.minutes,
                "target_percent": q.target.percent,
            }
            for q in site.queues
        ],
        "counters": [
            {"id": c.id, "label": c.label.get(language), "queues": [w.queue for w in c.serves]}
            for c in site.counters
        ],
        "concerns": {c.id: c.label.get(language) for c in site.concerns},
        "priority_reasons": list(site.priority_reasons),
    }
