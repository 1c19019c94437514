"""Shared fixtures for the printers tests: sample tickets and fake printers on loopback."""

import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from printers import TicketText, TicketView

STATUS_QUERY = b"\x10\x04\x04"  # DLE EOT 4: "how is your paper?"
PAPER_OK, PAPER_LOW, PAPER_OUT = b"\x12", b"\x1e", b"\x72"  # Epson TM answers

TEXTS = {
    "de": TicketText(
        "de",
        False,
        "Ihre Nummer",
        "Aufenthaltserlaubnis",
        (
            "Vor Ihnen: 3 Personen",
            "Geschätzte Wartezeit: 15 Minuten",
            "Scannen Sie den Code für den aktuellen Stand",
        ),
    ),
    "en": TicketText(
        "en",
        False,
        "Your number",
        "Residence permit",
        ("3 people ahead of you", "Estimated wait: 15 minutes", "Scan the code for live status"),
    ),
    "ar": TicketText(
        "ar",
        True,
        "رقمك",
        "تصريح الإقامة",
        ("يوجد 3 أشخاص قبلك", "مدة الانتظار المتوقعة: 15 دقيقة", "امسح الرمز لمتابعة دورك"),
    ),
    "ckb": TicketText(
        "ckb",
        True,
        "ژمارەکەت",
        "مۆڵەتی نیشتەجێبوون",
        ("3 کەس لە پێشتن", "کاتی چاوەڕوانی: نزیکەی 15 خولەک"),
    ),
    "ku": TicketText("ku", False, "Hejmara te", "Destûra rûniştinê", ("3 kes li pêşiya te hene",)),
}
STATUS_URL = "https://anlaufstelle.example.de/s/Xk3vQ9pLm2"


@pytest.fixture
def sample_texts() -> dict[str, TicketText]:
    """Return the sample ticket texts by language code."""
    return dict(TEXTS)


@pytest.fixture
def status_url() -> str:
    """Return the status URL that ticket_view puts into the QR code."""
    return STATUS_URL


@pytest.fixture
def ticket_view() -> Callable[..., TicketView]:
    """Return a factory: ticket_view("ar") is an Arabic ticket with German below it."""

    def make(language: str = "de", number: str = "B-042", **changes: object) -> TicketView:
        texts = (TEXTS[language],) if language == "de" else (TEXTS[language], TEXTS["de"])
        fields = {
            "number": number,
            "site_name": "Migrationsagentur Musterstadt",
            "issued_at": "23.11.2026 09:14",
            "status_url": STATUS_URL,
            "texts": texts,
        }
        fields.update(changes)
        return TicketView(**fields)

    return make


class FakePrinter:
    """A network receipt printer on 127.0.0.1 that keeps every job it receives.

    paper: the byte it answers a paper status query with, or None to stay silent.
    read=False: accept connections but never read, with a tiny receive buffer, like a printer
    that is stuck but still on the network.
    """

    STATUS_QUERY = STATUS_QUERY
    PAPER_OK, PAPER_LOW, PAPER_OUT = PAPER_OK, PAPER_LOW, PAPER_OUT

    def __init__(self, paper: bytes | None = PAPER_OK, read: bool = True) -> None:
        self.paper = paper
        self.read = read
        self.jobs: list[bytes] = []
        self.connections: list[socket.socket] = []
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if not read:
            # Set before listen() so accepted sockets inherit it and the window stays tiny.
            self._server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(4)
        self._server.settimeout(0.05)
        self.port = self._server.getsockname()[1]
        self.uri = f"tcp://127.0.0.1:{self.port}"
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def wait_for_jobs(self, count: int, timeout: float = 5.0) -> list[bytes]:
        """Wait until count jobs arrived (a job ends when the client closes); return them."""
        with self._changed:
            self._changed.wait_for(lambda: len(self.jobs) >= count, timeout)
            return list(self.jobs)

    def stop(self) -> None:
        """Close everything and end the threads."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2)
        self._server.close()
        for conn in self.connections:
            conn.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _peer = self._server.accept()
            except TimeoutError:
                continue
            self.connections.append(conn)
            if self.read:
                thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
                self._threads.append(thread)
                thread.start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(0.05)
        received = bytearray()
        while not self._stop.is_set():
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                continue
            except OSError:  # the client reset the connection
                break
            if not chunk:
                break
            received += chunk
            if received.endswith(STATUS_QUERY) and self.paper is not None:
                try:
                    conn.sendall(self.paper)
                except OSError:
                    break
        with self._changed:
            self.jobs.append(bytes(received))
            self._changed.notify_all()


@pytest.fixture
def fake_printer() -> Iterator[Callable[..., FakePrinter]]:
    """Return a factory of FakePrinters; all are stopped after the test."""
    started: list[FakePrinter] = []

    def start(**kwargs: object) -> FakePrinter:
        printer = FakePrinter(**kwargs)
        started.append(printer)
        return printer

    yield start
    for printer in started:
        printer.stop()


@pytest.fixture
def dead_printer_uri() -> str:
    """Return the URI of a loopback port on which nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"tcp://127.0.0.1:{port}"
