"""Draw an invitation letter on an A4 page and save it as a one-page PDF.

The page is an image (Pillow with the raqm layout engine, like the printed ticket), so
Arabic and Sorani are joined and laid out right to left exactly as on the ticket, with no
PDF font embedding to get wrong. Lines are cut into runs of one direction and one font by
`printers.text_runs` (the Arabic-script fonts hold no Latin letters or digits). The code is
drawn on its own as one left-to-right run, so bidi never reorders `ACDE-FH34`.

Layout: letterhead (German), the key facts nobody needs to read a language for (QR code,
code, date and time in digits), then two columns — the visitor's language on the side
where its readers start (right for Arabic script), German on the other.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from printers.fonts import FontSet, find_fonts
from printers.shaping import Shaper, default_shaper, runs_width
from printers.text_runs import Run, is_arabic, split_runs
from printers.wrap import wrap_words
from server.green import native_lock
from server.invitations.letter import Letter, LetterText, qr_png, western

DPI = 300
PAGE = (2480, 3508)  # A4 at 300 dpi
MARGIN = 200
GUTTER = 120
# Arabic-script letters look smaller than Latin ones at the same size.
ARABIC_SCALE = 1.15
INK_THRESHOLD = 160
# FreeType faces are not safe to use from two threads at once; a letter takes ~0.2 s.
_lock = native_lock()


def pt(points: float) -> int:
    return round(points * DPI / 72)


def mm(millimetres: float) -> int:
    return round(millimetres * DPI / 25.4)


QR_SIZE = mm(45)  # with its quiet zone; large enough for a kiosk scanner and old phones
# Long translations shrink the columns' text step by step until the letter fits one page.
SCALES = (1.0, 0.93, 0.86, 0.8, 0.74, 0.68, 0.62)


@dataclass(frozen=True)
class Style:
    size: int
    bold: bool = False


SITE = Style(pt(17), bold=True)
SMALL = Style(pt(10.5))
CODE = Style(pt(40), bold=True)
WHEN = Style(pt(20), bold=True)
TITLE = Style(pt(17), bold=True)
LABEL = Style(pt(10.5), bold=True)
BODY = Style(pt(12))


def render_pdf(content: Letter, *, fonts: FontSet | None = None) -> bytes:
    """The letter as the bytes of a one-page A4 PDF."""
    image = render_image(content, fonts=fonts)
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=DPI, title=f"Einladung {content.code}")
    return buffer.getvalue()


def render_image(content: Letter, *, fonts: FontSet | None = None) -> Image.Image:
    """The letter as a black-and-white A4 page at 300 dpi."""
    page = _Page(fonts or find_fonts(), default_shaper())
    with _lock:
        page.draw(content)
    table = [0 if level < INK_THRESHOLD else 255 for level in range(256)]
    return page.image.point(table, "1")


class _Page:
    def __init__(self, fonts: FontSet, shaper: Shaper) -> None:
        self.fonts = fonts
        self.shaper = shaper
        self.image = Image.new("L", PAGE, 255)
        self.canvas = ImageDraw.Draw(self.image)
        self.scale = 1.0
        self.drawing = True

    def draw(self, content: Letter) -> None:
        width = PAGE[0] - 2 * MARGIN
        german = next(t for t in content.texts if t.language == "de")
        y = MARGIN
        y = self.paragraph(content.site_name, SITE, "de", MARGIN, y, width)
        if len(german.place) > 1:
            y = self.paragraph(german.place[1], SMALL, "de", MARGIN, y + pt(4), width)
        y += pt(14)
        self.canvas.rectangle((MARGIN, y, PAGE[0] - MARGIN, y + 4), fill=0)
        y = self.key_facts(content, y + pt(22))
        self.canvas.rectangle((MARGIN, y, PAGE[0] - MARGIN, y + 2), fill=0)
        y += pt(22)
        if len(content.texts) == 1:
            self.fit([(content.texts[0], MARGIN, width)], y)
            return
        column = (width - GUTTER) // 2
        visitor = content.texts[0]
        left, right = (german, visitor) if visitor.rtl else (visitor, german)
        self.fit([(left, MARGIN, column), (right, MARGIN + column + GUTTER, column)], y)
        middle = MARGIN + column + GUTTER // 2
        self.canvas.line((middle, y, middle, PAGE[1] - MARGIN), fill=0, width=2)

    def fit(self, columns: list[tuple[LetterText, int, int]], y: int) -> None:
        """Draw the columns at the largest text scale at which all of them fit the page."""
        self.drawing = False
        for scale in SCALES:
            self.scale = scale
            if all(
                self.column(text, x, y, width) <= PAGE[1] - MARGIN for text, x, width in columns
            ):
                break
        self.drawing = True
        for text, x, width in columns:
            self.column(text, x, y, width)
        self.scale = 1.0

    def key_facts(self, content: Letter, y: int) -> int:
        """QR code on the left; code, date and time in digits next to it. Returns the bottom."""
        qr = Image.open(io.BytesIO(qr_png(content.checkin_url, box_size=1))).convert("L")
        module = QR_SIZE // qr.width  # whole pixels per module keep the code sharp
        qr = qr.resize((qr.width * module, qr.height * module), Image.Resampling.NEAREST)
        self.image.paste(qr, (MARGIN - 4 * module, y))  # the quiet zone may reach the margin
        x = MARGIN + qr.width - 4 * module + pt(28)
        width = PAGE[0] - MARGIN - x
        top = y + 4 * module
        line = self.paragraph(content.code, CODE, "en", x, top, width, isolated=True)
        line = self.paragraph(
            f"{content.date}   {content.time}", WHEN, "de", x, line + pt(16), width, isolated=True
        )
        return max(y + qr.height, line + pt(12))

    def column(self, text: LetterText, x: int, y: int, width: int) -> int:
        lang, rtl = text.language, text.rtl

        def block(label: str, lines: list[str], style: Style = BODY) -> None:
            nonlocal y
            y = self.paragraph(label, LABEL, lang, x, y + pt(12), width, rtl=rtl)
            for words in lines:
                y = self.paragraph(words, style, lang, x, y + pt(3), width, rtl=rtl)

        y = self.paragraph(text.title, TITLE, lang, x, y, width, rtl=rtl)
        y = self.paragraph(text.intro, BODY, lang, x, y + pt(8), width, rtl=rtl)
        block(text.date_label, [text.date])
        block(text.time_label, [text.time])
        block(text.place_label, list(text.place))
        if text.bring:
            block(text.bring_label, [text.bring])
        block(text.arrive_label, [text.arrive, text.window, text.after])
        y = self.paragraph(text.cannot_come, BODY, lang, x, y + pt(14), width, rtl=rtl)
        return y

    def paragraph(
        self,
        text: str,
        style: Style,
        language: str,
        x: int,
        y: int,
        width: int,
        *,
        rtl: bool = False,
        isolated: bool = False,
    ) -> int:
        """Draw `text` wrapped into `width` from the top `y`; return the y below it.

        `isolated` draws the text as one left-to-right Latin run (codes, times).
        """
        text = " ".join(western(text).split())
        if not text:
            return y
        arabic = rtl or any(is_arabic(char) for char in text)
        faces = [self.font(style, False)] + ([self.font(style, True)] if arabic else [])
        ascent = max(face.getmetrics()[0] for face in faces)
        descent = max(face.getmetrics()[1] for face in faces)
        pitch = round(style.size * self.scale * (1.6 if arabic else 1.35))
        lines = (
            [[Run(text, rtl=False, arabic=False)]]
            if isolated
            else [split_runs(line, rtl) for line in self.wrap(text, style, language, rtl, width)]
        )
        for index, runs in enumerate(lines if self.drawing else []):
            baseline = y + ascent + index * pitch
            cursor = float(x + width - self.width(runs, style, language) if rtl else x)
            for run in runs:
                face = self.font(style, run.arabic)
                drawn, options = self.shaper.prepare(run, language)
                self.canvas.text(
                    (cursor, baseline), drawn, font=face, fill=0, anchor="ls", **options
                )
                cursor += face.getlength(drawn, **options)
        return y + ascent + pitch * (len(lines) - 1) + descent

    def wrap(self, text: str, style: Style, language: str, rtl: bool, width: int) -> list[str]:
        return wrap_words(
            text, lambda line: self.width(split_runs(line, rtl), style, language) <= width
        )

    def width(self, runs: list[Run], style: Style, language: str) -> float:
        return runs_width(self.shaper, runs, language, lambda arabic: self.font(style, arabic))

    def font(self, style: Style, arabic: bool) -> ImageFont.FreeTypeFont:
        size = style.size * self.scale
        if arabic:
            path = self.fonts.arabic_bold if style.bold else self.fonts.arabic
            size *= ARABIC_SCALE
        else:
            path = self.fonts.latin_bold if style.bold else self.fonts.latin
        return _font(str(path), round(size), self.shaper.layout_engine)


@functools.lru_cache(maxsize=32)
def _font(path: str, size: int, engine: ImageFont.Layout) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, layout_engine=engine)
