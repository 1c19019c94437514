"""Split one line of text into runs of one direction and one font, in visual order.

Pillow draws a string with a single font and has no font fallback, while the Arabic-script
fonts hold no Latin letters or digits. So a line such as "مدة الانتظار: 15 دقيقة" is cut into
runs (Arabic words, the digits, ...) that are each shaped by raqm in their own font and
direction, and the runs are placed left to right in the order the Unicode bidi algorithm gives.

The levels come from a small version of the Unicode bidi algorithm (UAX #9, rules W1-W7,
N1-N2, I1-I2, L1-L2) without explicit embeddings, isolates or bracket pairs: ticket texts are
our own translations and never carry those. Tests hold it to python-bidi's full implementation.
"""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

# Blocks of the Arabic script (Arabic, Supplement, Extended-B/A, Presentation Forms-A/B).
_ARABIC_BLOCKS = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x0870, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)
_STRONG = {"L": "L", "R": "R", "EN": "R", "AN": "R"}  # numbers count as R for neutrals (N1)


@dataclass(frozen=True)
class Run:
    """A piece of a line drawn with one font in one direction."""

    text: str
    rtl: bool  # shape right to left (odd bidi level)
    arabic: bool  # draw with the Arabic-script font, else with the Latin one


def is_arabic(char: str) -> bool:
    """Tell whether char belongs to one of the Arabic-script blocks."""
    code = ord(char)
    return any(low <= code <= high for low, high in _ARABIC_BLOCKS)


def bidi_levels(text: str, rtl: bool) -> list[int]:
    """Return the resolved bidi embedding level of each character of one line."""
    base = 1 if rtl else 0
    # X9: boundary neutrals such as ZWNJ take no part; they get the level of the character
    # before them.
    kept = [char for char in text if unicodedata.bidirectional(char) != "BN"]
    resolved = iter(_resolve_types(kept, rtl))
    levels: list[int] = []
    for char in text:
        if unicodedata.bidirectional(char) == "BN":
            levels.append(levels[-1] if levels else base)
        else:
            levels.append(_implicit_level(base, next(resolved)))  # I1, I2
    trailing = len(text)
    while trailing > 0 and unicodedata.bidirectional(text[trailing - 1]) in ("WS", "BN"):
        trailing -= 1  # L1: trailing spaces go back to the paragraph level
    levels[trailing:] = [base] * (len(text) - trailing)
    return levels


def _resolve_types(chars: list[str], rtl: bool) -> list[str]:
    """Resolve bidi types to L, R, EN or AN by rules W1-W7 and N1-N2."""
    sos = "R" if rtl else "L"
    types = [unicodedata.bidirectional(char) or "L" for char in chars]
    previous = sos
    for i, kind in enumerate(types):  # W1: a combining mark takes the type before it
        if kind == "NSM":
            types[i] = previous
        previous = types[i]
    last_strong = sos
    for i, kind in enumerate(types):  # W2: digits after Arabic letters are Arabic numbers
        if kind in ("L", "R", "AL"):
            last_strong = kind
        elif kind == "EN" and last_strong == "AL":
            types[i] = "AN"
    types = ["R" if kind == "AL" else kind for kind in types]  # W3
    for i in range(1, len(types) - 1):  # W4: one separator inside a number joins it
        before, kind, after = types[i - 1], types[i], types[i + 1]
        if before == after and (
            (kind == "ES" and before == "EN") or (kind == "CS" and before in ("EN", "AN"))
        ):
            types[i] = before
    for start, end in _spans(types, lambda kind: kind == "ET"):  # W5: "15%" is one number
        if (start > 0 and types[start - 1] == "EN") or (end < len(types) and types[end] == "EN"):
            types[start:end] = ["EN"] * (end - start)
    types = ["ON" if kind in ("ES", "ET", "CS") else kind for kind in types]  # W6
    last_strong = sos
    for i, kind in enumerate(types):  # W7: digits after Latin letters are Latin
        if kind in ("L", "R"):
            last_strong = kind
        elif kind == "EN" and last_strong == "L":
            types[i] = "L"
    for start, end in _spans(types, lambda kind: kind not in _STRONG):  # N1, N2
        before = _STRONG[types[start - 1]] if start > 0 else sos
        after = _STRONG[types[end]] if end < len(types) else sos
        types[start:end] = [before if before == after else sos] * (end - start)
    return types


def visual_order(items: list[T], levels: list[int]) -> list[T]:
    """Reorder items (characters or runs) from logical to visual order by rule L2."""
    pairs = list(zip(items, levels, strict=True))
    # From the highest level down to the lowest odd one (1 when the line has none, as L2 says).
    lowest_odd = min((level for level in levels if level % 2), default=1)
    for level in range(max(levels, default=0), lowest_odd - 1, -1):

        def reaches(pair: tuple[T, int], level: int = level) -> bool:
            return pair[1] >= level

        for start, end in _spans(pairs, reaches):
            pairs[start:end] = pairs[start:end][::-1]
    return [item for item, _level in pairs]


def split_runs(text: str, rtl: bool) -> list[Run]:
    """Split one line into runs of one level and one font, returned in visual order."""
    if not text:
        return []
    levels = bidi_levels(text, rtl)
    fonts = _font_roles(text, levels)
    runs: list[Run] = []
    run_levels: list[int] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or (levels[i], fonts[i]) != (levels[start], fonts[start]):
            runs.append(Run(text[start:i], rtl=levels[start] % 2 == 1, arabic=fonts[start]))
            run_levels.append(levels[start])
            start = i
    return visual_order(runs, run_levels)


def _font_roles(text: str, levels: list[int]) -> list[bool]:
    """Tell for each character whether it is drawn with the Arabic font.

    Spaces, combining marks and format characters (ZWNJ) follow their neighbour on the same
    level, so an Arabic phrase stays one run that raqm shapes as a whole. Digits and Latin
    punctuation use the Latin font: the Arabic fonts lack most of them, and Western digits
    look the same on the ticket as on the waiting-room screen.
    """
    roles: list[bool | None] = [
        None if _follows_neighbour(char) else is_arabic(char) for char in text
    ]
    resolved: list[bool] = []
    for i, role in enumerate(roles):
        if role is None:
            role = _neighbour_role(roles, levels, i)
        resolved.append(role)
    return resolved


def _follows_neighbour(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Mn", "Me", "Cf")


def _neighbour_role(roles: list[bool | None], levels: list[int], i: int) -> bool:
    for step in (-1, 1):  # prefer the character before, then the one after
        j = i + step
        while 0 <= j < len(roles) and levels[j] == levels[i]:
            if roles[j] is not None:
                return bool(roles[j])
            j += step
    return False


def _implicit_level(base: int, kind: str) -> int:
    if base % 2 == 0:
        return base + {"L": 0, "R": 1}.get(kind, 2)
    return base + (0 if kind == "R" else 1)


def _spans(items: list[T], keep: Callable[[T], bool]) -> list[tuple[int, int]]:
    """Return (start, end) of each maximal stretch of items for which keep(item) holds."""
    spans = []
    start = None
    for i, item in enumerate(items):
        if keep(item):
            if start is None:
                start = i
        elif start is not None:
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(items)))
    return spans
