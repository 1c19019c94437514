"""Draw a ticket as a black-and-white image exactly as wide as the printer's line of dots.

From top to bottom: site name, the number (as large as the paper allows), then for each
language its heading, concern and lines, a QR code of the visitor's status page, and the time
of issue. Right-to-left languages are right-aligned and shaped by raqm (see shaping.py).

Digits: every digit is drawn as a Western digit (0-9) in the Latin font, also inside Arabic and
Sorani text; Arabic-Indic digits in a translation are converted. The waiting-room screen and
the spoken call use Western digits, and the visitor must match the ticket to the screen at a
glance. The number itself is drawn on its own, as one left-to-right run, so bidi reordering can
never turn "A-005" into "005-A".
"""

import threading
from dataclasses import dataclass

import qrcode
from PIL import Image, ImageDraw, ImageFont

from .fonts import FontSet, find_fonts
from .shaping import Shaper, default_shaper, load_font, runs_width
from .text_runs import Run, is_arabic, split_runs
from .ticket import TicketView
from .wrap import wrap_words

PAPER_58MM_PX = 384  # dots per line of a 58 mm printer at 203 dpi
PAPER_80MM_PX = 576  # dots per line of an 80 mm printer at 203 dpi
MIN_WIDTH_PX = 256

_WESTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
# Anti-aliased grey darker than this prints black. A little above the middle, because thermal
# dots are small and thin strokes would otherwise break up.
_INK_THRESHOLD = 160
_QR_SHARE = 0.55  # of the paper width; big enough for an old phone at arm's length
# Noto Sans Arabic looks a size smaller than Noto Sans at the same pixel size.
_ARABIC_SCALE = 1.12
_MIN_QR_MODULE_PX = 3  # 0.375 mm at 203 dpi; smaller modules do not scan reliably off thermal paper
# FreeType faces are not safe to use from two threads at once, and the cached fonts are shared
# between kiosk requests, so only one ticket is drawn at a time (it takes a few milliseconds).
_render_lock = threading.Lock()


@dataclass(frozen=True)
class _Style:
    size: int  # pixels at 576 dots; scaled for other widths
    bold: bool = False


_SITE = _Style(30, bold=True)
_NUMBER_MAX = 210
_HEADING = _Style(36, bold=True)
_CONCERN = _Style(32, bold=True)
_LINE = _Style(27)
_ISSUED = _Style(24)


def render_ticket(
    view: TicketView,
    width_px: int = PAPER_80MM_PX,
    *,
    fonts: FontSet | None = None,
    shaper: Shaper | None = None,
) -> Image.Image:
    """Draw view as a mode "1" image width_px dots wide (384 for 58 mm, 576 for 80 mm paper).

    fonts defaults to find_fonts(); shaper defaults to raqm, or a fallback when Pillow lacks it.
    Raises PrinterConfigError when a font is missing.
    """
    if width_px < MIN_WIDTH_PX:
        raise ValueError(f"width_px must be at least {MIN_WIDTH_PX}, got {width_px}")
    painter = _Painter(width_px, fonts or find_fonts(), shaper or default_shaper())
    with _render_lock:
        blocks = painter.blocks(view)
    return painter.stack(blocks)


