"""Language codes of visitors and staff: which codes are valid, how they are named.

A code is valid when Babel's copy of the Unicode CLDR knows it as a language: any
ISO 639-1 code CLDR has data for (`de`, `ar`, `fa`, …) and the ISO 639-3 codes it has
data for (`ckb`, …) or an alias of (`deu` → `de`, `kmr` → `ku`). Aliases are stored by
the code CLDR names them with, so one language has one spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from babel import Locale, UnknownLocaleError

from server.domain.errors import Conflict, InvalidInput

_SHAPE = re.compile(r"^[a-z]{2,3}$")


def canonical(code: str) -> str:
    """The one spelling of a language code; InvalidInput for anything CLDR does not know."""
    code = code.strip().lower() if isinstance(code, str) else ""
    if not _SHAPE.match(code):
        raise InvalidInput(f"{code!r} is not a language code (ISO 639, e.g. de, ar, ckb)")
    try:
        return str(Locale.parse(code).language)
    except (UnknownLocaleError, ValueError):
        raise InvalidInput(f"unknown language code {code!r}") from None


def parse_list(value: str | Iterable[str] | None) -> list[str]:
    """A clerk's languages from `de,ar` or a list: canonical, in order, each once."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    result: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise InvalidInput("languages must be language codes")
        if not item.strip():
            continue
        code = canonical(item)
        if code not in result:
            result.append(code)
    return result


# The width of users.languages.
MAX_STORED = 60


def joined(codes: Iterable[str]) -> str:
    """How a list of languages is stored: comma-separated, each once, "" when empty."""
    text = ",".join(dict.fromkeys(codes))
    if len(text) > MAX_STORED:
        raise InvalidInput(f"too many languages: at most {MAX_STORED} characters as de,ar,…")
    return text


def display_names(code: str, reader: str = "de") -> dict[str, str]:
    """The language's name for a reader (German by default) and in the language itself."""
    try:
        locale = Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return {"code": code, "name": code, "native": code}
    return {
        "code": code,
        "name": locale.get_display_name(reader) or code,
        "native": locale.get_display_name(code) or code,
    }


def check_need_settable(status: str, terminal: Iterable[str]) -> None:
    """An interpreter need is marked while the visit goes on, never on a finished ticket."""
    if status in set(terminal):
        raise Conflict(f"the ticket is {status}: an interpreter need no longer helps")


def speakers_by_queue(
    open_clerks: Iterable[tuple[Iterable[str], Iterable[str]]],
) -> dict[str, set[str]]:
    """Per queue, the languages spoken at the open counters serving it.

    `open_clerks`: for each open counter, (the queues it serves, its clerk's languages).
    """
    result: dict[str, set[str]] = {}
    for queues, spoken in open_clerks:
        spoken = set(spoken)
        for queue in queues:
            result.setdefault(queue, set()).update(spoken)
    return result


def need_unmet(queue: str, needs: str, speakers: dict[str, set[str]]) -> bool:
    """Invariant 6: nobody open at a counter serving the queue speaks the needed language."""
    return needs not in speakers.get(queue, set())
