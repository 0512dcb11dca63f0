"""Recurrence rules on naive wall-clock datetimes, and their occurrences within a range.

Occurrences are computed on wall-clock values so that they keep their local time across DST
changes (docs/time-zones.md); the caller resolves each one to UTC.

Rules on a fixed grid (hourly, daily or weekly, at most filtered by weekday: every rotation and
nearly every recurrent shift) are computed by arithmetic, which is many times faster than
`dateutil` and gives the same occurrences (checked by a property test). The others go through
`dateutil`, whose iteration never starts further back than needed: the start is moved forward
by whole periods (weeks, months, ...) first, which leaves the set of occurrences unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate, repeat

from dateutil import rrule as du
from dateutil.relativedelta import relativedelta

from shifts.engine.types import WEEKDAYS, Frequency

_DU_FREQUENCY = {
    Frequency.HOURLY: du.HOURLY,
    Frequency.DAILY: du.DAILY,
    Frequency.WEEKLY: du.WEEKLY,
    Frequency.MONTHLY: du.MONTHLY,
}
_UNIT = {
    Frequency.HOURLY: timedelta(hours=1),
    Frequency.DAILY: timedelta(days=1),
    Frequency.WEEKLY: timedelta(weeks=1),
}
_DAYS = tuple(timedelta(days=count) for count in range(7))
_LONGEST_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def weekday_number(code: str) -> int:
    """Monday = 0 … Sunday = 6, from an iCal weekday code."""
    return WEEKDAYS.index(code)


@dataclass(frozen=True, slots=True)
class Rule:
    """An RRULE without DTSTART. Weekdays are numbers (Monday = 0); `until` is inclusive and a
    wall-clock value in the zone of the anchors the rule is used with."""

    frequency: Frequency
    interval: int = 1
    by_day: tuple[int, ...] = ()
    by_month: tuple[int, ...] = ()
    by_monthday: tuple[int, ...] = ()
    week_start: int = 6
    until: datetime | None = None

    @property
    def is_filtered(self) -> bool:
        return bool(self.by_day or self.by_month or self.by_monthday)

    @property
    def never_occurs(self) -> bool:
        """BYMONTHDAY days that none of the BYMONTH months has (30 February): dateutil would
        search for them until the year 9999, which takes seconds to minutes."""
        months = self.by_month or range(1, 13)
        return bool(self.by_monthday) and all(
            abs(day) > _LONGEST_MONTH[month - 1] for month in months for day in self.by_monthday
        )


def occurrences(rule: Rule, anchor: datetime, lo: datetime, hi: datetime) -> Iterator[datetime]:
    """Occurrences `o` of `rule` started at `anchor` with `lo <= o <= hi`, in order.

    Plain RRULE semantics: `anchor` itself is yielded only when it matches the rule (the
    "DTSTART always counts" quirk belongs to the caller).
    """
    if hi < lo or (rule.until is not None and rule.until < lo) or rule.never_occurs:
        return iter(())
    if rule.frequency in _UNIT and not (rule.by_month or rule.by_monthday):
        return _grid_occurrences(rule, anchor, lo, hi)
    return _rrule_occurrences(rule, anchor, lo, hi)


def _grid_occurrences(
    rule: Rule, anchor: datetime, lo: datetime, hi: datetime
) -> Iterator[datetime]:
    """Hourly, daily and weekly rules without month filters: every `interval` units from the
    anchor (weekly: from the start of the anchor's week, on the selected weekdays, or on the
    anchor's weekday when none is selected), dropping the days a weekday filter leaves out."""
    # dateutil drops DTSTART's microseconds, and so do its occurrences
    if anchor.microsecond:
        anchor = anchor.replace(microsecond=0)
    period = _UNIT[rule.frequency] * rule.interval
    base, weekdays = anchor, rule.by_day
    offsets: tuple[timedelta, ...] = (timedelta(0),)
    if rule.frequency is Frequency.WEEKLY:
        base = _week_start(anchor, rule.week_start)
        days = {(day - rule.week_start) % 7 for day in rule.by_day or (anchor.weekday(),)}
        offsets, weekdays = tuple(_DAYS[day] for day in sorted(days)), ()
    first = max(lo, anchor)
    last = hi if rule.until is None else min(hi, rule.until)
    period_start = base + max(0, (first - base) // period) * period
    if len(offsets) == 1 and not weekdays:
        return _every_period(period_start + offsets[0], period, first, last)
    return _filtered_periods(period_start, period, offsets, weekdays, first, last)


def _every_period(
    occurrence: datetime, period: timedelta, first: datetime, last: datetime
) -> Iterator[datetime]:
    """`occurrence` (of the period holding `first`) and one per period after it, from `first` to
    `last`: stepped by `accumulate`, without a Python step per occurrence."""
    if occurrence < first:
        occurrence += period
    if occurrence > last:
        return iter(())
    # datetime + timedelta is a datetime; the stubs want the steps of the same type as `initial`
    steps = repeat(period, (last - occurrence) // period)
    return accumulate(steps, initial=occurrence)  # type: ignore[arg-type]


def _filtered_periods(
    period_start: datetime,
    period: timedelta,
    offsets: tuple[timedelta, ...],
    weekdays: tuple[int, ...],
    first: datetime,
    last: datetime,
) -> Iterator[datetime]:
    """Each period's occurrences at `offsets`, on `weekdays` if any, from `first` to `last`."""
    while period_start <= last:
        for offset in offsets:
            occurrence = period_start + offset
            if occurrence > last:
                return
            if occurrence >= first and (not weekdays or occurrence.weekday() in weekdays):
                yield occurrence
        period_start += period


def _rrule_occurrences(
    rule: Rule, anchor: datetime, lo: datetime, hi: datetime
) -> Iterator[datetime]:
    for occurrence in _rrule(rule, anchor, lo):
        if occurrence > hi:
            return
        if occurrence >= lo:
            yield occurrence


def first_occurrence(rule: Rule, anchor: datetime, lo: datetime, hi: datetime) -> datetime | None:
    return next(occurrences(rule, anchor, lo, hi), None)


def _rrule(rule: Rule, anchor: datetime, lo: datetime) -> du.rrule:
    by_day, by_monthday = rule.by_day, rule.by_monthday
    # dateutil's implicit weekday (weekly) or day of month (monthly) is the anchor's; made
    # explicit so that a start moved to a period boundary keeps it
    if not by_day and not by_monthday:
        if rule.frequency is Frequency.WEEKLY:
            by_day = (anchor.weekday(),)
        elif rule.frequency is Frequency.MONTHLY:
            by_monthday = (anchor.day,)
    return du.rrule(
        _DU_FREQUENCY[rule.frequency],  # type: ignore[arg-type]  # one of dateutil's constants
        dtstart=_jump_start(rule, anchor, lo),
        interval=rule.interval,
        wkst=rule.week_start,
        byweekday=by_day or None,
        bymonth=rule.by_month or None,
        bymonthday=by_monthday or None,
        until=rule.until,
        cache=False,
    )


def _jump_start(rule: Rule, anchor: datetime, lo: datetime) -> datetime:
    """The latest period start at or before `lo` that lies in the same interval grid as `anchor`.

    Weekly periods begin on `week_start` and monthly ones on the 1st (so no selected day of the
    new first period is lost).
    """
    if lo <= anchor:
        return anchor
    if rule.frequency is Frequency.MONTHLY:
        months = (lo.year - anchor.year) * 12 + lo.month - anchor.month
        periods = months // rule.interval
        if periods < 1:
            return anchor
        return anchor.replace(day=1) + relativedelta(months=periods * rule.interval)
    unit = _UNIT[rule.frequency]
    base = anchor
    if rule.frequency is Frequency.WEEKLY:
        base = _week_start(anchor, rule.week_start)
    periods = (lo - base) // (unit * rule.interval)
    if periods < 1:
        return anchor
    return base + periods * rule.interval * unit


def _week_start(value: datetime, week_start: int) -> datetime:
    """The first day (at `value`'s clock time) of the week holding `value`."""
    return value - _DAYS[(value.weekday() - week_start) % 7]
