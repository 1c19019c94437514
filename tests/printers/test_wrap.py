"""Line breaking shared by the ticket layout and the invitation PDF."""

from __future__ import annotations

from printers.wrap import wrap_words


def _fits(limit: int):
    return lambda line: len(line) <= limit


def test_words_fill_each_line_as_far_as_they_fit():
    assert wrap_words("one two three four", _fits(9)) == ["one two", "three", "four"]
    assert wrap_words("one two three four", _fits(100)) == ["one two three four"]


def test_a_word_wider_than_a_line_is_cut_where_it_must_be():
    lines = wrap_words("ab Fiktionsbescheinigung", _fits(8))
    assert lines == ["ab", "Fiktions", "beschein", "igung"]


def test_nothing_is_lost_or_reordered():
    text = "Bitte warten Sie, bis Ihre Nummer auf dem Bildschirm erscheint."
    for limit in (5, 12, 30):
        lines = wrap_words(text, _fits(limit))
        assert all(len(line) <= limit for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
