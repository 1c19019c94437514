"""print_image against fake printers on loopback: what is sent, and how failures come back."""

import logging
import time

import pytest
from PIL import Image

from printers import (
    PrinterConfigError,
    PrinterPaperOut,
    PrinterUnavailable,
    print_image,
    render_ticket,
)
from printers.backends import memory
from printers.escpos_job import build_job

INIT, RASTER, CUT = b"\x1b\x40", b"\x1d\x76\x30", b"\x1d\x56"


@pytest.fixture
def ticket(ticket_view) -> Image.Image:
    return render_ticket(ticket_view("ar"), 576)


def test_ticket_reaches_the_network_printer_as_init_raster_and_cut(fake_printer, ticket):
    printer = fake_printer()

    print_image(ticket, printer.uri, timeout=5)

    [job] = printer.wait_for_jobs(1)
    assert job.startswith(INIT + RASTER)
    assert CUT in job[-16:]
    assert job == build_job(ticket) + printer.STATUS_QUERY


def test_memory_printer_records_the_same_bytes_as_the_network_printer(fake_printer, ticket):
    printer = fake_printer()
    memory.clear_recorded("same-bytes")

    print_image(ticket, printer.uri, timeout=5)
    print_image(ticket, "memory:same-bytes", timeout=5)

    assert memory.recorded_jobs("same-bytes") == printer.wait_for_jobs(1)


def test_file_printer_writes_the_job_to_the_file(tmp_path, ticket):
    target = tmp_path / "lp0"

    print_image(ticket, f"file:{target}", timeout=5)

    assert target.read_bytes() == build_job(ticket)  # a file cannot answer a status query


def test_closed_port_fails_fast_as_unavailable(dead_printer_uri, ticket):
    started = time.monotonic()

    with pytest.raises(PrinterUnavailable, match="cannot connect"):
        print_image(ticket, dead_printer_uri, timeout=5)

    assert time.monotonic() - started < 2


def test_printer_that_never_reads_fails_within_the_timeout(fake_printer):
    printer = fake_printer(read=False)
    # 216 KB of raster data: several times what the send and receive buffers hold.
    big = Image.new("1", (576, 3000), 0)
    started = time.monotonic()

    with pytest.raises(PrinterUnavailable, match="did not take the ticket"):
        print_image(big, printer.uri, timeout=1)

    assert time.monotonic() - started < 1 + 1.5


def test_printer_that_stops_reading_gets_a_reset_not_the_rest_of_the_ticket_later(fake_printer):
    printer = fake_printer(read=False)
    with pytest.raises(PrinterUnavailable):
        print_image(Image.new("1", (576, 3000), 0), printer.uri, timeout=1)
    [connection] = printer.connections
    connection.settimeout(2)

    with pytest.raises(ConnectionResetError):
        for _ in range(10_000):  # drain what arrived before the reset; bounded
            assert connection.recv(65536), "the client closed gracefully instead of resetting"


def test_printer_reporting_no_paper_raises_paper_out(fake_printer, ticket):
    printer = fake_printer(paper=b"\x72")  # what an Epson TM answers with its paper out

    with pytest.raises(PrinterPaperOut, match="no paper"):
        print_image(ticket, printer.uri, timeout=5)


def test_printer_reporting_low_paper_prints_and_warns_naming_the_printer(
    fake_printer, ticket, caplog
):
    caplog.set_level(logging.WARNING, logger="printers")
    printer = fake_printer(paper=b"\x1e")  # paper near its end

    print_image(ticket, printer.uri, timeout=5)

    assert printer.wait_for_jobs(1)
    assert f"printer {printer.uri} reports its paper is running low" in caplog.text


def test_printer_that_never_answers_the_status_query_still_prints(fake_printer, ticket):
    printer = fake_printer(paper=None)
    started = time.monotonic()

    print_image(ticket, printer.uri, timeout=5)

    assert printer.wait_for_jobs(1)[0].startswith(INIT)
    assert time.monotonic() - started < 2  # waited briefly for the answer, not the timeout


def test_memory_printer_can_pretend_to_have_no_paper(ticket):
    with pytest.raises(PrinterPaperOut):
        print_image(ticket, "memory:empty?paper=out", timeout=5)


def test_image_too_wide_for_the_printer_is_refused_before_connecting(fake_printer, ticket):
    printer = fake_printer()

    with pytest.raises(PrinterConfigError, match="at most 384"):
        print_image(ticket, f"{printer.uri}?width=384", timeout=5)

    assert printer.connections == []


def test_hanging_printer_is_abandoned_after_timeout_and_grace(monkeypatch, ticket):
    # A device-file write that blocks for ever, as usblp does with some printers offline.
    def hang(self, msg):
        time.sleep(5)

    monkeypatch.setattr(memory.MemoryPrinter, "_raw", hang)
    started = time.monotonic()

    with pytest.raises(PrinterUnavailable, match="within 0.5 s"):
        print_image(ticket, "memory:hang", timeout=0.5)

    assert time.monotonic() - started < 0.5 + 1.5


def test_bad_uri_raises_config_error(ticket):
    with pytest.raises(PrinterConfigError, match="unknown printer scheme"):
        print_image(ticket, "ipp://printer.local", timeout=5)
