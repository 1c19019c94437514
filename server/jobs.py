"""Daily jobs of a serving process: a background thread; the database picks one process."""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from server.runtime import runtime as runtime_of

log = logging.getLogger(__name__)
CHECK_SECONDS = 15 * 60


def start_daily_jobs(app: Any, interval: float = CHECK_SECONDS) -> threading.Event:
    """Try the daily retention run now and every `interval` seconds; set the event to stop.

    Every worker runs this loop; the job row of the day (server.services.retention.claim)
    lets exactly one of them do the work.
    """
    from server.services import retention

    stop = threading.Event()
    runtime = runtime_of(app)

    def loop() -> None:
        while not stop.is_set():
            try:
                retention.run_if_due(runtime.db, runtime.settings)
            except SQLAlchemyError:
                log.exception("daily retention run failed; trying again later")
            stop.wait(interval)

    threading.Thread(target=loop, name="daily-jobs", daemon=True).start()
    return stop
