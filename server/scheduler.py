"""Periodic jobs of a server process: for now, writing down missed appointments.

Pages never write on a GET: they show a booked appointment whose check-in window has
passed as a no-show at once (`domain.appointments.shown_state`), and this job writes the
no-show and its event a little later. Each server process runs its own job thread;
several processes marking the same appointment is safe, because the mark is a
compare-and-set in the database (only one of them writes it).
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import datetime

from flask import Flask

from server.realtime import Hub
from server.runtime import Runtime
from server.services import appointments

log = logging.getLogger(__name__)

MISSED_INTERVAL_SECONDS = 60.0
THREAD_NAME = "scheduler"


class Scheduler:
    """Runs `run_once` every `interval` seconds on one daemon thread per process."""

    def __init__(self, runtime: Runtime, interval: float = MISSED_INTERVAL_SECONDS):
        self.runtime = runtime
        self.interval = interval
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the thread once in this process (gunicorn forks after the app is built)."""
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name=THREAD_NAME, daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread after the job it may be running (tests; a clean shutdown)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("scheduled job failed; trying again in %s s", self.interval)
            self._stop.wait(self.interval)

    def run_once(self, now: datetime | None = None) -> dict[str, list[int]]:
        """Mark missed appointments of every site; tell staff pages what changed."""
        marked: dict[str, list[int]] = {}
        for site in self.runtime.settings.sites:
            with self.runtime.db.writing() as session:
                ids = appointments.mark_missed(session, site, now)
            if ids:
                marked[site.id] = ids
                hub: Hub = self.runtime.hub
                hub.staff_notice(site, "appointments", {"site": site.id, "missed": ids})
        return marked


def init_scheduler(app: Flask, runtime: Runtime) -> None:
    """Start the periodic jobs with the first request a process serves (not when testing:
    tests run `Scheduler(runtime).run_once()` themselves, at the moment they choose)."""
    if not app.testing:
        app.before_request(Scheduler(runtime).start)