class _Painter:
    """Draws the blocks of one ticket width."""

    def __init__(self, width: int, fonts: FontSet, shaper: Shaper) -> None:
        self.width = width
        self.fonts = fonts
        self.shaper = shaper
        # Text shrinks less than the paper: 58 mm tickets must stay readable without glasses.
        self.scale = max(width / PAPER_80MM_PX, 0.8)
        self.margin = round(20 * width / PAPER_80MM_PX)

    def blocks(self, view: TicketView) -> list[tuple[int, Image.Image]]:
        """Return (space above, image) for each block of the ticket, top to bottom."""
        site = self.paragraph(view.site_name, _SITE, "de", align="center")
        number = self.number(_western(view.number))
        blocks: list[tuple[int, Image.Image | None]] = [
            (self._px(16), site),
            (self._px(10), number),
        ]
        for text in view.texts:
            blocks.append((self._px(20), self.rule()))
            align = "right" if text.rtl else "left"
            paragraphs = [(text.heading, _HEADING), (text.concern, _CONCERN)]
            paragraphs += [(line, _LINE) for line in text.lines]
            space = self._px(12)
            for words, style in paragraphs:
                image = self.paragraph(words, style, text.language, align=align, rtl=text.rtl)
                blocks.append((space, image))
                space = self._px(2)
        if view.status_url:
            blocks.append((self._px(14), self.qr(view.status_url)))
        blocks.append((0, self.paragraph(view.issued_at, _ISSUED, "de", align="center")))
        return [(space, image) for space, image in blocks if image is not None]

    def stack(self, blocks: list[tuple[int, Image.Image]]) -> Image.Image:
        """Paste the blocks below each other, centred, on white; return a mode "1" image."""
        bottom = self._px(24)
        height = sum(space + image.height for space, image in blocks) + bottom
        ticket = Image.new("L", (self.width, height), 255)
        y = 0
        for space, image in blocks:
            y += space
            ticket.paste(image, ((self.width - image.width) // 2, y))
            y += image.height
        table = [0 if level < _INK_THRESHOLD else 255 for level in range(256)]
        return ticket.point(table, "1")

    def paragraph(
        self, text: str, style: _Style, language: str, align: str, rtl: bool = False
    ) -> Image.Image | None:
        """Draw text wrapped to the paper width; None when there is nothing to draw."""
        text = " ".join(_western(text).split())
        if not text:
            return None
        lines = [split_runs(line, rtl) for line in self._wrap(text, style, language, rtl)]
        arabic = rtl or any(is_arabic(char) for char in text)
        fonts = [self._font(style, False)] + ([self._font(style, True)] if arabic else [])
        ascent = max(font.getmetrics()[0] for font in fonts)
        descent = max(font.getmetrics()[1] for font in fonts)
        # Arabic needs more room between lines for its dots and marks above and below.
        pitch = round(self._size(style) * (1.7 if arabic else 1.35))
        baseline = round(pitch * ascent / (ascent + descent))
        # Lines sit in boxes of one pitch each, so that the space between lines does not
        # depend on which letters they hold; the padding catches marks that reach beyond.
        pad = pitch
        canvas = Image.new("L", (self.width, pad + pitch * len(lines) + pad), 255)
        draw = ImageDraw.Draw(canvas)
        for index, runs in enumerate(lines):
            line_width = self._runs_width(runs, style, language)
            x = {
                "left": self.margin,
                "right": self.width - self.margin - line_width,
                "center": (self.width - line_width) / 2,
            }[align]
            y = pad + index * pitch + baseline
            for run in runs:
                font = self._font(style, run.arabic)
                drawn, options = self.shaper.prepare(run, language)
                draw.text((x, y), drawn, font=font, fill=0, anchor="ls", **options)
                x += font.getlength(drawn, **options)
        ink = _ink_box(canvas) or (0, pad, 0, pad)
        return canvas.crop((0, min(ink[1], pad), self.width, max(ink[3], pad + pitch * len(lines))))

    def number(self, number: str) -> Image.Image:
        """Draw the ticket number as one isolated left-to-right run, as large as fits."""
        if not number.strip():
            raise ValueError("the ticket number is empty")
        run = Run(number, rtl=False, arabic=False)
        drawn, options = self.shaper.prepare(run, "en")
        available = self.width - 2 * self.margin
        size = self._px(_NUMBER_MAX)
        font = self._number_font(size)
        while size > 16 and font.getlength(drawn, **options) > available:
            size = int(size * 0.95)
            font = self._number_font(size)
        ascent, descent = font.getmetrics()
        canvas = Image.new("L", (self.width, ascent + descent), 255)
        draw = ImageDraw.Draw(canvas)
        draw.text((self.width / 2, ascent), drawn, font=font, fill=0, anchor="ms", **options)
        return _trim(canvas)

    def qr(self, url: str) -> Image.Image:
        """Draw a QR code of url with its four-module quiet zone, in whole dots per module."""
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
        code.add_data(url)
        code.make(fit=True)
        matrix = code.get_matrix()  # includes the quiet zone
        modules = len(matrix)
        module_px = max(_MIN_QR_MODULE_PX, round(self.width * _QR_SHARE) // modules)
        module_px = min(module_px, self.width // modules)
        if module_px < _MIN_QR_MODULE_PX:
            raise ValueError(
                f"status URL of {len(url)} characters is too long for a scannable QR code "
                f"{self.width} dots wide"
            )
        small = Image.new("L", (modules, modules), 255)
        small.putdata([0 if dark else 255 for row in matrix for dark in row])
        return small.resize((modules * module_px,) * 2, Image.Resampling.NEAREST)

    def rule(self) -> Image.Image:
        """Draw a thin line between the texts of two languages."""
        canvas = Image.new("L", (self.width, max(2, self._px(2))), 0)
        white = Image.new("L", (self.margin, canvas.height), 255)
        canvas.paste(white, (0, 0))
        canvas.paste(white, (self.width - self.margin, 0))
        return canvas

    def _wrap(self, text: str, style: _Style, language: str, rtl: bool) -> list[str]:
        """Break text into lines that fit between the margins, at spaces where possible."""
        available = self.width - 2 * self.margin

        def fits(line: str) -> bool:
            return self._runs_width(split_runs(line, rtl), style, language) <= available

        return wrap_words(text, fits)

    def _runs_width(self, runs: list[Run], style: _Style, language: str) -> float:
        return runs_width(self.shaper, runs, language, lambda arabic: self._font(style, arabic))

    def _font(self, style: _Style, arabic: bool) -> ImageFont.FreeTypeFont:
        if arabic:
            path = self.fonts.arabic_bold if style.bold else self.fonts.arabic
            size = round(self._size(style) * _ARABIC_SCALE)
        else:
            path = self.fonts.latin_bold if style.bold else self.fonts.latin
            size = self._size(style)
        return load_font(str(path), size, self.shaper.layout_engine)

    def _number_font(self, size: int) -> ImageFont.FreeTypeFont:
        return load_font(str(self.fonts.latin_bold), size, self.shaper.layout_engine)

    def _size(self, style: _Style) -> int:
        return round(style.size * self.scale)

    def _px(self, length: int) -> int:
        return round(length * self.width / PAPER_80MM_PX)


def _western(text: str) -> str:
    """Replace Arabic-Indic and Persian digits by Western ones (see the module docstring)."""
    return text.translate(_WESTERN_DIGITS)


def _ink_box(canvas: Image.Image) -> tuple[int, int, int, int] | None:
    """Return the bounding box of everything not white, or None for a blank canvas."""
    return canvas.point(lambda level: 255 - level).getbbox()


def _trim(canvas: Image.Image) -> Image.Image:
    """Cut the blank rows above and below the ink, so gaps between blocks are exact."""
    box = _ink_box(canvas)
    if box is None:
        raise ValueError("nothing to draw")
    return canvas.crop((0, box[1], canvas.width, box[3]))
