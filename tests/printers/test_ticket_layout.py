"""The ticket image: paper width, QR code, Arabic and Sorani shaping, the number as one run."""

import dataclasses
import logging

import pytest
import zxingcpp
from PIL import Image, ImageChops, ImageDraw, ImageFont, features

from printers import PrinterConfigError, find_fonts, render_ticket, shaping
from printers import fonts as fonts_module
from printers.shaping import FallbackShaper, RaqmShaper
from printers.text_runs import Run
from tests.conftest import REQUIRE_SERVICES

# In CI (make test installs libfribidi0 for Pillow's raqm) missing raqm fails instead.
needs_raqm = pytest.mark.skipif(
    not features.check_feature("raqm") and not REQUIRE_SERVICES,
    reason="Pillow lacks raqm (apt-get install libfribidi0)",
)
LANGUAGES = ("de", "en", "ar", "ckb", "ku")


def ink_bands(image: Image.Image) -> list[tuple[int, int]]:
    """Return (top, bottom) of each stretch of rows holding ink, top to bottom."""
    grey = image.convert("L")
    rows = [grey.crop((0, y, grey.width, y + 1)).getextrema()[0] < 128 for y in range(grey.height)]
    bands, top = [], None
    for y, inked in enumerate([*rows, False]):
        if inked and top is None:
            top = y
        elif not inked and top is not None:
            bands.append((top, y))
            top = None
    return bands


def rows(image: Image.Image, band: tuple[int, int]) -> Image.Image:
    """Return the full-width stripe of image between the band's top and bottom rows."""
    return image.crop((0, band[0], image.width, band[1]))


def ink_crop(image: Image.Image) -> Image.Image:
    """Crop a mode "1"/"L" black-on-white image to its ink."""
    grey = image.convert("L")
    return grey.crop(ImageChops.invert(grey).getbbox())


def share_of_differing_pixels(a: Image.Image, b: Image.Image) -> float:
    """Compare two same-size images; return the share of pixels that differ."""
    diff = ImageChops.difference(a.convert("L"), b.convert("L")).point(lambda v: 255 if v else 0)
    return diff.histogram()[255] / (a.width * a.height)


@pytest.mark.parametrize("width", [384, 576])
@pytest.mark.parametrize("language", LANGUAGES)
def test_ticket_is_exactly_as_wide_as_the_paper(ticket_view, language, width):
    image = render_ticket(ticket_view(language), width)

    assert image.width == width
    assert image.mode in ("1", "L")
    assert image.height > width  # a ticket, not a banner
    assert image.convert("L").getpixel((0, 0)) == 255  # white paper, black ink


@pytest.mark.parametrize("width", [384, 576])
@pytest.mark.parametrize("language", ["de", "ar"])
def test_qr_code_decodes_to_the_status_url(ticket_view, status_url, language, width):
    image = render_ticket(ticket_view(language), width)

    results = zxingcpp.read_barcodes(image.convert("L"))

    assert [(r.format, r.text) for r in results] == [(zxingcpp.BarcodeFormat.QRCode, status_url)]


def test_ticket_without_status_url_has_no_qr_code(ticket_view):
    image = render_ticket(ticket_view("de", status_url=""))

    assert zxingcpp.read_barcodes(image.convert("L")) == []


@needs_raqm
@pytest.mark.parametrize(
    ("text", "language"), [("تصريح الإقامة", "ar"), ("رقمك", "ar"), ("ژمارەکەت", "ckb")]
)
def test_raqm_joins_arabic_script_into_narrower_text_than_the_basic_layout(text, language):
    path = str(find_fonts().arabic)
    joined = ImageFont.truetype(path, 40, layout_engine=ImageFont.Layout.RAQM)
    isolated = ImageFont.truetype(path, 40, layout_engine=ImageFont.Layout.BASIC)

    joined_width = joined.getlength(text, direction="rtl", language=language)

    assert joined_width < 0.95 * isolated.getlength(text)
    joined_mask = joined.getmask(text, direction="rtl", language=language)
    assert joined_mask.size != isolated.getmask(text).size


class UnshapedArabic(RaqmShaper):
    """Draws Arabic-script runs letter by letter, left to right: what a naive renderer does."""

    def prepare(self, run, language):
        if not run.arabic:
            return super().prepare(run, language)
        return run.text, {"direction": "ltr", "features": ["-init", "-medi", "-fina", "-rlig"]}


@needs_raqm
@pytest.mark.parametrize("language", ["ar", "ckb"])
def test_arabic_script_ticket_differs_from_a_naive_rendering(ticket_view, language):
    view = ticket_view(language)

    shaped = render_ticket(view)
    naive = render_ticket(view, shaper=UnshapedArabic())

    # The same site name and number on top, as Latin runs are drawn alike ...
    below_number = ink_bands(shaped)[1][1]
    box = (0, 0, shaped.width, below_number)
    assert shaped.crop(box).tobytes() == naive.crop(box).tobytes()
    # ... but different Arabic-script text below them.
    assert shaped.tobytes() != naive.tobytes()


