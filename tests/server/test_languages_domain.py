"""Language codes, presence and interpreter needs as rules, without app or database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from server.domain import languages, presence
from server.domain.errors import Conflict, Forbidden, InvalidInput
from server.domain.presence import Presence

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


def test_language_codes_are_iso_639_codes_cldr_knows_in_one_spelling():
    assert languages.parse_list("de, ar,ckb,fa,tr,ru,uk,ar") == [
        "de",
        "ar",
        "ckb",
        "fa",
        "tr",
        "ru",
        "uk",
    ]
    assert languages.canonical("deu") == "de" and languages.canonical("kmr") == "ku"
    assert languages.joined([]) == "" and languages.parse_list(None) == []
    with pytest.raises(InvalidInput):
        languages.joined(["ckb"] * 1 + [f"x{i:02d}" for i in range(20)])
    for bad in ("xx", "de_DE", "", "arabic", "1a"):
        with pytest.raises(InvalidInput):
            languages.canonical(bad)


def test_a_language_is_named_in_german_and_in_itself():
    assert languages.display_names("ar") == {"code": "ar", "name": "Arabisch", "native": "العربية"}
    assert languages.display_names("tr")["native"] == "Türkçe"


def test_an_interpreter_need_is_unmet_when_no_open_counter_of_the_queue_speaks_it():
    speakers = languages.speakers_by_queue([(["a", "b"], ["de", "ar"]), (["b"], ["ckb"])])
    assert not languages.need_unmet("a", "ar", speakers)
    assert languages.need_unmet("a", "ckb", speakers)
    assert not languages.need_unmet("b", "ckb", speakers)
    assert languages.need_unmet("c", "de", speakers)
    with pytest.raises(Conflict):
        languages.check_need_settable("done", {"done", "no_show", "cancelled"})
    languages.check_need_settable("waiting", {"done"})


def test_presence_holds_for_the_day_it_was_set():
    assert presence.state_now(None, None, NOW, "Europe/Berlin") is Presence.CLOSED
    assert (
        presence.state_now("open", NOW - timedelta(hours=2), NOW, "Europe/Berlin") is Presence.OPEN
    )
    yesterday = NOW - timedelta(days=1)
    assert presence.state_now("open", yesterday, NOW, "Europe/Berlin") is Presence.CLOSED
    with pytest.raises(InvalidInput):
        presence.parse("lunch")
    with pytest.raises(presence.CounterOnBreak):
        presence.check_may_call(Presence.BREAK)
    presence.check_may_call(Presence.CLOSED)


def test_staff_act_only_at_counters_of_their_sites():
    presence.check_site("musterstadt", None)  # no site limits: every site
    presence.check_site("musterstadt", ["musterstadt"])
    with pytest.raises(Forbidden):
        presence.check_site("musterstadt", ["nebenstelle"])
