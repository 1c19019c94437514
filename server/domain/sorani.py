"""Sorani Kurdish in Arabic script → the Latin Kurdish (Hawar) alphabet, for speech.

espeak-ng has no Sorani voice but a Kurdish (Kurmanji) one that reads the Hawar alphabet.
Sorani's Arabic-script alphabet writes every vowel except the short i (bizroke), so a
letter-by-letter mapping gives words espeak-ng's `ku` voice can say. The unwritten i is
put back only between two consonants opening a word (ژمارە → "jimare"); inside a word it
stays missing (خوێندن → "xwêndn" for "xwêndin"), and the voice keeps a Kurmanji accent.
Digits are read one by one with Sorani digit words, so `B-042` becomes "B, sifir, çwar, dû".
"""

from __future__ import annotations

import re

# One letter each. و and ی are consonants (w, y) or vowels (u, î) by position: see _vowel_or_glide.
LETTERS = {
    "ا": "a",
    "ب": "b",
    "پ": "p",
    "ت": "t",
    "ج": "c",
    "چ": "ç",
    "ح": "h",
    "خ": "x",
    "د": "d",
    "ر": "r",
    "ڕ": "r",
    "ز": "z",
    "ژ": "j",
    "س": "s",
    "ش": "ş",
    "ع": "",
    "غ": "x",
    "ف": "f",
    "ڤ": "v",
    "ق": "q",
    "ک": "k",
    "ك": "k",
    "گ": "g",
    "ل": "l",
    "ڵ": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "ھ": "h",
    "ە": "e",
    "ۆ": "o",
    "ێ": "ê",
    "ة": "e",
    "ء": "",
    "أ": "a",
    "إ": "i",
    "آ": "a",
}
PUNCTUATION = {"،": ",", "؛": ";", "؟": "?", "«": '"', "»": '"', "\u200c": "", "\u200f": ""}
# Letters that are always vowels: before or after them, و and ی are the glides w and y.
VOWEL_LETTERS = frozenset("اەێۆ")
HAWAR_VOWELS = "aeêiîouû"
HAMZA_SEAT = "ئ"
WAW = "و"
YEH = frozenset("یيى")
DIGIT_WORDS = ("sifir", "yek", "dû", "sê", "çwar", "pênc", "şeş", "hewt", "heşt", "no")
ARABIC_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {
    chr(0x06F0 + i): str(i) for i in range(10)
}
DIGITS = re.compile(r"\d+")
ARABIC_LETTER = re.compile(r"[\u0600-\u06FF]")


def _vowel_or_glide(word: str, index: int) -> str:
    """و as w or u, ی as y or î: a glide at the start of a word or beside a vowel letter."""
    char = word[index]
    before = word[index - 1] if index > 0 else ""
    after = word[index + 1] if index + 1 < len(word) else ""
    glide, vowel = ("w", "u") if char == WAW else ("y", "î")
    if before == HAMZA_SEAT:  # ئو / ئی: the seat carries the vowel itself
        return vowel
    if not before or before in VOWEL_LETTERS or after in VOWEL_LETTERS:
        return glide
    return vowel


def _word(word: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(word):
        char = word[index]
        if char == WAW and word[index + 1 : index + 2] == WAW and index > 0:
            out.append("û")  # دوو → dû; a word-initial وو is w + u
            index += 2
            continue
        if char == HAMZA_SEAT:
            pass  # the seat of a word-initial vowel is not spoken
        elif char == WAW or char in YEH:
            out.append(_vowel_or_glide(word, index))
        else:
            out.append(LETTERS.get(char, char))
        index += 1
    return _initial_i("".join(out))


def _initial_i(word: str) -> str:
    """The unwritten i between two consonants opening a word: jmare → jimare, tkaye → tikaye."""
    if len(word) > 2 and word[0] not in HAWAR_VOWELS and word[1] not in HAWAR_VOWELS + "wy":
        return f"{word[0]}i{word[1:]}"
    return word


def spoken_digits(text: str) -> str:
    """Every run of digits read one digit at a time: "042" → "sifir, çwar, dû"."""
    return DIGITS.sub(lambda m: ", ".join(DIGIT_WORDS[int(d)] for d in m[0]), text)


def to_hawar(text: str) -> str:
    """Sorani text in Arabic script as Hawar Latin letters; Latin text and numbers pass."""
    text = "".join(ARABIC_DIGITS.get(c, PUNCTUATION.get(c, c)) for c in text)
    words = re.split(r"(\s+)", text)
    return spoken_digits("".join(_word(w) if ARABIC_LETTER.search(w) else w for w in words))


def untransliterated(text: str) -> set[str]:
    """Arabic-script letters that to_hawar leaves as they are (none for well-formed Sorani)."""
    return set(ARABIC_LETTER.findall(to_hawar(text)))