def test_rtl_text_is_right_aligned_and_ltr_text_left_aligned(ticket_view):
    image = render_ticket(ticket_view("ar"), 576).convert("L")
    bands = ink_bands(image)
    # Bands: site name, number, rule, Arabic heading, ..., rule, German heading, ...
    rules = [i for i, (top, bottom) in enumerate(bands) if bottom - top <= 3]
    arabic_heading, german_heading = (bands[rule + 1] for rule in rules)

    left, _, right, _ = ImageChops.invert(rows(image, arabic_heading)).getbbox()
    assert right > 576 - 30 and left > 576 / 2
    left, _, right, _ = ImageChops.invert(rows(image, german_heading)).getbbox()
    assert left < 30 and right < 576 / 2 + 100


def test_number_is_one_isolated_left_to_right_run_also_in_arabic(ticket_view):
    arabic = render_ticket(ticket_view("ar", number="A-005"))
    german = render_ticket(ticket_view("de", number="A-005"))
    number = ink_crop(rows(arabic, ink_bands(arabic)[1]))
    assert ink_crop(rows(german, ink_bands(german)[1])).tobytes() == number.tobytes()

    # Draw "A-005" alone with Pillow in the Latin bold font, at the size whose ink is as wide.
    path = str(find_fonts().latin_bold)

    def alone(text: str, size: int) -> Image.Image:
        font = ImageFont.truetype(path, size)
        canvas = Image.new("L", (1200, 2 * size), 255)
        ImageDraw.Draw(canvas).text((10, size), text, font=font, fill=0, anchor="ls")
        return ink_crop(canvas.point(lambda v: 0 if v < 160 else 255))

    size = next(s for s in range(60, 400) if alone("A-005", s).width >= number.width)
    expected = alone("A-005", size)
    reversed_ = alone("005-A", size)
    assert expected.size == number.size
    assert share_of_differing_pixels(number, expected) < 0.02
    assert share_of_differing_pixels(number, reversed_.resize(number.size)) > 0.1


def test_eastern_arabic_digits_are_printed_as_western_digits(ticket_view, sample_texts):
    eastern = dataclasses.replace(sample_texts["ar"], lines=("يوجد ٣ أشخاص قبلك",))
    western = dataclasses.replace(sample_texts["ar"], lines=("يوجد 3 أشخاص قبلك",))

    assert (
        render_ticket(ticket_view(texts=(eastern,))).tobytes()
        == render_ticket(ticket_view(texts=(western,))).tobytes()
    )


def test_long_words_are_wrapped_within_the_paper(ticket_view, sample_texts):
    long_line = "Aufenthaltserlaubnisverlängerungsantragsformular " * 3
    text = dataclasses.replace(sample_texts["de"], concern=long_line, lines=(long_line,))

    image = render_ticket(ticket_view(texts=(text,)), 384).convert("L")

    assert image.width == 384
    left, _, right, _ = ImageChops.invert(image).getbbox()
    assert left >= 8 and right <= 384 - 8  # nothing runs into the paper's edge


def test_fallback_shaper_is_used_without_raqm_and_warns_once(
    ticket_view, status_url, monkeypatch, caplog
):
    monkeypatch.setattr(shaping, "has_raqm", lambda: False)
    monkeypatch.setattr(shaping, "_fallback_warned", type(shaping._fallback_warned)())
    caplog.set_level(logging.WARNING, logger="printers.shaping")

    first = render_ticket(ticket_view("ar"), 384)
    render_ticket(ticket_view("ckb"), 384)

    assert first.width == 384
    assert [r.message.count("raqm") > 0 for r in caplog.records] == [True]
    assert zxingcpp.read_barcodes(first.convert("L"))[0].text == status_url


def test_fallback_shaper_joins_arabic_but_not_sorani_letters_it_does_not_know():
    fallback = FallbackShaper()
    arabic, _ = fallback.prepare(Run("رقمك", rtl=True, arabic=True), "ar")

    assert all(0xFE70 <= ord(char) <= 0xFEFF for char in arabic)  # presentation forms
    for letter in "ەێڵڕ":  # stay bare letters: the limitation shaping.py documents
        assert letter in fallback.prepare(Run(f"ب{letter}ب", rtl=True, arabic=True), "ckb")[0]


def test_missing_fonts_raise_an_error_naming_the_debian_package(tmp_path, monkeypatch):
    monkeypatch.setattr(fonts_module, "SYSTEM_FONT_DIRS", (tmp_path / "none",))

    with pytest.raises(PrinterConfigError, match="fonts-noto-core"):
        find_fonts(tmp_path)


def test_font_folder_override_is_searched_first(tmp_path):
    system = find_fonts()
    (tmp_path / "NotoSans-Bold.ttf").symlink_to(system.latin_bold)

    assert find_fonts(tmp_path).latin_bold == tmp_path / "NotoSans-Bold.ttf"
    assert find_fonts(tmp_path).arabic == system.arabic


def test_too_narrow_paper_is_refused(ticket_view):
    with pytest.raises(ValueError, match="width_px"):
        render_ticket(ticket_view("de"), 100)
