"""Invariant 4: public channels carry no more than the screen shows.

Tickets of every queue, in every language, are issued and called while real Socket.IO
clients listen on every display, and the display's page and state endpoint are read. No
queue id or name, concern, or language may appear on them: a call is number, counter
and time; waiting is a total per zone.
"""

from __future__ import annotations

import json

import requests

from server.config import LANGUAGES
from tests.display.helpers import Recorder, issue

DISPLAY_EVENTS = ("state", "called", "waiting")


def _forbidden(site) -> set[str]:
    words = {q.id for q in site.queues} | {q.name for q in site.queues}
    for concern in site.concerns:
        words.add(concern.id)
        words.update(concern.label.get(lang) for lang in LANGUAGES)
    return words


def _values(data):
    if isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from _values(value)
    elif isinstance(data, list):
        for item in data:
            yield from _values(item)
    else:
        yield data


def test_no_public_channel_tells_queue_concern_or_language(live_server, site):
    screens = [
        Recorder(live_server.url, "/display", {"display": d.id}, DISPLAY_EVENTS).connect()
        for d in site.displays
    ]
    try:
        staff = live_server.session("clerk")
        languages = list(LANGUAGES)
        for n, concern in enumerate(site.concerns):
            if concern.checkin:
                continue
            issue(live_server.url, concern.id, languages[n % len(languages)])
        called = set()
        for counter in site.counters:
            for _ in range(50):  # bounded: the config has far fewer concerns
                answer = staff.post(f"{live_server.url}/api/v1/counters/{counter.id}/next")
                if answer.status_code == 204:
                    break
                assert answer.status_code == 200, answer.text
                called.add(answer.json()["number"])
        assert called, "no ticket was called"
        for screen in screens:
            screen.wait_for("waiting", lambda w: sum(w.values()) == 0, timeout=5)
        forbidden = _forbidden(site)
        seen: list[object] = []
        for screen in screens:
            for name in DISPLAY_EVENTS:
                seen.extend(screen.of(name))
        for display in site.displays:
            seen.append(
                requests.get(f"{live_server.url}/api/v1/displays/{display.id}/state").json()
            )
        values = [v for data in seen for v in _values(data)]
        assert not forbidden & {v for v in values if isinstance(v, str)}
        assert not set(LANGUAGES) & {v for v in values if isinstance(v, str)}
        for key in ("language", "queue", "concern", "zone", "counter_labels"):
            assert key not in values
        # The screen's own page embeds the same data: no queue ids or names there either.
        for display in site.displays:
            page = requests.get(f"{live_server.url}/display/{display.id}").text
            model = page[page.index('type="application/json"') :]
            embedded = json.loads(model[model.index(">") + 1 : model.index("</script>")])
            found = {v for v in _values(embedded) if isinstance(v, str)}
            assert not {q.id for q in site.queues} & found
            assert not {q.name for q in site.queues} & found
    finally:
        for screen in screens:
            screen.close()
