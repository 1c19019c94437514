"""A printer that keeps its jobs in this process: for tests and the demo kiosk.

memory:NAME (or dummy:NAME) records exactly the bytes a real printer would receive, one entry
per print job, under NAME; recorded_jobs(NAME) returns them. Only the last KEEP_JOBS jobs of
each name are kept, so a demo kiosk running for weeks does not grow without bound.
The option paper=ok|low|out|silent sets the answer to paper status queries, to try how the
kiosk reacts to a printer that runs out of paper.
"""

import threading
from collections import deque

from escpos.printer import Dummy

from ..errors import PrinterConfigError
from ..escpos_job import ticket_profile
from .address import PrinterAddress

KEEP_JOBS = 20
# Answers to DLE EOT 4 (paper sensor status) as an Epson TM printer gives them.
PAPER_REPLIES = {"ok": b"\x12", "low": b"\x1e", "out": b"\x72", "silent": b""}

_jobs: dict[str, deque[bytes]] = {}
_lock = threading.Lock()  # print jobs arrive from the print queue's thread


class MemoryPrinter(Dummy):
    """python-escpos Dummy printer that files its output as one job when closed."""

    def __init__(self, name: str, paper_reply: bytes, **kwargs) -> None:
        super().__init__(**kwargs)
        self.name = name
        self.paper_reply = paper_reply

    def _read(self) -> bytes:
        return self.paper_reply

    def close(self) -> None:
        """File what was sent so far as one job."""
        output = self.output
        self.clear()
        if output:
            with _lock:
                _jobs.setdefault(self.name, deque(maxlen=KEEP_JOBS)).append(output)


def open_memory(address: PrinterAddress, timeout: float) -> MemoryPrinter:
    """Open memory:NAME; the name may be empty."""
    paper = address.options.get("paper", "ok")
    if paper not in PAPER_REPLIES:
        raise PrinterConfigError(f"{address.uri}: paper must be one of {', '.join(PAPER_REPLIES)}")
    name = address.target.strip("/")
    return MemoryPrinter(name, PAPER_REPLIES[paper], profile=ticket_profile(address.width_px))


def recorded_jobs(name: str = "") -> list[bytes]:
    """Return the jobs printed on memory:NAME, oldest first."""
    with _lock:
        return list(_jobs.get(name, ()))


def clear_recorded(name: str | None = None) -> None:
    """Forget the jobs of memory:NAME, or of every name when name is None."""
    with _lock:
        if name is None:
            _jobs.clear()
        else:
            _jobs.pop(name, None)
