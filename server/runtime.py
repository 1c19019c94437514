"""What a running app holds: the validated settings and the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from server.config import Settings, Site
from server.db import Database
from server.domain.errors import NotFound


@dataclass
class Runtime:
    settings: Settings
    db: Database
    # The real-time hub (server.realtime.Hub), bound by the app factory once Socket.IO is.
    hub: Any = None

    def site(self, site_id: str) -> Site:
        site = self.settings.site(site_id)
        if site is None:
            raise NotFound(f"unknown site {site_id!r}")
        return site

    def site_ids(self) -> list[str]:
        return [s.id for s in self.settings.sites]

    def find(self, kind: str, item_id: str):
        """Find a kiosk, display or counter by id across all sites: (site, item)."""
        for site in self.settings.sites:
            item = getattr(site, kind)(item_id)
            if item is not None:
                return site, item
        raise NotFound(f"unknown {kind} {item_id!r}")


def init_runtime(app: Flask, runtime: Runtime) -> None:
    app.extensions["anlaufstelle"] = runtime


def runtime(app: Flask | None = None) -> Runtime:
    """What the app holds: of the current app, or of `app` outside a request."""
    return (app or current_app).extensions["anlaufstelle"]
