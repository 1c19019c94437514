"""Turn runs into what Pillow draws: raqm shaping when Pillow has it, else a fallback.

With raqm (libraqm + FriBiDi + HarfBuzz) Pillow joins Arabic letters and lays a run out right
to left when given ``direction="rtl"``; ``language`` picks language-specific glyph forms.

Without raqm, Arabic is turned into presentation forms by arabic-reshaper and reversed by
python-bidi, then drawn with Pillow's basic layout. That is good enough for Arabic but NOT for
Sorani Kurdish: arabic-reshaper does not know ە (U+06D5, the Kurdish vowel "e"), nor ێ (U+06CE),
ڵ (U+06B5) and ڕ (U+0695), which have no presentation forms, so they and their neighbours are
left unjoined. Pillow's wheels carry raqm and load FriBiDi at run time: install the Debian
package libfribidi0 for correct Sorani.
"""

import functools
import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

import arabic_reshaper
from bidi import get_display
from PIL import ImageFont, features

from .text_runs import Run

logger = logging.getLogger(__name__)

_fallback_warned = threading.Event()


class Shaper(Protocol):
    """How runs are laid out: the Pillow layout engine and the text and options to draw."""

    layout_engine: ImageFont.Layout

    def prepare(self, run: Run, language: str) -> tuple[str, dict[str, Any]]:
        """Return the string to draw for run and the keyword options for Pillow."""
        ...


class RaqmShaper:
    """Shape with raqm: the run is drawn as written, raqm joins and orders it."""

    layout_engine = ImageFont.Layout.RAQM

    def prepare(self, run: Run, language: str) -> tuple[str, dict[str, Any]]:
        """Return the run unchanged with its direction and language for raqm."""
        return run.text, {"direction": "rtl" if run.rtl else "ltr", "language": language}


class FallbackShaper:
    """Shape without raqm: arabic-reshaper joins the letters, python-bidi reverses the run."""

    layout_engine = ImageFont.Layout.BASIC

    def prepare(self, run: Run, language: str) -> tuple[str, dict[str, Any]]:
        """Return the run in presentation forms and visual order for the basic layout."""
        if not run.rtl:
            return run.text, {}
        text = arabic_reshaper.reshape(run.text) if run.arabic else run.text
        return get_display(text, base_dir="R"), {}


def has_raqm() -> bool:
    """Tell whether Pillow can use the raqm layout engine."""
    return bool(features.check_feature("raqm"))


def default_shaper() -> Shaper:
    """Return the raqm shaper, or the fallback with a warning logged once per process."""
    if has_raqm():
        return RaqmShaper()
    if not _fallback_warned.is_set():
        _fallback_warned.set()
        logger.warning(
            "Pillow has no raqm layout engine; shaping Arabic with arabic-reshaper and "
            "python-bidi instead. Sorani Kurdish will print with wrongly joined letters "
            "(arabic-reshaper does not know ە, ێ, ڵ and ڕ). Install the Debian "
            "package libfribidi0, which Pillow's raqm loads at run time."
        )
    return FallbackShaper()


@functools.lru_cache(maxsize=64)
def load_font(path: str, size: int, layout_engine: ImageFont.Layout) -> ImageFont.FreeTypeFont:
    """Load a font once per path, size and engine; tickets reuse a handful of them."""
    return ImageFont.truetype(path, size, layout_engine=layout_engine)


def runs_width(
    shaper: Shaper,
    runs: list[Run],
    language: str,
    font_for: Callable[[bool], ImageFont.FreeTypeFont],
) -> float:
    """How wide the runs are drawn; `font_for(arabic)` picks the face of each run."""
    return sum(
        font_for(run.arabic).getlength(drawn, **options)
        for run in runs
        for drawn, options in [shaper.prepare(run, language)]
    )
