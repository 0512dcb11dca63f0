"""Value types of the shift-resolution engine.

Everything here is a frozen dataclass or an enum: the engine takes these in and gives these back.
Instants are timezone-aware UTC datetimes; shift wall-clock values are naive datetimes read in the
shift's zone. Users are opaque string keys (the service passes public user ids).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum


class ShiftType(StrEnum):
    SINGLE_EVENT = "single_event"
    RECURRENT_EVENT = "recurrent_event"
    ROLLING_USERS = "rolling_users"
    OVERRIDE = "override"


class Frequency(StrEnum):
    HOURLY = "hourly"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class Source(StrEnum):
    WEB = "web"
    API = "api"
    SLACK = "slack"
    TERRAFORM = "terraform"


class CalendarType(IntEnum):
    """Layer an event belongs to: overrides beat the primary calendar whatever the level."""

    PRIMARY = 0
    OVERRIDES = 1


WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True, slots=True)
class Window:
    """Half-open interval [start, end) of aware UTC instants; start == end is an instant query."""

    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class ShiftSpec:
    """One on-call shift, already normalised by the service (effective zone, level, users).

    `start`, `rotation_start` and `until` are naive wall-clock values; `start` and `rotation_start`
    are read in `time_zone`, `until` as UTC (an upstream rule kept on purpose). `users` and the
    groups of `rolling_users` hold only users allowed to be on call.
    """

    shift_id: str
    type: ShiftType
    calendar_type: CalendarType
    time_zone: str
    start: datetime
    duration: timedelta
    level: int = 0
    source: Source = Source.API
    rotation_start: datetime | None = None
    until: datetime | None = None
    frequency: Frequency | None = None
    interval: int | None = None
    week_start: str = "SU"
    by_day: tuple[str, ...] = ()
    by_month: tuple[int, ...] = ()
    by_monthday: tuple[int, ...] = ()
    users: tuple[str, ...] = ()
    rolling_users: tuple[tuple[str, ...], ...] = ()
    start_rotation_from_user_index: int | None = None


@dataclass(frozen=True, slots=True)
class UserDirectory:
    """How iCal names map to users: exact username, or e-mail compared case-insensitively.

    Only users allowed to be on call are listed; `by_email` keys are lower-cased.
    """

    by_username: Mapping[str, str] = field(default_factory=dict)
    by_email: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CalendarText:
    """An iCalendar document (downloaded or cached) and the layer its events belong to."""

    text: str
    calendar_type: CalendarType


@dataclass(frozen=True, slots=True)
class Event:
    """An expanded occurrence of a shift or an iCal event, before resolution.

    `users` empty and `is_gap` false means an empty event: it counts as coverage for gap detection
    and is dropped by resolution.
    """

    start: datetime
    end: datetime
    users: tuple[str, ...]
    calendar_type: CalendarType
    level: int = 0
    shift_id: str | None = None
    source: Source | None = None
    all_day: bool = False
    missing_users: tuple[str, ...] = ()
    is_gap: bool = False


@dataclass(frozen=True, slots=True)
class SwapMark:
    """The user at `user_index` of a final event is there through swap `swap_id`: standing in
    for `beneficiary` when the swap is `taken`, else the beneficiary itself, whose open swap
    asks for cover (docs/resolution.md#shift-swaps)."""

    user_index: int
    swap_id: str
    beneficiary: str
    taken: bool


@dataclass(frozen=True, slots=True)
class FinalEvent:
    """A resolved piece of the final schedule (not clipped to the query window); `swaps` says
    which of its users are there through a swap."""

    start: datetime
    end: datetime
    users: tuple[str, ...]
    calendar_type: CalendarType | None
    level: int
    shift_id: str | None
    source: Source | None
    all_day: bool = False
    is_gap: bool = False
    swaps: tuple[SwapMark, ...] = ()
