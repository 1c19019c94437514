"""Network printers on a raw TCP port (9100, "JetDirect"), through python-escpos's Network."""

import socket
import struct
from urllib.parse import urlsplit

from escpos.printer import Network

from ..errors import PrinterConfigError, PrinterUnavailable
from ..escpos_job import ticket_profile
from .address import PrinterAddress

DEFAULT_PORT = 9100
# A small send buffer, so that sending only completes once the printer itself has taken most
# of the job. With Linux's autotuned buffers (up to 4 MiB) a whole ticket would vanish into
# the kernel of a printer that is offline but still accepts connections, and look printed.
SEND_BUFFER_BYTES = 32 * 1024
# Many printers never answer a status query; waiting longer would delay every ticket.
STATUS_READ_SECONDS = 0.5


class TicketNetwork(Network):
    """python-escpos Network printer with bounded waits and no half-jobs left in the kernel."""

    def open(self, raise_not_found: bool = True) -> None:
        """Connect within the timeout, or raise PrinterUnavailable."""
        try:
            # create_connection also handles IPv6 and host names with several addresses.
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise PrinterUnavailable(
                f"cannot connect to printer {self.host}:{self.port}: {exc or 'timed out'}"
            ) from exc
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER_BYTES)
        self.device = sock

    def _raw(self, msg: bytes) -> None:
        try:
            super()._raw(msg)
        except OSError:
            # Reset rather than close gracefully: otherwise the kernel keeps sending the rest
            # of the ticket, and a printer that wakes up later prints half of it.
            self._device.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            raise

    def _read(self) -> bytes:
        self._device.settimeout(STATUS_READ_SECONDS)
        return self._device.recv(16)


def open_network(address: PrinterAddress, timeout: float) -> TicketNetwork:
    """Open tcp://HOST[:PORT]; the port defaults to 9100."""
    parts = urlsplit(address.uri)
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError as exc:
        raise PrinterConfigError(f"{address.uri}: the port must be a number") from exc
    if not parts.hostname or parts.path not in ("", "/") or parts.username:
        raise PrinterConfigError(
            f"{address.uri}: write the printer as tcp://HOST or tcp://HOST:PORT"
        )
    profile = ticket_profile(address.width_px)
    printer = TicketNetwork(host=parts.hostname, port=port, timeout=timeout, profile=profile)
    printer.open()
    return printer
