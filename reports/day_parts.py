"""Time on call split by the parts of the local day and week: weekday, weekend and night
(docs/hours.md#weekday-weekend-and-night).

The local days around a window are cut once into stretches that are each wholly weekday or
weekend, night or not; the time of each kind from the first stretch's start up to any instant is
then read off in a binary search, so an interval costs the same whatever it spans (a year of an
hourly rotation is thousands of intervals).
"""

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

NIGHT_ENDS = time(7)
NIGHT_STARTS = time(22)
SATURDAY = 5
NO_TIME = timedelta(0)


@dataclass(frozen=True, slots=True)
class Hours:
    """Time on call: `weekday` + `weekend` = `total`; `night` is part of either."""

    total: timedelta = NO_TIME
    weekday: timedelta = NO_TIME
    weekend: timedelta = NO_TIME
    night: timedelta = NO_TIME

    def __add__(self, other: "Hours") -> "Hours":
        return Hours(
            total=self.total + other.total,
            weekday=self.weekday + other.weekday,
            weekend=self.weekend + other.weekend,
            night=self.night + other.night,
        )


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of the wall-clock reading `day` `at` in `zone`. Read with `fold=0`: a
    reading that does not exist moves forward by the gap, an ambiguous one is its first
    occurrence (docs/time-zones.md), so later readings never give earlier instants."""
    return datetime.combine(day, at, zone).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Stretch:
    start: datetime
    weekend: bool
    night: bool


def stretches(first: date, last: date, zone: ZoneInfo) -> list[Stretch]:
    """The stretches of the local days `first` to `last`, then the midnight that ends them."""
    found = []
    day = first
    while day <= last:
        weekend = day.weekday() >= SATURDAY
        found += [
            Stretch(local_instant(day, time(0), zone), weekend, night=True),
            Stretch(local_instant(day, NIGHT_ENDS, zone), weekend, night=False),
            Stretch(local_instant(day, NIGHT_STARTS, zone), weekend, night=True),
        ]
        day += timedelta(days=1)
    found.append(Stretch(local_instant(day, time(0), zone), weekend=False, night=False))
    return found


class DayParts:
    """Splits intervals inside `[start, end)` by the parts of the local days of `zone`."""

    def __init__(self, start: datetime, end: datetime, zone: ZoneInfo) -> None:
        parts = stretches(start.astimezone(zone).date(), end.astimezone(zone).date(), zone)
        self.starts = [stretch.start for stretch in parts]
        self.weekend_flags = [stretch.weekend for stretch in parts]
        self.night_flags = [stretch.night for stretch in parts]
        # The weekend and night time before each stretch starts.
        self.before = [(NO_TIME, NO_TIME)]
        for stretch, following in pairwise(parts):
            length = following.start - stretch.start
            weekend, night = self.before[-1]
            self.before.append(
                (
                    weekend + length if stretch.weekend else weekend,
                    night + length if stretch.night else night,
                )
            )
        # Readings by instant: one shift's end is often the next one's start.
        self.readings: dict[datetime, tuple[timedelta, timedelta]] = {}

    def reading(self, instant: datetime) -> tuple[timedelta, timedelta]:
        """The weekend and the night time from the first stretch's start up to `instant`."""
        found = self.readings.get(instant)
        if found is None:
            index = bisect_right(self.starts, instant) - 1
            weekend, night = self.before[index]
            into = instant - self.starts[index]
            found = (
                weekend + into if self.weekend_flags[index] else weekend,
                night + into if self.night_flags[index] else night,
            )
            self.readings[instant] = found
        return found

    def of_all(self, intervals: Iterable[tuple[datetime, datetime]]) -> Hours:
        """The hours of the intervals `[start, end)` together; each lies inside the window."""
        total = weekend = night = NO_TIME
        for start, end in intervals:
            weekend_before, night_before = self.reading(start)
            weekend_after, night_after = self.reading(end)
            total += end - start
            weekend += weekend_after - weekend_before
            night += night_after - night_before
        return Hours(total=total, weekday=total - weekend, weekend=weekend, night=night)

    def of(self, start: datetime, end: datetime) -> Hours:
        return self.of_all([(start, end)])
