"""Browser fixtures: Playwright driving Debian's chromium against a live server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, LiveServer, need_chromium
from tests.kiosk.support import kiosk_config_file

SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Factory: new_page(width, height, locale) opens a page in a fresh context."""
    contexts = []

    def make(width: int = 1280, height: int = 800, locale: str = "de-DE", **kwargs):
        # Playwright polls wait_for_function predicates with eval, which the pages' CSP
        # refuses; tests/e2e/test_csp.py opens every page with the CSP in force.
        kwargs.setdefault("bypass_csp", True)
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale=locale, **kwargs
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> Path:
    """Save a screenshot under var/screenshots/ (not committed) for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


@pytest.fixture
def kiosk_server(sqlite_url: str, tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Factory: a live server whose kiosk `eingang` has the given printer and idle time."""
    servers: list[LiveServer] = []

    def start(printer: str | None = "file", idle_seconds: int = 30) -> LiveServer:
        if printer == "file":
            printer = f"file:{tmp_path / 'printer.escpos'}"
        server = LiveServer(sqlite_url, tmp_path)
        server.env["ANLAUFSTELLE_CONFIG"] = str(
            kiosk_config_file(tmp_path, printer=printer, idle_seconds=idle_seconds)
        )
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()
