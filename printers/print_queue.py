"""Print tickets on a background thread, so that a kiosk request never waits for a printer."""

import logging
import queue
import threading
from collections.abc import Callable, Hashable

from PIL import Image

from .errors import PrinterError, PrinterUnavailable
from .printing import print_image

logger = logging.getLogger(__name__)

_STOP = object()


class PrintQueue:
    """A daemon thread printing submitted jobs one after another.

    on_success(job_id) or on_failure(job_id, error) is called on that thread after each job,
    error being a PrinterError; they should be quick and must be thread-safe (for example:
    record the outcome in the database with a session of their own). Jobs are printed in the
    order submitted; one printer that hangs delays the next job by at most timeout + a second.
    """

    def __init__(
        self,
        on_success: Callable[[Hashable], object],
        on_failure: Callable[[Hashable, PrinterError], object],
        *,
        timeout: float = 10.0,
        max_pending: int = 100,
    ) -> None:
        self._on_success = on_success
        self._on_failure = on_failure
        self._timeout = timeout
        self._max_pending = max_pending
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._pending = 0
        self._stopped = False
        self._idle = threading.Condition()
        self._thread = threading.Thread(target=self._work, name="PrintQueue", daemon=True)
        self._thread.start()

    def submit(self, job_id: Hashable, image: Image.Image, uri: str) -> None:
        """Queue image for printing at uri and return at once; do not change image afterwards.

        Raises PrinterUnavailable when max_pending jobs are already waiting (the printers are
        that far behind, so the visitor is better served by the number on screen) and
        RuntimeError after stop().
        """
        with self._idle:
            if self._stopped:
                raise RuntimeError("the print queue is stopped")
            if self._pending >= self._max_pending:
                raise PrinterUnavailable(f"{self._pending} tickets are waiting to be printed")
            self._pending += 1
        self._jobs.put((job_id, image, uri))

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until every submitted job is done; return False if timeout ran out first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def stop(self, timeout: float | None = None) -> bool:
        """Print what is queued, then end the thread; return False if it is still running."""
        with self._idle:
            if not self._stopped:
                self._stopped = True
                self._jobs.put(_STOP)
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _work(self) -> None:
        while (item := self._jobs.get()) is not _STOP:
            job_id, image, uri = item
            try:
                print_image(image, uri, self._timeout)
            except PrinterError as exc:
                self._call(self._on_failure, job_id, exc)
            except Exception as exc:  # e.g. a malformed image; the kiosk must still hear of it
                error = PrinterError(f"print job {job_id!r} failed: {exc!r}")
                error.__cause__ = exc
                self._call(self._on_failure, job_id, error)
            else:
                self._call(self._on_success, job_id)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def _call(self, callback: Callable[..., object], *args: object) -> None:
        try:
            callback(*args)
        except Exception:  # a failing callback must not stop the printing of later tickets
            logger.exception("print queue callback %r failed", callback)
