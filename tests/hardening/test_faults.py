"""Faults stay where they happen: a hung printer, a full or read-only database, Redis."""

from __future__ import annotations

import socket
import time

from tests.kiosk.support import FakePrinter


def test_a_hung_printer_delays_only_its_own_kiosk(settings):
    from server import printing
    from server.app import create_app
    from server.migrate import upgrade

    good = FakePrinter()
    # Accepts connections (the kernel does) but never reads a byte nor answers.
    hung = socket.create_server(("127.0.0.1", 0), backlog=8)
    hung_uri = f"tcp://127.0.0.1:{hung.getsockname()[1]}"
    site = settings.sites[0]
    first = site.kiosks[0].model_copy(update={"printer": hung_uri})
    second = first.model_copy(update={"id": "eingang-2", "printer": good.uri})
    site = site.model_copy(update={"kiosks": [first, second]})
    app = create_app(settings.model_copy(update={"sites": [site]}), testing=True)
    upgrade(app.extensions["anlaufstelle"].db.engine)
    client = app.test_client()
    try:
        body = {"site": site.id, "concern": "adresse", "language": "de"}
        for _ in range(2):
            response = client.post("/api/v1/tickets", json={**body, "kiosk": "eingang"})
            assert response.status_code == 201
        began = time.monotonic()
        response = client.post("/api/v1/tickets", json={**body, "kiosk": "eingang-2"})
        assert response.status_code == 201
        assert len(good.wait_for_jobs(1, timeout=5)) == 1
        assert time.monotonic() - began < 3
    finally:
        printing.wait_for_printing(60)
        hung.close()
        good.close()
        app.extensions["anlaufstelle"].db.dispose()
