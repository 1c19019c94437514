"""The site configuration: one validated object loaded from config.toml."""

from __future__ import annotations

import os
import tomllib
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from server.domain import appointments as appointment_rules
from server.domain.ratelimit import parse_limit
from server.domain.retention import Periods, period_problems

LANGUAGES = ("de", "en", "ar", "ku", "ckb")
RTL_LANGUAGES = frozenset({"ar", "ckb"})
DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "config.toml"

Language = Literal["de", "en", "ar", "ku", "ckb"]


def _all_languages() -> list[Language]:
    return ["de", "en", "ar", "ku", "ckb"]


Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]


class ConfigError(Exception):
    """The configuration file cannot be used; the message names the key and the problem."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Labels(_Model):
    """A text in every language of the site."""

    de: str = Field(min_length=1)
    en: str = Field(min_length=1)
    ar: str = Field(min_length=1)
    ku: str = Field(min_length=1)
    ckb: str = Field(min_length=1)

    def get(self, language: str) -> str:
        return str(getattr(self, language, self.de))


class Target(_Model):
    """Service-level target: `percent` of tickets called within `minutes`."""

    percent: int = Field(default=80, ge=1, le=100)
    minutes: int = Field(default=20, ge=1, le=24 * 60)


class Queue(_Model):
    id: Id
    kind: Literal["reception", "back_office", "core_office"]
    name: str = Field(min_length=1, description="internal name, staff only")
    prefix: str = Field(pattern=r"^[A-Z]{1,2}$")
    zone: str = Field(min_length=1)
    target: Target = Target()
    default_service_minutes: float = Field(default=8.0, gt=0, le=240)
    daily_capacity: int | None = Field(default=None, ge=1)
    appointment_slot_minutes: int = Field(default=15, ge=5, le=240)
    appointments_per_slot: int = Field(default=0, ge=0)
    # When appointment slots are offered (local time, ISO weekdays 1 = Monday): the
    # booking form and the "next free slots" suggestions list only these slots.
    appointment_hours: tuple[time, time] = (time(8, 0), time(16, 0))
    appointment_weekdays: list[Annotated[int, Field(ge=1, le=7)]] = Field(
        default_factory=lambda: [1, 2, 3, 4, 5]
    )
    bring: Labels | None = None

    @model_validator(mode="after")
    def _hours(self) -> Queue:
        opens, closes = self.appointment_hours
        if opens >= closes:
            raise ValueError("appointment_hours: the first time must be before the second")
        return self


class Concern(_Model):
    id: Id
    icon: str = Field(pattern=r"^[a-z0-9-]+$")
    queue: Id
    label: Labels
    checkin: bool = False


class WorkItem(_Model):
    queue: Id
    weight: float = Field(default=1.0, gt=0, le=100)


class Counter(_Model):
    id: Id
    label: Labels
    zone: str = Field(min_length=1)
    serves: list[WorkItem] = Field(min_length=1)


class Kiosk(_Model):
    id: Id
    name: str = Field(min_length=1)
    printer: str | None = None
    idle_seconds: int = Field(default=30, ge=5, le=600)


class Display(_Model):
    id: Id
    name: str = Field(min_length=1)
    zones: list[str] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=_all_languages)
    recent_calls: int = Field(default=8, ge=1, le=30)
    speech: bool = True
    volume: float = Field(default=0.8, ge=0, le=1)

    def shows(self, zone: str | None) -> bool:
        """Does this display show calls and queues of `zone`? (No zones listed: all.)"""
        return not self.zones or zone in self.zones


class Printer(_Model):
    paper_width_mm: Literal[58, 80] = 80
    timeout_seconds: float = Field(default=8.0, gt=0, le=14)

    @property
    def width_px(self) -> int:
        return 384 if self.paper_width_mm == 58 else 576


class CheckinWindow(_Model):
    minutes_before: int = Field(default=60, ge=0, le=24 * 60)
    minutes_after: int = Field(default=15, ge=0, le=24 * 60)


class Privacy(_Model):
    """Retention periods in days (see server/domain/retention.py)."""

    personal_days: int = 30
    statistics_days: int = 730
    audit_days: int = 365

    def periods(self) -> Periods:
        return Periods(self.personal_days, self.statistics_days, self.audit_days)


class Site(_Model):
    id: Id
    name: str = Field(min_length=1)
    timezone: str = "Europe/Berlin"
    public_url: str = "http://127.0.0.1:5000"
    address: Labels | None = None
    priority_reasons: list[str] = Field(
        default_factory=lambda: ["disability", "pregnancy", "small children", "emergency"]
    )
    checkin: CheckinWindow = CheckinWindow()
    # Holidays and other closures: no tickets expected, the forecast gives zero.
    closed_days: list[date] = Field(default_factory=list)
    # Appointments are booked at most this many days ahead (reception may override).
    appointment_horizon_days: int = Field(default=90, ge=1, le=3650)
    # Language preference passes a ticket over for at most this long (see domain/policy).
    language_window_minutes: int = Field(default=10, ge=0, le=120)
    # Visitor-facing names of the zones (floors) queues and counters name, e.g. og2.
    zones: dict[str, Labels] = Field(default_factory=dict)
    queues: list[Queue] = Field(min_length=1)
    concerns: list[Concern] = Field(min_length=1)
    counters: list[Counter] = Field(min_length=1)
    kiosks: list[Kiosk] = Field(default_factory=list)
    displays: list[Display] = Field(default_factory=list)
    # A site may keep its data for other periods than the installation's [privacy].
    privacy: Privacy | None = None

    @model_validator(mode="after")
    def _references(self) -> Site:
        for field in ("queues", "concerns", "counters", "kiosks", "displays"):
            seen: set[str] = set()
            for index, item in enumerate(getattr(self, field)):
                if item.id in seen:
                    raise ValueError(f"{field}[{index}].id: duplicate id {item.id!r}")
                seen.add(item.id)
        queue_ids = {q.id for q in self.queues}
        for index, concern in enumerate(self.concerns):
            if concern.queue not in queue_ids:
                raise ValueError(
                    f"concerns[{index}].queue: concern {concern.id!r} is routed to "
                    f"unknown queue {concern.queue!r}"
                )
        served: set[str] = set()
        for index, counter in enumerate(self.counters):
            for item_index, item in enumerate(counter.serves):
                if item.queue not in queue_ids:
                    raise ValueError(
                        f"counters[{index}].serves[{item_index}].queue: unknown queue "
                        f"{item.queue!r}"
                    )
                served.add(item.queue)
        for index, queue in enumerate(self.queues):
            if queue.id not in served:
                raise ValueError(f"queues[{index}]: no counter serves queue {queue.id!r}")
        return self

    def queue(self, queue_id: str) -> Queue | None:
        return next((q for q in self.queues if q.id == queue_id), None)

    def concern(self, concern_id: str) -> Concern | None:
        return next((c for c in self.concerns if c.id == concern_id), None)

    def counter(self, counter_id: str) -> Counter | None:
        return next((c for c in self.counters if c.id == counter_id), None)

    def kiosk(self, kiosk_id: str) -> Kiosk | None:
        return next((k for k in self.kiosks if k.id == kiosk_id), None)

    def display(self, display_id: str) -> Display | None:
        return next((d for d in self.displays if d.id == display_id), None)

    def counters_serving(self, queue_id: str) -> list[Counter]:
        return [c for c in self.counters if any(w.queue == queue_id for w in c.serves)]

    @property
    def timezone_info(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, moment: datetime) -> datetime:
        """A moment on the site's wall clock."""
        return moment.astimezone(self.timezone_info)

    def checkin_window(self) -> appointment_rules.CheckinWindow:
        return appointment_rules.CheckinWindow(
            self.checkin.minutes_before, self.checkin.minutes_after
        )

    def slot_grid(self, queue: Queue) -> appointment_rules.SlotGrid:
        opens, closes = queue.appointment_hours
        return appointment_rules.SlotGrid(
            queue.appointment_slot_minutes,
            opens,
            closes,
            frozenset(queue.appointment_weekdays),
            self.timezone_info,
        )


