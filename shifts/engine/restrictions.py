"""Restriction windows: the times of day or of the week a restricted rotation may put its member
on call (docs/rotations.md#restricted-rotations).

A window is a wall-clock range read in its own zone, repeated every day (`DailyWindow`) or every
week (`WeeklyWindow`). A range whose end is not after its start wraps: past midnight for a daily
window, past the end of the week for a weekly one, so equal ends make the window last the whole
day or week. Both ends are read in the zone on their own, as every wall-clock reading is
(docs/time-zones.md): on a day the clocks change, a window lasts an hour more or less.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from itertools import chain

from shifts.engine import wallclock
from shifts.engine.intervals import Interval, merge

DAY = timedelta(days=1)
WEEK = timedelta(weeks=1)


@dataclass(frozen=True, slots=True)
class DailyWindow:
    """Every day from `start` to `end` (the next day's `end` when it is not after `start`)."""

    start: time
    end: time
    time_zone: str = "UTC"


@dataclass(frozen=True, slots=True)
class WeeklyWindow:
    """Every week from weekday `start_day` at `start` to weekday `end_day` at `end` (Monday is
    0), past the end of the week when that end is not after the start."""

    start_day: int
    start: time
    end_day: int
    end: time
    time_zone: str = "UTC"


Restriction = DailyWindow | WeeklyWindow


@dataclass(frozen=True, slots=True)
class Repetition:
    """A window on the wall clock: every `period` from a period's start, `offset` into it, for
    `length`."""

    period: timedelta
    offset: timedelta
    length: timedelta

    @classmethod
    def of(cls, window: Restriction) -> Repetition:
        if isinstance(window, WeeklyWindow):
            period, start_day, end_day = WEEK, window.start_day, window.end_day
        else:
            period, start_day, end_day = DAY, 0, 0
        offset = start_day * DAY + since_midnight(window.start)
        end = end_day * DAY + since_midnight(window.end)
        # an end not after the start wraps one period
        return cls(period, offset, end - offset if end > offset else end - offset + period)

    def period_start(self, wall: datetime) -> datetime:
        """The start of the period holding `wall`: its midnight, or its week's Monday 00:00."""
        midnight = datetime.combine(wall.date(), time())
        return midnight - wall.weekday() * DAY if self.period == WEEK else midnight


def restriction_spans(
    restrictions: tuple[Restriction, ...], lo: datetime, hi: datetime
) -> list[Interval]:
    """The instants inside any of the windows, as sorted disjoint intervals: every one that
    meets [lo, hi) (aware UTC instants), with its real bounds."""
    return merge(chain.from_iterable(window_spans(window, lo, hi) for window in restrictions))


def window_spans(window: Restriction, lo: datetime, hi: datetime) -> list[Interval]:
    """The occurrences of one window that meet [lo, hi)."""
    tz = wallclock.zone(window.time_zone)
    repetition = Repetition.of(window)
    # An occurrence meeting [lo, hi) starts less than a period before lo's wall time, and UTC
    # offsets differ by less than a day.
    first = repetition.period_start(wallclock.to_wall(lo, tz) - repetition.period - DAY)
    last = wallclock.to_wall(hi, tz) + DAY
    count = (last - first) // repetition.period + 1
    starts = (first + index * repetition.period + repetition.offset for index in range(count))
    return [
        (start, end)
        for start, end in wallclock.utc_spans(starts, repetition.length, tz)
        if start < end and start < hi and end > lo
    ]


def since_midnight(value: time) -> timedelta:
    return timedelta(
        hours=value.hour, minutes=value.minute, seconds=value.second, microseconds=value.microsecond
    )
