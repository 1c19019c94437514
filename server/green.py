"""Whether this process runs cooperatively (gevent) or with threads.

`anlaufstelle serve` calls patch() before Flask, SQLAlchemy, redis or psycopg are
imported (server.cli), so everything they create afterwards (locks, sockets, sleeps) is
cooperative. Tests and the other CLI commands stay unpatched and use threads.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def patch() -> None:
    from gevent import monkey

    monkey.patch_all()


def async_mode() -> str:
    """Flask-SocketIO's mode: gevent once the process is patched, else threading."""
    monkey = sys.modules.get("gevent.monkey")
    return "gevent" if monkey is not None and monkey.is_module_patched("socket") else "threading"


def off_the_hub(function: Callable[..., T], *args: Any) -> T:
    """Run CPU-heavy work (a PDF letter: ~0.2 s in FreeType) in a real thread under gevent,
    where the C code releases the GIL and the other greenlets go on; else just run it."""
    if async_mode() != "gevent":
        return function(*args)
    import gevent

    return gevent.get_hub().threadpool.apply(function, args)


def native_lock() -> Any:
    """A lock of the operating system, for code that off_the_hub runs in real threads: a
    patched threading.Lock belongs to gevent's hub and deadlocks between real threads."""
    if async_mode() != "gevent":
        return threading.Lock()
    from gevent import monkey

    return monkey.get_original("_thread", "allocate_lock")()