class Server(_Model):
    database_url: str = "sqlite:///var/anlaufstelle.db"
    redis_url: str | None = None
    secret_key: str | None = None
    secure_cookies: bool = False
    staff_idle_minutes: int = Field(default=120, ge=5, le=24 * 60)
    login_attempts: int = Field(default=5, ge=1, le=100)
    login_window_minutes: int = Field(default=15, ge=1, le=24 * 60)
    # Connections one server process holds at once (websockets, long polls, requests):
    # each is a greenlet of the gevent worker, a few tens of KB.
    connections: int = Field(default=5000, ge=100, le=100_000)
    # Socket.IO connections that have not joined a namespace with valid auth (a display
    # id, a ticket token, a staff session): at most this many, each for at most this long.
    unjoined_sockets: int = Field(default=1000, ge=10, le=100_000)
    socket_join_seconds: float = Field(default=10, ge=1, le=300)
    # Before the gevent server, the threads of the gthread worker. Still read, so an
    # older config.toml starts, but it no longer changes anything.
    threads: int | None = Field(default=None, ge=1, le=100_000)
    sqlite_synchronous: Literal["NORMAL", "FULL"] = "FULL"
    # Reverse proxies in front (nginx: 1) whose X-Forwarded-* headers are trusted.
    trusted_proxies: int = Field(default=0, ge=0, le=5)
    # Tickets without kiosk key or staff session: per client, and for a whole site.
    anonymous_tickets: str = "10/minute"
    anonymous_tickets_site: str = "120/minute"
    # Demo only: a kiosk page opened from this machine (loopback) enrols itself.
    enrol_loopback_kiosks: bool = False

    @field_validator("anonymous_tickets", "anonymous_tickets_site")
    @classmethod
    def _limit(cls, value: str) -> str:
        parse_limit(value)
        return value


