"""Printers on a serial port, through python-escpos's Serial (needs pyserial)."""

from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Serial

from ..errors import PrinterConfigError, PrinterUnavailable
from ..escpos_job import ticket_profile
from .address import PrinterAddress

STATUS_READ_SECONDS = 0.5  # pyserial's timeout is the read timeout: used for status queries only


def open_serial(address: PrinterAddress, timeout: float) -> Serial:
    """Open serial:/dev/ttyS0, with option baudrate (default 9600)."""
    if not Serial.is_usable():
        raise PrinterConfigError(
            f"{address.uri}: serial printing needs pyserial "
            "(Debian package python3-serial, PyPI pyserial)"
        )
    if not address.target.startswith("/"):
        raise PrinterConfigError(f"{address.uri}: write a serial printer as serial:/dev/ttyS0")
    printer = Serial(
        devfile=address.target,
        baudrate=address.int_option("baudrate", 9600, low=1200, high=921600),
        timeout=STATUS_READ_SECONDS,
        profile=ticket_profile(address.width_px),
    )
    try:
        printer.open()
    except DeviceNotFoundError as exc:
        raise PrinterUnavailable(f"serial printer {address.target} not found: {exc}") from exc
    # python-escpos leaves writes unbounded; with hardware flow control an offline printer
    # would block the write for ever.
    printer.device.write_timeout = timeout
    return printer
