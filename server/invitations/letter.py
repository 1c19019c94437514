"""What an invitation letter says, in the visitor's language and in German, as plain data.

The page and the PDF are drawn from the same `Letter`, so they never disagree. It holds
no personal data: the agency stores no names, and the letter shows only what the visitor
already holds (time, place, code). The staff note is never part of it.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import datetime

import qrcode
from babel.dates import format_date
from flask_babel import force_locale, gettext

from server.config import Site
from server.domain.appointment_codes import format_code
from server.i18n import is_rtl, text_direction
from server.models import Appointment
from server.services.appointment_pages import checkin_url

_WESTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)


@dataclass(frozen=True)
class LetterText:
    """The words of the letter in one language."""

    language: str
    rtl: bool
    title: str
    intro: str
    date_label: str
    date: str
    time_label: str
    time: str
    place_label: str
    place: tuple[str, ...]
    bring_label: str
    bring: str | None
    code_label: str
    arrive_label: str
    arrive: str
    window: str
    after: str
    cannot_come: str

    @property
    def dir(self) -> str:
        return text_direction(self.language)


@dataclass(frozen=True)
class Letter:
    """Everything on one invitation letter."""

    site_name: str
    code: str  # "ACDE-FH34", always shown as an isolated left-to-right run
    checkin_url: str  # what the QR code holds
    date: str  # "24.11.2026", digits only: readable whatever the language
    time: str  # "09:30", the same in every language
    texts: tuple[LetterText, ...]  # the visitor's language first, then German if different


def western(text: str) -> str:
    """Western digits everywhere (a decision of the project): 24 not ٢٤."""
    return text.translate(_WESTERN_DIGITS)


def long_date(moment: datetime, language: str) -> str:
    """`Dienstag, 24. November 2026` / `سێشەممە، 24ی تشرینی دووەمی 2026`."""
    weekday = format_date(moment.date(), "EEEE", locale=language)
    day = format_date(moment.date(), "long", locale=language)
    comma = "، " if is_rtl(language) else ", "
    return western(f"{weekday}{comma}{day}")


def build(site: Site, appointment: Appointment, language: str | None = None) -> Letter:
    """The letter in `language` (default: the visitor's) and, if that is not German, German."""
    start = site.local(appointment.start)
    first = language or appointment.language
    languages = [first] + (["de"] if first != "de" else [])
    return Letter(
        site_name=site.name,
        code=format_code(appointment.code),
        checkin_url=checkin_url(site, appointment),
        date=start.strftime("%d.%m.%Y"),
        time=start.strftime("%H:%M"),
        texts=tuple(_text(site, appointment, language) for language in languages),
    )


def _text(site: Site, appointment: Appointment, language: str) -> LetterText:
    start = site.local(appointment.start)
    window = site.checkin_window()
    opens, closes = (
        site.local(moment).strftime("%H:%M")
        for moment in (window.opens(appointment.start), window.closes(appointment.start))
    )
    queue = site.queue(appointment.queue_id)
    place = [site.name]
    if site.address is not None:
        place.append(site.address.get(language))
    if queue is not None and queue.zone in site.zones:
        place.append(site.zones[queue.zone].get(language))
    bring = queue.bring.get(language) if queue is not None and queue.bring else None
    with force_locale(language):
        return LetterText(
            language=language,
            rtl=is_rtl(language),
            title=gettext("Invitation to your appointment"),
            intro=gettext("You have an appointment with us. Please come on time."),
            date_label=gettext("Date"),
            date=long_date(start, language),
            time_label=gettext("Time"),
            time=start.strftime("%H:%M"),
            place_label=gettext("Place"),
            place=tuple(place),
            bring_label=gettext("Please bring"),
            bring=bring,
            code_label=gettext("Your code"),
            arrive_label=gettext("When you arrive"),
            arrive=gettext(
                "Scan the QR code on this letter at the kiosk at the entrance. "
                "You can also type in the code."
            ),
            window=gettext(
                "Check-in is possible from %(opens)s to %(closes)s.", opens=opens, closes=closes
            ),
            after=gettext(
                "You then get a ticket with your number. Please wait until your number "
                "is shown on the screen."
            ),
            cannot_come=gettext("If you cannot come, please tell us early."),
        )


def qr_png(data: str, *, box_size: int = 10) -> bytes:
    """A QR code of `data` as a PNG (black on white, four-module quiet zone)."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=4
    )
    code.add_data(data)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def qr_data_uri(data: str) -> str:
    """The QR code inline in the page, so the printed letter needs no second request."""
    return "data:image/png;base64," + base64.b64encode(qr_png(data)).decode("ascii")
