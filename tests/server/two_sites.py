"""A test installation with two sites in one database: the demo site and a copy of it."""

from __future__ import annotations

from typing import Any

from server.config import Settings, parse_settings

SECOND = "nordstadt"


def with_second_site(settings: Settings, **privacy: int) -> Settings:
    """The demo site plus `nordstadt`: same queues, own counters, kiosks and displays."""
    data: dict[str, Any] = settings.model_dump(mode="json", exclude_none=True)
    second = dict(data["sites"][0])
    second.update(id=SECOND, name="Migrationsagentur Nordstadt")
    for kind in ("counters", "kiosks", "displays"):
        second[kind] = [{**item, "id": f"n-{item['id']}"} for item in second[kind]]
    if privacy:
        second["privacy"] = privacy
    data["sites"] = [data["sites"][0], second]
    return parse_settings(data)
