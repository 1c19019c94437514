"""Which known cause a printer failure's technical message names, so staff read plain words.

The printers package words its errors for the log ("printer tcp://10.0.0.5:9100 reports
that it has no paper", "cannot connect to printer …: [Errno 111] Connection refused");
staff need "no paper", "cover open" or "printer offline" in their own language.
"""

from __future__ import annotations

from enum import StrEnum


class PrinterCause(StrEnum):
    NO_PAPER = "no_paper"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"


# First match wins: a printer that is out of paper may also refuse the next job.
SIGNS: tuple[tuple[PrinterCause, tuple[str, ...]], ...] = (
    (PrinterCause.NO_PAPER, ("no paper", "paper out", "paper end", "out of paper")),
    (PrinterCause.COVER_OPEN, ("cover open", "cover is open", "cover opened")),
    (
        PrinterCause.OFFLINE,
        (
            "cannot connect",
            "connection refused",
            "refused the connection",
            "did not take",
            "timed out",
            "not found",
            "no route to host",
            "network is unreachable",
            "cannot open printer",
            "tickets are waiting to be printed",
        ),
    ),
)


def cause_of(message: str) -> PrinterCause | None:
    """The known cause named in `message`, or None when the message names none of them."""
    text = message.lower()
    for cause, signs in SIGNS:
        if any(sign in text for sign in signs):
            return cause
    return None
