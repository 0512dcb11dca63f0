"""Time on call split by the parts of the local day and week: weekday, weekend and night
(docs/hours.md#weekday-weekend-and-night).

The local days around a window are cut once into stretches that are each wholly weekday or
weekend, night or not; the time of each kind from the first stretch's start up to any instant is
then read off in a binary search, so an interval costs the same whatever it spans.
"""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
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


class Tally:
    """The time of the flagged stretches between any two instants inside them."""

    def __init__(self, starts: list[datetime], flags: list[bool]) -> None:
        self.starts = starts
        self.flags = flags
        # The time of the flagged stretches before each stretch starts.
        self.before = [NO_TIME]
        for index in range(len(starts) - 1):
            length = starts[index + 1] - starts[index]
            self.before.append(self.before[-1] + (length if flags[index] else NO_TIME))

    def until(self, instant: datetime) -> timedelta:
        index = bisect_right(self.starts, instant) - 1
        return self.before[index] + (instant - self.starts[index] if self.flags[index] else NO_TIME)

    def between(self, start: datetime, end: datetime) -> timedelta:
        return self.until(end) - self.until(start)


class DayParts:
    """Splits intervals inside `[start, end)` by the parts of the local days of `zone`."""

    def __init__(self, start: datetime, end: datetime, zone: ZoneInfo) -> None:
        parts = stretches(start.astimezone(zone).date(), end.astimezone(zone).date(), zone)
        starts = [stretch.start for stretch in parts]
        self.weekend = Tally(starts, [stretch.weekend for stretch in parts])
        self.night = Tally(starts, [stretch.night for stretch in parts])

    def of(self, start: datetime, end: datetime) -> Hours:
        """The hours of `[start, end)`, which lies inside the window."""
        total = end - start
        weekend = self.weekend.between(start, end)
        return Hours(
            total=total,
            weekday=total - weekend,
            weekend=weekend,
            night=self.night.between(start, end),
        )
