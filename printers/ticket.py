"""Plain data a ticket is drawn from; the caller fills it, this package only reads it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class TicketText:
    """The words of a ticket in one language."""

    language: str  # de, en, ar, ku (Kurmanji, Latin script), ckb (Sorani, Arabic script)
    rtl: bool
    heading: str  # e.g. "Ihre Nummer" / "رقمك"
    concern: str  # the concern's label in this language
    lines: tuple[str, ...]  # what happens next, people ahead, estimated wait, scan for status


@dataclass(frozen=True)
class TicketView:
    """Everything printed on one ticket; holds no personal data by design."""

    number: str  # "B-042", always drawn as an isolated left-to-right run, very large
    site_name: str
    issued_at: str  # already formatted, e.g. "23.11.2026 09:14"
    status_url: str  # encoded in the QR code; no QR code is drawn when empty
    texts: tuple[TicketText, ...]  # the visitor's language first, then German if different
