"""A parsed printer URI with the options every backend understands."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import PrinterConfigError

COMMON_OPTIONS = frozenset({"width", "cut"})
DEFAULT_WIDTH_PX = 576
CUTS = ("partial", "full", "none")


@dataclass(frozen=True)
class PrinterAddress:
    """A parsed printer URI."""

    uri: str
    scheme: str
    target: str  # what follows the scheme: host:port, vendor:product, a path or a name
    options: Mapping[str, str] = field(default_factory=dict)

    @property
    def width_px(self) -> int:
        """Dots per line the printer prints."""
        return self.int_option("width", DEFAULT_WIDTH_PX, low=64, high=4096)

    @property
    def cut(self) -> str:
        """How the paper is cut after the ticket: partial, full or none."""
        cut = self.options.get("cut", "partial")
        if cut not in CUTS:
            raise PrinterConfigError(f"{self.uri}: cut must be one of {', '.join(CUTS)}")
        return cut

    def int_option(self, name: str, default: int, *, low: int, high: int, base: int = 10) -> int:
        """Return option name as an integer in [low, high], or default when absent."""
        raw = self.options.get(name)
        if raw is None:
            return default
        try:
            value = int(raw, base)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise PrinterConfigError(f"{self.uri}: {name} must be a number from {low} to {high}")
        return value
