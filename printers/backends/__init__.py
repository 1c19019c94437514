"""Open a python-escpos printer from a URI, choosing the backend by the URI's scheme.

    tcp://HOST[:PORT]        network printer, raw port 9100 by default
    usb://VENDOR:PRODUCT     USB printer by hexadecimal ids, e.g. usb://04b8:0e15
    serial:/dev/ttyS0        serial printer; option baudrate (9600)
    file:/dev/usb/lp0        a device file (Linux usblp) or any file to write the job to
    memory:NAME, dummy:NAME  keeps the bytes in this process (tests, demo); see memory.py

Options for every scheme, as a query: width (dots per line, 576; 384 for 58 mm paper) and
cut (partial, full or none). Example: tcp://10.1.2.3?width=384&cut=full
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from escpos.escpos import Escpos

from ..errors import PrinterConfigError
from . import file, memory, network, serial, usb
from .address import COMMON_OPTIONS, PrinterAddress

__all__ = ["PrinterAddress", "can_read_status", "open_printer", "parse_uri"]


@dataclass(frozen=True)
class _Backend:
    open: Callable[[PrinterAddress, float], Escpos]
    options: frozenset[str] = frozenset()
    reads_status: bool = False


_BACKENDS: dict[str, _Backend] = {
    "tcp": _Backend(network.open_network, reads_status=True),
    "usb": _Backend(usb.open_usb, frozenset({"in_ep", "out_ep"}), reads_status=True),
    "serial": _Backend(serial.open_serial, frozenset({"baudrate"}), reads_status=True),
    "file": _Backend(file.open_file),
    "memory": _Backend(memory.open_memory, frozenset({"paper"}), reads_status=True),
    "dummy": _Backend(memory.open_memory, frozenset({"paper"}), reads_status=True),
}


def parse_uri(uri: str) -> PrinterAddress:
    """Parse and check a printer URI; raise PrinterConfigError saying what is wrong."""
    if not isinstance(uri, str) or ":" not in uri:
        raise PrinterConfigError(f"{uri!r} is not a printer URI such as tcp://10.0.0.5:9100")
    parts = urlsplit(uri.strip())
    backend = _BACKENDS.get(parts.scheme)
    if backend is None:
        known = ", ".join(f"{scheme}:" for scheme in _BACKENDS)
        raise PrinterConfigError(f"{uri}: unknown printer scheme {parts.scheme!r}; use {known}")
    try:
        pairs = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError as exc:
        raise PrinterConfigError(f"{uri}: malformed options {parts.query!r}") from exc
    options = dict(pairs)
    allowed = COMMON_OPTIONS | backend.options
    if len(options) != len(pairs) or not options.keys() <= allowed:
        raise PrinterConfigError(
            f"{uri}: options must be given once each and be among {', '.join(sorted(allowed))}"
        )
    if parts.fragment:
        raise PrinterConfigError(f"{uri}: a printer URI has no #fragment")
    address = PrinterAddress(uri, parts.scheme, parts.netloc + parts.path, options)
    _ = (address.width_px, address.cut)  # check the common options now, not mid-print
    return address


def can_read_status(address: PrinterAddress) -> bool:
    """Tell whether the printer can answer a paper status query over its backend."""
    return _BACKENDS[address.scheme].reads_status


def open_printer(uri: str | PrinterAddress, timeout: float) -> Escpos:
    """Open the printer at uri and return its connected python-escpos object.

    timeout bounds connecting and each later write where the backend allows it. Raises
    PrinterConfigError for a bad URI and PrinterUnavailable when the printer cannot be reached.
    """
    address = uri if isinstance(uri, PrinterAddress) else parse_uri(uri)
    return _BACKENDS[address.scheme].open(address, timeout)
