"""A printer failure's technical message → the known cause staff read in their own words."""

from __future__ import annotations

import pytest
from PIL import Image

from printers.errors import PrinterError
from printers.printing import print_image
from server.domain.printer_causes import PrinterCause, cause_of
from tests.kiosk.support import closed_port


def failure(uri: str) -> str:
    with pytest.raises(PrinterError) as caught:
        print_image(Image.new("1", (384, 40), 1), uri, timeout=3)
    return str(caught.value)


def test_a_printer_that_refuses_the_connection_is_offline():
    assert cause_of(failure(f"tcp://127.0.0.1:{closed_port()}")) == PrinterCause.OFFLINE


def test_a_printer_that_reports_no_paper_says_no_paper():
    assert cause_of(failure("memory:causes?paper=out")) == PrinterCause.NO_PAPER


def test_a_missing_device_file_is_offline(tmp_path):
    assert cause_of(failure(f"file:{tmp_path}/no-such-dir/lp0")) == PrinterCause.OFFLINE


@pytest.mark.parametrize(
    ("message", "cause"),
    [
        ("Printer reports: cover open", PrinterCause.COVER_OPEN),
        ("paper out", PrinterCause.NO_PAPER),
        ("printer tcp://10.0.0.9 refused the connection", PrinterCause.OFFLINE),
        ("printing on usb://04b8:0202 failed: ValueError('odd')", None),
        ("", None),
    ],
)
def test_known_causes_are_named_and_unknown_ones_are_not_guessed(message, cause):
    assert cause_of(message) == cause


def test_staff_see_the_cause_next_to_the_technical_message(app, site, login):
    from tests.kiosk.test_alerts import record

    record(app, site, "B-001", "cannot connect to printer 10.0.0.5:9100: timed out")
    record(app, site, "B-002", "printing failed: something new")
    listed = login("reception").get("/api/v1/sites/musterstadt/alerts").get_json()
    assert [(a["ticket_number"], a["cause"]) for a in listed] == [
        ("B-002", None),
        ("B-001", "offline"),
    ]
    assert listed[1]["message"].startswith("cannot connect")
