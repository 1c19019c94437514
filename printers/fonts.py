"""Find the TrueType fonts a ticket is drawn with, by file name, under the system font folders."""

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import PrinterConfigError

#: Environment variable naming an extra folder that is searched first.
FONT_DIR_ENV = "ANLAUFSTELLE_FONT_DIR"
SYSTEM_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))

# (file name, Debian package) in order of preference. Noto Sans and Noto Sans Arabic are
# designed to sit side by side; DejaVu Sans is the Latin fallback most Debian boxes already have.
# The Arabic fonts hold no Latin letters, so Latin runs always need one of the Latin fonts.
_CANDIDATES: dict[str, tuple[tuple[str, str], ...]] = {
    "latin": (("NotoSans-Regular.ttf", "fonts-noto-core"), ("DejaVuSans.ttf", "fonts-dejavu-core")),
    "latin_bold": (
        ("NotoSans-Bold.ttf", "fonts-noto-core"),
        ("DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
    ),
    "arabic": (
        ("NotoSansArabic-Regular.ttf", "fonts-noto-core"),
        ("NotoNaskhArabic-Regular.ttf", "fonts-noto-core"),
    ),
    "arabic_bold": (
        ("NotoSansArabic-Bold.ttf", "fonts-noto-core"),
        ("NotoNaskhArabic-Bold.ttf", "fonts-noto-core"),
    ),
}


@dataclass(frozen=True)
class FontSet:
    """Paths of the four fonts a ticket uses."""

    latin: Path
    latin_bold: Path
    arabic: Path
    arabic_bold: Path


def find_fonts(font_dir: str | os.PathLike[str] | None = None) -> FontSet:
    """Return the ticket fonts, looking in font_dir (or $ANLAUFSTELLE_FONT_DIR) first.

    Raises PrinterConfigError naming the Debian package to install when a font is missing.
    """
    override = font_dir if font_dir is not None else os.environ.get(FONT_DIR_ENV)
    return _resolve(((Path(override),) if override else ()) + SYSTEM_FONT_DIRS)


# Only successes are cached (functools.cache keeps no entry when the call raises), so fonts
# installed while the kiosk runs are picked up on the next ticket.
@functools.cache
def _resolve(dirs: tuple[Path, ...]) -> FontSet:
    """Pick the first present candidate for each font role under dirs."""
    index = _index(dirs)
    found: dict[str, Path] = {}
    for role, candidates in _CANDIDATES.items():
        for name, _package in candidates:
            if name in index:
                found[role] = index[name]
                break
        else:
            names = ", ".join(name for name, _ in candidates)
            packages = " or ".join(dict.fromkeys(package for _, package in candidates))
            looked_in = ", ".join(str(d) for d in dirs)
            raise PrinterConfigError(
                f"no {role.replace('_', ' ')} font found (looked for {names} in {looked_in}); "
                f"install the Debian package {packages}, or set {FONT_DIR_ENV} to a folder "
                "holding one of these files"
            )
    return FontSet(**found)


def _index(dirs: Sequence[Path]) -> dict[str, Path]:
    """Map font file names to their first path under dirs (earlier dirs win)."""
    index: dict[str, Path] = {}
    for base in dirs:
        for root, subdirs, files in os.walk(base):
            subdirs.sort()  # walk in a stable order so the same file wins on every machine
            for name in sorted(files):
                index.setdefault(name, Path(root) / name)
    return index
