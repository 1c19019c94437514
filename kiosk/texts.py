"""What the kiosk says, in every language of the site, packed for the page's script.

The kiosk page is loaded once and then switches language without a page load: a visitor
must never see a browser error page when the network drops between two touches. So each
language's words are rendered here, on the server, from the kiosk's own gettext catalogs
(read directly: the app-wide merged catalog lets a later part's entry shadow the kiosk's).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from babel import Locale
from babel.support import NullTranslations, Translations

from server.config import Site
from server.i18n import LANGUAGE_NAMES, text_direction

CATALOGS = Path(__file__).resolve().parent / "translations"


@functools.cache
def catalog(language: str) -> NullTranslations:
    """The kiosk's compiled catalog for one language."""
    return Translations.load(str(CATALOGS), [language])


def words(language: str) -> dict[str, str]:
    """The kiosk's single messages in one language."""
    _ = catalog(language).gettext
    return {
        "continue_in": _("Continue in English"),
        "choose_language": _("Please choose your language."),
        "concern_title": _("What is your concern?"),
        "concern_help": _("Touch what fits best. If you are not sure, reception will help you."),
        "change_language": _("Other language"),
        # The speaker button that reads the step aloud (a screen reader says it).
        "listen": _("Listen"),
        "busy": _("One moment, please …"),
        "your_number": _("Your number"),
        "next_steps": _(
            "Please wait in the waiting area. When your number appears on the screen, "
            "go to the room or counter shown next to it."
        ),
        "nobody_ahead": _("You are next."),
        "wait_short": _("Estimated wait: a few minutes."),
        "scan_status": _("Scan the code with your phone to see your place in the queue."),
        "printing": _("Your ticket is being printed …"),
        "printed": _("Please take your ticket from the printer."),
        "print_failed": _(
            "The printer is not working right now. Please take a photo of your number "
            "and the code, or write your number down."
        ),
        "no_printer": _(
            "Please take a photo of your number and the code, or write your number down."
        ),
        "print_unknown": _(
            "If no ticket came out, please take a photo of your number and the code, "
            "or write your number down."
        ),
        "done": _("Done"),
        "checked_in": _(
            "You are checked in. Please wait in the waiting area until your "
            "number appears on the screen."
        ),
        "checkin_title": _("Check in with your invitation letter"),
        "checkin_help": _(
            "Hold the QR code on your letter in front of the scanner, or type the code "
            "from the letter."
        ),
        "code_label": _("Code from the letter"),
        "delete": _("Delete"),
        "checkin_submit": _("Check in"),
        "back": _("Back"),
        "code_incomplete": _("The code has 8 letters and numbers. Please check it."),
        "code_unknown": _(
            "We could not find this code. Please check it and try again, or ask at reception."
        ),
        "already_checked_in": _(
            "You are already checked in. Please wait until your number appears on the screen."
        ),
        "too_early_at": _("You are too early. Please come back at %(time)s."),
        "too_early": _("You are too early for your appointment. Please come back later."),
        "appointment_cancelled": _("This appointment was cancelled. Please ask at reception."),
        "too_late": _("The check-in time for this appointment is over. Please go to reception."),
        "expired": _("This invitation has expired. Please ask at reception."),
        "unreachable": _("We cannot reach the system right now. Please ask at reception."),
        "queue_closed": _(
            "This service takes no more visitors today. Please ask at reception, or come "
            "back on another working day."
        ),
        "capacity_exhausted": _(
            "All numbers for this service are given out for today. Please come back on "
            "another working day, or ask at reception."
        ),
        "failed": _("Something went wrong. Please try again, or ask at reception."),
        "ok": _("OK"),
        # Printed as the concern line of a ticket from a check-in (server/printing.py).
        "appointment": _("Appointment"),
    }


def _plural_forms(language: str) -> dict[str, dict[str, str]]:
    """Plural messages, one form per CLDR category of `language`, "%(num)d" left in.

    The page picks the form with Intl.PluralRules; each category gets the catalog's form for
    a sample number of that category.
    """
    rule = Locale.parse(language).plural_form
    samples: dict[str, int] = {}
    for number in range(0, 1000):
        samples.setdefault(rule(number), number)
    t = catalog(language)
    return {
        "ahead": {
            category: t.ngettext(
                "%(num)d person is ahead of you.", "%(num)d people are ahead of you.", number
            )
            for category, number in samples.items()
        },
        "wait": {
            category: t.ngettext(
                "Estimated wait: about %(num)d minute.",
                "Estimated wait: about %(num)d minutes.",
                number,
            )
            for category, number in samples.items()
        },
    }


def language_pack(site: Site, language: str) -> dict[str, Any]:
    """Everything the page shows in one language: words, plural forms, concern labels."""
    return {
        "lang": language,
        "dir": text_direction(language),
        "name": LANGUAGE_NAMES[language],
        "words": words(language),
        "plurals": _plural_forms(language),
        "concerns": {c.id: c.label.get(language) for c in site.concerns},
    }


def language_packs(site: Site, languages: Sequence[str]) -> dict[str, dict[str, Any]]:
    return {language: language_pack(site, language) for language in languages}
