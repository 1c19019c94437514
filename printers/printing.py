"""Send one ticket image to one printer and come back within the timeout, whatever happens."""

import logging
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

from PIL import Image

from .errors import PrinterError, PrinterPaperOut, PrinterUnavailable

if TYPE_CHECKING:
    from collections.abc import Callable

    from escpos.escpos import Escpos

    from .backends import PrinterAddress

logger = logging.getLogger(__name__)

# Time on top of timeout for building the job and closing the connection before the watchdog
# gives up on the printer.
GRACE_SECONDS = 1.0


def print_image(image: Image.Image, uri: str, timeout: float = 10.0) -> None:
    """Print image on the printer at uri; return once the printer has taken the whole job.

    Raises PrinterConfigError for a bad URI or an image too wide for the printer,
    PrinterUnavailable when the printer refuses, is not found or does not take the job in
    time, and PrinterPaperOut when it reports no paper. Returns or raises within
    timeout + GRACE_SECONDS: the printer is driven by a daemon thread that is abandoned when it
    hangs (a USB or device-file write can block for ever).
    """
    if not timeout > 0:
        raise ValueError(f"timeout must be positive, got {timeout}")
    # python-escpos configures the root logger (logging.basicConfig) and makes a temporary
    # folder when first imported; importing it here, on the first print, instead of when the
    # app imports printers leaves the app's own logging set-up in charge.
    from .backends import parse_uri
    from .escpos_job import build_job

    address = parse_uri(uri)
    job = build_job(image, max_width_px=address.width_px, cut=address.cut)
    errors: list[PrinterError] = []
    attempt = (address, job, timeout, errors)
    if not _in_own_thread(_attempt, attempt, timeout + GRACE_SECONDS, uri):
        raise PrinterUnavailable(f"printer {uri} did not take the ticket within {timeout:g} s")
    if errors:
        raise errors[0]


# Under gevent: real threads per printer (see _in_own_thread), at most this many each.
THREADS_PER_PRINTER = 2
_pools: dict[str, Any] = {}
_pools_lock = threading.Lock()


def _pool(uri: str) -> Any:
    from gevent.threadpool import ThreadPool

    with _pools_lock:
        if uri not in _pools:
            _pools[uri] = ThreadPool(THREADS_PER_PRINTER)
        return _pools[uri]


def _in_own_thread(target: "Callable[..., None]", args: tuple, wait: float, uri: str) -> bool:
    """Run target in an operating-system thread; False if it is still running after wait.

    A thread that hangs is abandoned. Under gevent (`anlaufstelle serve`) a patched
    threading.Thread would be a greenlet, and a USB write blocking in C would stop the
    whole server with it, so there the job goes to a small pool of real threads of this
    printer's own: a jammed printer can use up its own threads, never those of the other
    printers or of gevent's shared pool (letters, workbooks). A job that waited out its
    time behind hung ones is dropped instead of printing late.
    """
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None and monkey.is_module_patched("threading"):
        import gevent

        deadline = time.monotonic() + wait

        def in_time() -> None:
            if time.monotonic() < deadline:
                target(*args)

        try:
            # spawn() itself waits while all of the printer's threads hang: bound both.
            with gevent.Timeout(wait):
                _pool(uri).spawn(in_time).get()
        except gevent.Timeout:
            return False
        return True
    thread = threading.Thread(target=target, args=args, name="print", daemon=True)
    thread.start()
    thread.join(wait)
    return not thread.is_alive()


def _attempt(
    address: "PrinterAddress", job: bytes, timeout: float, errors: list[PrinterError]
) -> None:
    """Open, send, check paper, close; put the error into errors instead of raising."""
    from .backends import can_read_status, open_printer

    try:
        printer = open_printer(address, timeout)
        try:
            try:
                printer._raw(job)
            except OSError as exc:
                raise PrinterUnavailable(
                    f"printer {address.uri} did not take the ticket: {exc or 'timed out'}"
                ) from exc
            if can_read_status(address):
                _check_paper(printer, address.uri)
        finally:
            _close(printer, address.uri)
    except PrinterError as exc:
        errors.append(exc)
    except Exception as exc:  # a bug or an odd driver error must reach the caller as well
        error = PrinterError(f"printing on {address.uri} failed: {exc!r}")
        error.__cause__ = exc
        errors.append(error)


def _check_paper(printer: "Escpos", uri: str) -> None:
    """Raise PrinterPaperOut if the printer says so; no answer means all is well."""
    try:
        status = printer.paper_status()
    except OSError:
        logger.debug("printer %s did not answer the paper status query", uri)
        return
    if status == 0:
        raise PrinterPaperOut(f"printer {uri} reports that it has no paper")
    if status == 1:
        logger.warning("printer %s reports its paper is running low", uri)


def _close(printer: "Escpos", uri: str) -> None:
    try:
        printer.close()
    except Exception:  # the job is sent or already failed; a close error changes neither
        logger.warning("closing printer %s failed", uri, exc_info=True)