class Settings(_Model):
    """Everything config.toml says, validated."""

    server: Server = Server()
    languages: list[Language] = Field(default_factory=_all_languages)
    printer: Printer = Printer()
    sites: list[Site] = Field(min_length=1)
    privacy: Privacy = Privacy()

    @model_validator(mode="after")
    def _unique_sites(self) -> Settings:
        ids = [s.id for s in self.sites]
        for index, site_id in enumerate(ids):
            if site_id in ids[:index]:
                raise ValueError(f"sites[{index}].id: duplicate id {site_id!r}")
        # Counters, kiosks and displays are addressed by id alone (URLs, Socket.IO): one
        # id may name one thing in the whole installation, not one per site.
        for kind in ("counters", "kiosks", "displays"):
            owner: dict[str, str] = {}
            for index, site in enumerate(self.sites):
                for item_index, item in enumerate(getattr(site, kind)):
                    if item.id in owner:
                        raise ValueError(
                            f"sites[{index}].{kind}[{item_index}].id: {item.id!r} is already "
                            f"used by site {owner[item.id]!r}"
                        )
                    owner[item.id] = site.id
        for index, site in enumerate(self.sites):
            window = site.checkin.minutes_before + site.checkin.minutes_after
            for prefix, privacy in (
                ("privacy", self.privacy),
                (f"sites[{index}].privacy", site.privacy),
            ):
                if privacy is None:
                    continue
                for key, problem in period_problems(privacy.periods(), window):
                    raise ValueError(f"{prefix}.{key}: {problem} (site {site.id!r})")
        return self

    def privacy_of(self, site: Site) -> Privacy:
        return site.privacy or self.privacy

    def site(self, site_id: str) -> Site | None:
        return next((s for s in self.sites if s.id == site_id), None)

    def with_environment(self) -> Settings:
        """Apply the ANLAUFSTELLE_* environment variables over the file's values."""
        overrides = {
            "database_url": os.environ.get("ANLAUFSTELLE_DATABASE_URL"),
            "redis_url": os.environ.get("ANLAUFSTELLE_REDIS_URL"),
            "secret_key": os.environ.get("ANLAUFSTELLE_SECRET_KEY"),
            "anonymous_tickets": os.environ.get("ANLAUFSTELLE_ANONYMOUS_TICKETS"),
        }
        changed = {k: v for k, v in overrides.items() if v}
        if "anonymous_tickets" in changed:
            try:
                parse_limit(changed["anonymous_tickets"])
            except ValueError as exc:
                raise ConfigError(f"ANLAUFSTELLE_ANONYMOUS_TICKETS: {exc}") from None
        if not changed:
            return self
        return self.model_copy(update={"server": self.server.model_copy(update=changed)})


def _location(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def parse_settings(data: dict) -> Settings:
    """Validate already-parsed TOML data; errors name the key path."""
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = "unknown key"
            elif error["type"] == "missing":
                message = "missing (required)"
            location = tuple(error["loc"])
            problems.append(f"{_location(location)}: {message}" if location else message)
        raise ConfigError("\n".join(problems)) from None


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Read, parse and validate config.toml (default: $ANLAUFSTELLE_CONFIG or the repo's)."""
    location = Path(path or os.environ.get("ANLAUFSTELLE_CONFIG") or DEFAULT_CONFIG)
    try:
        raw = location.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{location}: cannot read the file ({exc.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{location}: not valid TOML: {exc}") from None
    try:
        return parse_settings(data).with_environment()
    except ConfigError as exc:
        raise ConfigError(f"{location}: {exc}") from None
