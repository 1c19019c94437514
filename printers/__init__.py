"""Ticket rendering and ESC/POS printing; takes plain data in and imports nothing of ours."""

from .errors import PrinterConfigError, PrinterError, PrinterPaperOut, PrinterUnavailable
from .fonts import FontSet, find_fonts
from .layout import PAPER_58MM_PX, PAPER_80MM_PX, render_ticket
from .print_queue import PrintQueue
from .printing import print_image
from .ticket import TicketText, TicketView

__all__ = [
    "PAPER_58MM_PX",
    "PAPER_80MM_PX",
    "FontSet",
    "PrintQueue",
    "PrinterConfigError",
    "PrinterError",
    "PrinterPaperOut",
    "PrinterUnavailable",
    "TicketText",
    "TicketView",
    "find_fonts",
    "print_image",
    "render_ticket",
]
