"""Sorani in Arabic script → Latin Kurdish (Hawar) letters for the Kurdish voice: no database."""

from __future__ import annotations

import pytest

from server.domain.sorani import spoken_digits, to_hawar, untransliterated


@pytest.mark.parametrize(
    ("sorani", "hawar"),
    [
        ("کوردی", "kurdî"),  # و between consonants is u, a final ی after a consonant is î
        ("سۆرانی", "soranî"),
        ("چوار", "çwar"),  # و before a vowel letter is w
        ("حەوت", "hewt"),  # و after a vowel letter is w
        ("یەک", "yek"),  # a word-initial ی is y
        ("دوو", "dû"),  # وو is û
        ("ئێوە", "êwe"),  # the hamza seat of an initial vowel is silent
        ("ئیوە", "îwe"),  # ئی is the vowel î, not y
        ("هەڵبژێرە", "helbjêre"),  # ڵ, ژ, ێ
        ("بڕۆ", "biro"),  # ڕ; the unwritten i between two opening consonants is put back
        ("ژمارە", "jimare"),
    ],
)
def test_sorani_words_are_written_in_hawar_letters(sorani, hawar):
    assert to_hawar(sorani) == hawar


def test_numbers_are_read_digit_by_digit_in_sorani_also_in_arabic_indic_digits():
    assert spoken_digits("B-042") == "B-sifir, çwar, dû"
    assert to_hawar("ژووری ٣") == "jûrî sê"
    assert to_hawar("۱۰") == "yek, sifir"


def test_latin_text_and_punctuation_pass_and_arabic_punctuation_becomes_latin():
    assert to_hawar("تکایە، B") == "tikaye, B"
    assert to_hawar("باشە؟") == "başe?"


def test_every_sorani_string_of_the_kiosk_and_the_calls_is_fully_transliterated():
    from babel.messages.pofile import read_po

    from tests.conftest import ROOT

    for part in ("kiosk", "display", "."):
        path = ROOT / part / "translations" / "ckb" / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            for text in message.string if isinstance(message.string, tuple) else [message.string]:
                assert not untransliterated(text or ""), (part, message.id, text)
