"""Kiosk printing: the ticket image, ESC/POS to a network printer, failed prints, the CLI test."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import uuid

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import func, select

from server import printing
from server.config import LANGUAGES
from server.models import PrinterAlert, Ticket
from tests.conftest import CONFIG, ROOT
from tests.kiosk.support import FakePrinter, closed_port, staff_client

SITE = "musterstadt"
SCREENSHOTS = ROOT / "var" / "screenshots"


def issue(
    client,
    language: str = "de",
    kiosk: str | None = "eingang",
    key: str | None = None,
    concern: str = "adresse",
):
    headers = {"Idempotency-Key": key} if key else {}
    body = {"site": SITE, "concern": concern, "language": language}
    if kiosk:
        body["kiosk"] = kiosk
    return client.post("/api/v1/tickets", json=body, headers=headers)


def decode_qr(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image.convert("L"))]


@pytest.mark.parametrize("language", LANGUAGES)
def test_ticket_image_is_a_png_of_printer_width_whose_qr_leads_to_the_status_page(
    client, settings, language
):
    ticket = issue(client, language, kiosk=None).get_json()

    response = client.get(f"/api/v1/tickets/{ticket['token']}/image.png")

    assert response.status_code == 200
    assert response.content_type == "image/png"
    image = Image.open(io.BytesIO(response.data))
    assert image.format == "PNG"
    assert image.width == settings.printer.width_px
    assert image.height > image.width
    assert decode_qr(image) == [ticket["status_url"]]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    image.save(SCREENSHOTS / f"kiosk-ticket-image-{language}.png")


def test_ticket_image_of_an_unknown_token_is_404(client):
    response = client.get("/api/v1/tickets/no-such-token-at-all/image.png")

    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_printed_ticket_speaks_the_visitors_language_then_german(app, site):
    ticket = {
        "number": "B-042",
        "status": "waiting",
        "position": 4,
        "estimated_wait_minutes": 17,
        "appointment": False,
        "status_url": "http://127.0.0.1:5000/t/x",
        "issued_at": "2026-11-23T08:14:00+00:00",
    }

    view = printing.ticket_view(site, ticket, "ar", concern_id="adresse")

    assert view.number == "B-042"
    assert view.issued_at == "23.11.2026 09:14"  # Europe/Berlin, winter time
    assert [t.language for t in view.texts] == ["ar", "de"]
    arabic, german = view.texts
    assert arabic.rtl and not german.rtl
    assert arabic.heading == "رقمك"
    assert arabic.concern == "الإبلاغ عن عنوان جديد"
    assert german.heading == "Ihre Nummer"
    assert "Vor Ihnen sind 3 Personen." in german.lines
    assert "Voraussichtliche Wartezeit: etwa 17 Minuten." in german.lines
    assert "يوجد 3 أشخاص قبلك." in arabic.lines


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_printed_line_is_translated(site, language):
    ticket = {
        "number": "A-001",
        "status": "waiting",
        "position": 3,
        "estimated_wait_minutes": 12,
        "appointment": False,
        "status_url": "http://127.0.0.1:5000/t/x",
        "issued_at": "2026-11-23T08:14:00+00:00",
    }
    english = printing.ticket_text(site, ticket, "en", "adresse")
    checked_in = printing.ticket_text(site, {**ticket, "appointment": True}, "en")

    text = printing.ticket_text(site, ticket, language, "adresse")
    appointment = printing.ticket_text(site, {**ticket, "appointment": True}, language)

    assert text.heading != english.heading
    assert not set(text.lines) & set(english.lines)
    assert appointment.concern != checked_in.concern
    assert appointment.lines[0] != checked_in.lines[0]


def test_issuing_at_a_kiosk_sends_escpos_to_its_network_printer(app_for, printer):
    app = app_for(printer=printer.uri)
    client = app.test_client()

    response = issue(client)

    assert response.status_code == 201
    token = response.get_json()["token"]
    jobs = printer.wait_for_jobs(1)
    assert len(jobs) == 1
    job = jobs[0]
    assert job.startswith(b"\x1b@")  # ESC @: initialise
    assert b"\x1dv0" in job  # GS v 0: raster image
    assert b"\x1dV" in job  # GS V: cut
    assert printing.wait_for_printing(10)
    status = client.get(f"/kiosk/eingang/print-status/{token}").get_json()
    assert status == {"status": "printed"}


def test_a_double_tap_with_one_idempotency_key_gives_one_ticket_and_one_print(app_for, printer):
    app = app_for(printer=printer.uri)
    client = app.test_client()
    key = uuid.uuid4().hex

    first = issue(client, key=key)
    second = issue(client, key=key)

    assert first.status_code == second.status_code == 201
    assert first.get_json()["number"] == second.get_json()["number"]
    assert first.get_json()["token"] == second.get_json()["token"]
    with app.extensions["anlaufstelle"].db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 1
    assert printing.wait_for_printing(15)
    assert len(printer.wait_for_jobs(1)) == 1
    time.sleep(0.3)  # a second job, if any, would arrive right behind the first
    assert len(printer.jobs) == 1


def test_a_dead_printer_fails_fast_records_an_alert_and_keeps_the_ticket(app_for):
    from server.extensions import socketio

    app = app_for(printer=f"tcp://127.0.0.1:{closed_port()}")
    client = app.test_client()
    staff_socket = socketio.test_client(
        app, namespace="/staff", flask_test_client=staff_client(app, "reception").client
    )
    assert staff_socket.is_connected("/staff")

    started = time.monotonic()
    response = issue(client, language="ckb")
    answered_in = time.monotonic() - started

    assert response.status_code == 201
    assert answered_in < 1.5
    ticket = response.get_json()
    assert printing.wait_for_printing(15)
    with app.extensions["anlaufstelle"].db.reading() as session:
        alerts = session.scalars(select(PrinterAlert)).all()
        assert [(a.kiosk_id, a.ticket_number) for a in alerts] == [("eingang", ticket["number"])]
        assert "127.0.0.1" in alerts[0].message
    assert client.get(f"/api/v1/tickets/{ticket['token']}").get_json()["status"] == "waiting"
    assert client.get(f"/kiosk/eingang/print-status/{ticket['token']}").get_json() == {
        "status": "failed"
    }
    pushed = [p for p in staff_socket.get_received("/staff") if p["name"] == "printer_alert"]
    assert [p["args"][0]["ticket_number"] for p in pushed] == [ticket["number"]]
    staff_socket.disconnect(namespace="/staff")


def test_a_printer_without_paper_raises_an_alert(app_for):
    empty = FakePrinter(paper=False)
    try:
        app = app_for(printer=empty.uri)
        client = app.test_client()
        ticket = issue(client).get_json()
        assert printing.wait_for_printing(15)
        assert client.get(f"/kiosk/eingang/print-status/{ticket['token']}").get_json() == {
            "status": "failed"
        }
        with app.extensions["anlaufstelle"].db.reading() as session:
            alert = session.scalars(select(PrinterAlert)).one()
        assert "paper" in alert.message
    finally:
        empty.close()


def test_a_failure_seen_by_another_worker_reaches_the_kiosk(app_for):
    # Another worker printed and failed: this process only finds the PrinterAlert row.
    app = app_for(printer="tcp://127.0.0.1:9")
    client = app.test_client()
    ticket = issue(client, kiosk=None).get_json()
    site = app.extensions["anlaufstelle"].settings.sites[0]
    db = app.extensions["anlaufstelle"].db
    with db.writing() as session:
        row = session.scalars(select(Ticket)).one()
        row.kiosk_id = "eingang"
        from server.services import alerts

        alerts.record(session, site, "eingang", ticket["number"], "paper out")

    status = client.get(f"/kiosk/eingang/print-status/{ticket['token']}").get_json()

    assert status == {"status": "failed"}


def test_a_kiosk_without_printer_reports_none_and_prints_nothing(app_for):
    app = app_for(printer=None)
    client = app.test_client()
    ticket = issue(client).get_json()

    status = client.get(f"/kiosk/eingang/print-status/{ticket['token']}").get_json()

    assert status == {"status": "none"}
    with app.extensions["anlaufstelle"].db.reading() as session:
        assert session.scalar(select(func.count()).select_from(PrinterAlert)) == 0


def run_printer_test(uri: str) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {**os.environ, "ANLAUFSTELLE_CONFIG": str(CONFIG)}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "printer", "test", uri, "--language", "ar"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    return result, time.monotonic() - started


def test_printer_test_command_fails_within_15_seconds_for_a_closed_port():
    result, elapsed = run_printer_test(f"tcp://127.0.0.1:{closed_port()}")

    assert result.returncode == 1
    assert elapsed < 15
    assert "printer test failed" in result.stderr
    assert "Connection refused" in result.stderr or "cannot connect" in result.stderr


def test_printer_test_command_fails_within_15_seconds_for_a_printer_that_never_reads():
    import socket

    # Accepts connections (the kernel does) but never reads a byte.
    with socket.create_server(("127.0.0.1", 0), backlog=1) as silent:
        result, elapsed = run_printer_test(f"tcp://127.0.0.1:{silent.getsockname()[1]}")

    assert result.returncode == 1
    assert elapsed < 15
    assert "printer test failed" in result.stderr


def test_printer_test_command_prints_a_sample_on_a_working_printer(printer):
    result, elapsed = run_printer_test(printer.uri)

    assert result.returncode == 0, result.stderr
    assert f"sample ticket sent to {printer.uri}" in result.stdout
    jobs = printer.wait_for_jobs(1)
    assert len(jobs) == 1 and b"\x1dv0" in jobs[0]
