"""Printers behind a device file such as /dev/usb/lp0, through python-escpos's File."""

from escpos.exceptions import DeviceNotFoundError
from escpos.printer import File

from ..errors import PrinterConfigError, PrinterUnavailable
from ..escpos_job import ticket_profile
from .address import PrinterAddress


def open_file(address: PrinterAddress, timeout: float) -> File:
    """Open file:/dev/usb/lp0 (or file:///path); writes are bounded by print_image's watchdog.

    A relative path (file:var/printer.escpos, as the demo site uses) is relative to the
    working directory, like a relative SQLite path; each job replaces the file's content.
    """
    has_host = address.uri.startswith("file://") and not address.target.startswith("/")
    if not address.target or has_host:
        raise PrinterConfigError(
            f"{address.uri}: write a device file as file:/dev/usb/lp0 or file:///dev/usb/lp0"
        )
    printer = File(devfile=address.target, profile=ticket_profile(address.width_px))
    try:
        printer.open()
    except DeviceNotFoundError as exc:
        raise PrinterUnavailable(f"cannot open printer file {address.target}: {exc}") from exc
    return printer
