"""What the waiting room hears for a call: one short sentence per language."""

from __future__ import annotations

from flask_babel import force_locale, gettext

from server.config import Counter
from server.domain.spoken import NUMBER, spoken_number

__all__ = ["NUMBER", "call_phrase", "spoken_number"]


def call_phrase(number: str, counter: Counter, language: str) -> str:
    """Say "Nummer B, 42, bitte zu Schalter 3." in `language`, with the counter's own label."""
    with force_locale(language):
        return gettext(
            "Number %(number)s, please go to %(counter)s.",
            number=spoken_number(number),
            counter=counter.label.get(language),
        )
