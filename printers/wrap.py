"""Breaking a paragraph into lines: at spaces, and inside a word only when it must."""

from __future__ import annotations

from collections.abc import Callable


def wrap_words(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Greedy line breaking: each line holds as many words as `fits` allows.

    A word wider than a whole line is cut where it must be (binary search on `fits`),
    so nothing is ever drawn beyond the margin.
    """
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        if current:
            lines.append(current)
        while len(word) > 1 and not fits(word):
            low, high = 1, len(word) - 1
            while low < high:
                middle = (low + high + 1) // 2
                low, high = (middle, high) if fits(word[:middle]) else (low, middle - 1)
            lines.append(word[:low])
            word = word[low:]
        current = word
    lines.append(current)
    return lines
