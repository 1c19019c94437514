"""Staff day view of appointments: who is expected, who came; book, cancel, rebook."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from counter import bp
from counter.access import chosen_site, staff_page
from counter.texts import LANGUAGE_NAMES
from server.audit_web import audit_appointment
from server.config import Site
from server.domain import inputs
from server.domain.appointment_codes import format_code
from server.domain.appointments import parse_start
from server.domain.audit import AuditAction
from server.domain.booking import (
    Outside,
    OutsideBookingWindow,
    Wanted,
    may_book_outside_window,
)
from server.domain.errors import DomainError, InvalidInput, SlotFull
from server.runtime import runtime
from server.services import appointment_pages, appointment_queries, appointments, clock

PROGRESS_NAMES = {
    "expected": _l("expected"),
    "checked_in": _l("checked in"),
    "called": _l("called"),
    "done": _l("done"),
    "no_show": _l("did not come"),
    "cancelled": _l("cancelled"),
}


def _site() -> Site:
    return chosen_site()


def _day(site: Site) -> date:
    value = request.values.get("date")
    if value:
        try:
            return inputs.parse_day(value)
        except InvalidInput:
            flash(gettext("Please give the date as YYYY-MM-DD."), "error")
    return site.local(clock.utcnow()).date()


def _start(site: Site, day: date) -> datetime:
    """The chosen slot, or the other time given for a booking outside the slots."""
    other = (request.form.get("other_time") or "").strip()
    if other:
        try:
            at = time.fromisoformat(other)
        except ValueError:
            raise InvalidInput(gettext("Please give the time as HH:MM.")) from None
        return datetime.combine(day, at, tzinfo=ZoneInfo(site.timezone))
    try:
        return parse_start(request.form.get("start", ""))
    except InvalidInput:
        raise InvalidInput(gettext("Please choose a time slot.")) from None


def _may_override() -> bool:
    return may_book_outside_window(current_user.role)


def _outside_message(exc: OutsideBookingWindow) -> str:
    problem = exc.problem
    if problem.kind is Outside.WEEKDAY:
        why = gettext("This queue takes no appointments on this weekday.")
    elif problem.kind is Outside.HOURS:
        opens, closes = problem.opens, problem.closes
        why = gettext(
            "This queue takes appointments from %(opens)s to %(closes)s.",
            opens=opens.strftime("%H:%M") if opens else "",
            closes=closes.strftime("%H:%M") if closes else "",
        )
    else:
        why = gettext(
            "Appointments are booked at most %(days)s days ahead.", days=problem.horizon_days
        )
    if _may_override():
        return why + " " + gettext("To book it anyway, give a reason and book again.")
    return why + " " + gettext("Only reception can book it, giving a reason.")


def _back(site: Site, day: date, **extra: Any) -> Any:
    args = {"date": day.isoformat(), **extra}
    if request.values.get("site"):
        args["site"] = site.id
    return redirect(url_for("counter.appointments_day", **args))


def _render(template: str, site: Site, title: str, **context: Any) -> Any:
    """A page of the appointments part: the navigation marks "appointments" for both."""
    return render_template(template, site=site, page="appointments", title=title, **context)


def _failed(exc: DomainError) -> None:
    if isinstance(exc, OutsideBookingWindow):
        flash(_outside_message(exc), "error")
        return
    message = exc.message
    if isinstance(exc, SlotFull) and exc.free_slots:
        message += " — " + gettext(
            "Next free slots: %(slots)s",
            slots=", ".join(s[:16].replace("T", " ") for s in exc.free_slots),
        )
    flash(message, "error")


@bp.get("/appointments")
@staff_page("reception")
def appointments_day() -> Any:
    site = _site()
    day = _day(site)
    with runtime().db.reading() as session:
        view = appointment_pages.staff_day(session, site, day, request.args.get("queue"))
    return _render(
        "counter/appointments.html",
        site,
        gettext("Appointments"),
        view=view,
        may_override=_may_override(),
        outside=request.args.get("outside") == "1",
        progress_names=PROGRESS_NAMES,
        language_names=LANGUAGE_NAMES,
        booked=request.args.get("booked", type=int),
        now=clock.utcnow(),
    )


@bp.post("/appointments")
@staff_page("reception")
def book_appointment() -> Any:
    site = _site()
    day = _day(site)
    queue = request.form.get("queue", "")
    # A reason lets reception book outside the hours, days and horizon; it is recorded
    # with the booking, as the API does.
    reason = request.form.get("override_reason", "").strip() if _may_override() else ""
    try:
        with runtime().db.writing() as session:
            note = request.form.get("note") or None
            language = request.form.get("language", "")
            wanted = Wanted(queue, _start(site, day), language, note, reason or None)
            appointment = appointments.book(session, site, wanted, user_id=current_user.id)
            audit_appointment(session, AuditAction.APPOINTMENT_BOOKED, appointment)
            booked, code = appointment.id, format_code(appointment.code)
    except DomainError as exc:
        _failed(exc)
        if isinstance(exc, OutsideBookingWindow):
            # Back to the form as it was filled in, asking for the reason.
            kept = {n: request.form.get(n, "") for n in ("start", "other_time", "language")}
            return _back(site, day, queue=queue, outside="1", **kept)
        return _back(site, day, queue=queue)
    flash(gettext("Booked. Code %(code)s.", code=code), "ok")
    return _back(site, day, queue=queue, booked=booked)


@bp.post("/appointments/<int:appointment_id>/cancel")
@staff_page("reception")
def cancel_appointment(appointment_id: int) -> Any:
    site = _site()
    day = _day(site)
    try:
        with runtime().db.writing() as session:
            cancelled = appointments.cancel(session, site, appointment_id, user_id=current_user.id)
            audit_appointment(session, AuditAction.APPOINTMENT_CANCELLED, cancelled)
    except DomainError as exc:
        _failed(exc)
    else:
        flash(gettext("The appointment is cancelled."), "ok")
    return _back(site, day)


@bp.route("/appointments/<int:appointment_id>/rebook", methods=["GET", "POST"])
@staff_page("reception")
def rebook_appointment(appointment_id: int) -> Any:
    site = _site()
    day = _day(site)
    if request.method == "POST":
        try:
            with runtime().db.writing() as session:
                appointment = appointments.rebook(
                    session, site, appointment_id, _start(site, day), user_id=current_user.id
                )
                audit_appointment(session, AuditAction.APPOINTMENT_MOVED, appointment)
                day = site.local(appointment.start).date()
        except DomainError as exc:
            _failed(exc)
            return redirect(
                url_for(
                    "counter.rebook_appointment",
                    appointment_id=appointment_id,
                    date=day.isoformat(),
                )
            )
        flash(gettext("The appointment is moved. Please print the new invitation."), "ok")
        return _back(site, day, booked=appointment_id)
    with runtime().db.reading() as session:
        appointment = appointment_queries.get(session, appointment_id, site)
        now = clock.utcnow()
        current = appointment_pages.present(site, appointment, None, now)
        if "date" not in request.args:
            day = site.local(appointment.start).date()
        slots = appointment_queries.bookable_slots(session, site, appointment.queue_id, day, now)
    return _render(
        "counter/appointments_rebook.html",
        site,
        gettext("Move appointment"),
        appointment=current,
        day=day,
        slots=slots,
    )
