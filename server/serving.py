"""Production serving: gunicorn with one threaded worker that also carries Socket.IO.

Flask-SocketIO without eventlet/gevent runs on gunicorn's `gthread` worker with
simple-websocket. Each open websocket holds one thread for its lifetime, so `threads`
must exceed the peak number of sockets (displays, phones, staff pages) plus headroom
for plain HTTP. Several workers mean several such servers behind a reverse proxy with
sticky sessions and the Redis message queue (see deploy/ and README.md).
"""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


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


def serve(app: Any, host: str, port: int, threads: int, on_worker_start: Any | None = None) -> None:
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
            "worker_class": "gthread",
            "threads": threads,
            "timeout": 60,
            "graceful_timeout": 10,
            "keepalive": 5,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "info",
            # Several servers on one box (one per worker) must not fight over one socket.
            "control_socket_disable": True,
            "post_worker_init": (lambda _worker: on_worker_start()) if on_worker_start else None,
        },
    ).run()
