"""Whether this process runs cooperatively (gevent) or with threads.

`anlaufstelle serve` calls patch() before Flask, SQLAlchemy, redis or psycopg are
imported (server.cli), so everything they create afterwards (locks, sockets, sleeps) is
cooperative. Tests and the other CLI commands stay unpatched and use threads.
"""

from __future__ import annotations

import sys


def patch() -> None:
    from gevent import monkey

    monkey.patch_all()


def async_mode() -> str:
    """Flask-SocketIO's mode: gevent once the process is patched, else threading."""
    monkey = sys.modules.get("gevent.monkey")
    return "gevent" if monkey is not None and monkey.is_module_patched("socket") else "threading"
