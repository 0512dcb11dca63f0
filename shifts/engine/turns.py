"""Rotations of a fixed length, optionally restricted to windows of the day or week
(docs/rotations.md#restricted-rotations).

The members take turns in order from `start`, each turn lasting the rotation's length: hours of
real time, or days and weeks on the wall clock of the rotation's zone, so that a daily or weekly
hand-over keeps its local time across a daylight saving change (docs/time-zones.md). Nobody is on
call before `start` or from `end` on. Restrictions never move a hand-over (PagerDuty's rule): the
member whose turn it is is on call only inside the windows, and a window that straddles a
hand-over belongs to each member for their part of it.

The turns meeting a window are found by arithmetic from `start`, so the work grows with the
window and the number of windows, never with the number of members or the time since `start`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from shifts.engine import wallclock
from shifts.engine.intervals import INTERVAL_END, INTERVAL_START, Interval
from shifts.engine.resolve import SPAN_END, SPAN_START, OnCallSpan
from shifts.engine.restrictions import Restriction, restriction_spans
from shifts.engine.rows import Row, ShiftOrigin, row_events
from shifts.engine.types import CalendarType, Event, Source, Window


class LengthUnit(StrEnum):
    HOURS = "hours"
    DAYS = "days"
    WEEKS = "weeks"


_UNIT = {
    LengthUnit.HOURS: timedelta(hours=1),
    LengthUnit.DAYS: timedelta(days=1),
    LengthUnit.WEEKS: timedelta(weeks=1),
}


@dataclass(frozen=True, slots=True)
class RotationSpec:
    """A rotation layer: `turns` (the users of each member's turn, in rotation order; a turn may
    put nobody on call) take turns of `length` `unit`s from the aware instant `start` until the
    aware instant `end`, on call only inside `restrictions` (none: always). Day and week
    hand-overs, and the windows, are read on the wall clock of their zones."""

    rotation_id: str
    time_zone: str
    start: datetime
    length: int
    unit: LengthUnit
    turns: tuple[tuple[str, ...], ...]
    end: datetime | None = None
    restrictions: tuple[Restriction, ...] = ()
    level: int = 0
    calendar_type: CalendarType = CalendarType.PRIMARY

    @property
    def turn_length(self) -> timedelta:
        return self.length * _UNIT[self.unit]


def expand_rotation(spec: RotationSpec, window: Window) -> list[Event]:
    """The events of `spec` that meet `window` (for an instant, start <= t < end): one per turn,
    or per part of a turn inside a restriction window, with their real bounds."""
    return row_events(rotation_rows(spec, window))


def rotation_rows(spec: RotationSpec, window: Window) -> list[Row]:
    """`expand_rotation` as rows, sorted by start."""
    if not spec.turns:
        return []
    origin = ShiftOrigin(spec.calendar_type, spec.level, spec.rotation_id, Source.API)
    turns = list(turns_meeting(spec, window))
    if spec.restrictions and turns:
        lo, hi = turns[0][SPAN_START], turns[-1][SPAN_END]
        turns = list(restricted(turns, restriction_spans(spec.restrictions, lo, hi)))
    window_start, window_end = window.start, window.end
    return [
        (start, end, users, (), origin)
        for start, end, users in turns
        # an instant window holds the turn starting at it
        if start < end and (start < window_end or start == window_start) and end > window_start
    ]


def turns_meeting(spec: RotationSpec, window: Window) -> Iterator[OnCallSpan]:
    """The turns (start, end, users) that meet `window`, cut at `start` and `end`."""
    bounds = TurnBounds.of(spec)
    index = bounds.index_near(window.start)
    turn_start = bounds.at(index)
    while turn_start <= window.end and (spec.end is None or turn_start < spec.end):
        turn_end = bounds.at(index + 1)
        if spec.end is not None and turn_end > spec.end:
            turn_end = spec.end
        if turn_end > window.start:
            yield turn_start, turn_end, spec.turns[index % len(spec.turns)]
        index, turn_start = index + 1, turn_end


@dataclass(frozen=True, slots=True)
class TurnBounds:
    """Where turn `index` of a rotation starts: `start` plus `index` lengths, on the wall clock
    of the zone for days and weeks, in real time for hours."""

    start: datetime
    length: timedelta
    # For days and weeks: the zone, and `start` on its wall clock.
    wall: tuple[ZoneInfo, datetime] | None

    @classmethod
    def of(cls, spec: RotationSpec) -> TurnBounds:
        if spec.unit is LengthUnit.HOURS:
            return cls(spec.start, spec.turn_length, None)
        tz = wallclock.zone(spec.time_zone)
        return cls(spec.start, spec.turn_length, (tz, wallclock.to_wall(spec.start, tz)))

    def at(self, index: int) -> datetime:
        if index == 0 or self.wall is None:
            # the first turn starts at `start` itself, even when its wall-clock reading is
            # ambiguous and would be read back as the other instant
            return self.start + index * self.length
        tz, wall_start = self.wall
        return wallclock.to_utc(wall_start + index * self.length, tz)

    def index_near(self, instant: datetime) -> int:
        """The index of a turn starting at or before `instant` (0 when none does), at most one
        turn before the one holding it."""
        if instant <= self.start:
            return 0
        if self.wall is None:
            return (instant - self.start) // self.length
        tz, wall_start = self.wall
        # a day on the wall clock lasts a day of real time, give or take the change of offset
        return max(0, (wallclock.to_wall(instant, tz) - wall_start) // self.length - 1)


def restricted(turns: list[OnCallSpan], windows: list[Interval]) -> Iterator[OnCallSpan]:
    """The parts of the sorted, disjoint `turns` inside the sorted, disjoint `windows`."""
    index = 0
    for turn_start, turn_end, users in turns:
        while index < len(windows) and windows[index][INTERVAL_END] <= turn_start:
            index += 1
        scan = index
        while scan < len(windows) and windows[scan][INTERVAL_START] < turn_end:
            window_start, window_end = windows[scan]
            yield max(turn_start, window_start), min(turn_end, window_end), users
            scan += 1
