"""Splitting lines into runs of one direction and one font, in the order they are drawn."""

from bidi import get_display
from hypothesis import given
from hypothesis import strategies as st

from printers.text_runs import Run, bidi_levels, split_runs, visual_order

# Arabic and Sorani letters, Latin letters, Western and Arabic-Indic digits, and the
# punctuation ticket texts use, and a vowel mark; no brackets, which python-bidi mirrors.
ALPHABET = "بجەڕaBz019٣ :-.,%/،+\u064e"


def visual(runs: list[Run]) -> str:
    """Spell out runs the way they appear on paper, left to right."""
    return "".join(run.text[::-1] if run.rtl else run.text for run in runs)


@given(text=st.text(alphabet=ALPHABET, max_size=24), rtl=st.booleans())
def test_visual_order_matches_the_full_bidi_algorithm(text, rtl):
    levels = bidi_levels(text, rtl)

    ours = "".join(visual_order(list(text), levels))

    assert ours == get_display(text, base_dir="R" if rtl else "L")


@given(text=st.text(alphabet=ALPHABET, max_size=24), rtl=st.booleans())
def test_runs_hold_every_character_once_and_split_on_font_and_direction(text, rtl):
    runs = split_runs(text, rtl)

    assert sorted("".join(run.text for run in runs)) == sorted(text)
    assert all(run.text for run in runs)
    assert visual(runs) == get_display(text, base_dir="R" if rtl else "L")


def test_digits_inside_arabic_text_are_a_latin_font_left_to_right_run():
    runs = split_runs("مدة الانتظار المتوقعة: 15 دقيقة", rtl=True)

    assert Run("15", rtl=False, arabic=False) in runs
    assert runs[0] == Run(" دقيقة", rtl=True, arabic=True)  # leftmost on paper: the last word
    assert runs[-1] == Run("مدة الانتظار المتوقعة", rtl=True, arabic=True)


def test_ticket_number_inside_arabic_text_stays_one_run_in_reading_order():
    runs = split_runs("رقمك A-005 الآن", rtl=True)

    assert Run("A-005", rtl=False, arabic=False) in runs
    assert visual(runs).index("A-005") >= 0


def test_latin_text_is_a_single_run():
    text = "Geschätzte Wartezeit: 15 Minuten"

    assert split_runs(text, rtl=False) == [Run(text, rtl=False, arabic=False)]


def test_sorani_phrase_with_zwnj_and_spaces_stays_one_arabic_run():
    text = "کاتی چاوە\u200cڕوانی"

    assert split_runs(text, rtl=True) == [Run(text, rtl=True, arabic=True)]
