"""USB printers found by vendor and product id, through python-escpos's Usb (needs pyusb)."""

from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Usb

from ..errors import PrinterConfigError, PrinterUnavailable
from ..escpos_job import ticket_profile
from .address import PrinterAddress


def open_usb(address: PrinterAddress, timeout: float) -> Usb:
    """Open usb://VENDOR:PRODUCT (hex ids); options in_ep and out_ep (hex) for odd printers."""
    if not Usb.is_usable():
        raise PrinterConfigError(
            f"{address.uri}: USB printing needs pyusb (Debian package python3-usb, PyPI pyusb)"
        )
    ids = address.target.strip("/").split(":")
    try:
        vendor, product = (int(part, 16) for part in ids)
    except ValueError:
        vendor = product = 0
    if not (0 < vendor <= 0xFFFF and 0 < product <= 0xFFFF):
        raise PrinterConfigError(
            f"{address.uri}: write a USB printer as usb://VENDOR:PRODUCT in hex, "
            "e.g. usb://04b8:0e15 (see lsusb)"
        )
    printer = Usb(
        idVendor=vendor,
        idProduct=product,
        timeout=max(1, round(timeout * 1000)),  # pyusb counts milliseconds; 0 would wait forever
        in_ep=address.int_option("in_ep", 0x82, low=0x81, high=0x8F, base=16),
        out_ep=address.int_option("out_ep", 0x01, low=0x01, high=0x0F, base=16),
        profile=ticket_profile(address.width_px),
    )
    try:
        printer.open()
    except DeviceNotFoundError as exc:
        raise PrinterUnavailable(f"USB printer {address.target} not found: {exc}") from exc
    except ValueError as exc:  # pyusb's NoBackendError: libusb itself is missing
        raise PrinterConfigError(
            f"{address.uri}: pyusb finds no libusb ({exc}); install the Debian package libusb-1.0-0"
        ) from exc
    return printer
