"""Production serving: gunicorn with one gevent worker that also carries Socket.IO.

Each connection (a display's or phone's websocket, a long poll, a request) is a
greenlet, so an idle or slow client costs memory (tens of KB), not one of a few hundred
threads. `anlaufstelle serve` monkey-patches the standard library before anything else
is imported (server.cli, server.green), so SQLAlchemy's pool, the SQLite write gate, psycopg (which
waits cooperatively once it sees the patch), redis-py, python-escpos's sockets and our
background threads all become cooperative. Limits against clients that hold on:

- a request's headers must arrive within `keepalive` seconds (gunicorn's async worker
  reads them under that timeout), and each read or write on a client socket gives up
  after CLIENT_TIMEOUT_S, so a body that never finishes is dropped too;
- Socket.IO connections that never join a namespace are capped and closed
  (server.socket_gate);
- `connections` bounds what one process holds at once.

Several processes mean several such servers behind a reverse proxy with sticky sessions
and the Redis message queue (see deploy/ and README.md). In-process tests and CLI
commands are not patched and run Flask-SocketIO's threading mode.
"""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

KEEPALIVE_S = 5  # also the time a client has to send a request's headers
CLIENT_TIMEOUT_S = 30  # one read or write on a client socket (a websocket waits in select)


def _worker_class() -> type:
    from gunicorn.workers.base_async import AsyncWorker
    from gunicorn.workers.ggevent import GeventWorker

    class Worker(GeventWorker):
        """gunicorn's gevent worker with a timeout on every client socket."""

        def handle(self, listener: Any, client: Any, addr: Any) -> None:
            # GeventWorker.handle would make the socket blocking without any timeout.
            client.settimeout(CLIENT_TIMEOUT_S)
            AsyncWorker.handle(self, listener, client, addr)

    return Worker


class Server(BaseApplication):
    def __init__(self, app: Any, options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application


def serve(
    app: Any, host: str, port: int, connections: int, on_worker_start: Any | None = None
) -> None:
    """Serve until stopped; `on_worker_start` runs in the worker, after gunicorn forked it.

    Background threads must start there: a thread started before the fork would be
    lost in the worker, and a lock it held at that moment would stay held forever.
    """
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    Server(
        app,
        {
            "bind": bind,
            "workers": 1,  # Socket.IO state lives in the process: scale with more servers
            "worker_class": _worker_class(),
            "worker_connections": connections,
            "backlog": 2048,
            "timeout": 60,
            # On stop, requests in flight get this long; websockets never finish by themselves
            # and reconnect to the next process, so waiting longer only delays a restart.
            "graceful_timeout": 3,
            "keepalive": KEEPALIVE_S,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "info",
            # Several servers on one box (one per worker) must not fight over one socket.
            "control_socket_disable": True,
            "post_worker_init": (lambda _worker: on_worker_start()) if on_worker_start else None,
        },
    ).run()
