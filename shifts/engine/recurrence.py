"""Recurrence rules on naive wall-clock datetimes, expanded with `dateutil.rrule`.

Occurrences are computed on wall-clock values so that they keep their local time across DST
changes (DECISIONS D2); the caller resolves each one to UTC. Iteration never starts further back
than needed: for rules with a fixed period (hourly, daily, weekly) the start is moved forward by
whole periods before iterating, which leaves the set of occurrences unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil import rrule as du

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
        return
    for occurrence in _rrule(rule, anchor, lo):
        if occurrence > hi:
            return
        if occurrence >= lo:
            yield occurrence


def first_occurrence(rule: Rule, anchor: datetime, lo: datetime, hi: datetime) -> datetime | None:
    return next(occurrences(rule, anchor, lo, hi), None)


def _rrule(rule: Rule, anchor: datetime, lo: datetime) -> du.rrule:
    by_day = rule.by_day
    if rule.frequency is Frequency.WEEKLY and not by_day and not rule.by_monthday:
        # made explicit so that a start moved to a week boundary keeps the anchor's weekday
        by_day = (anchor.weekday(),)
    return du.rrule(
        _DU_FREQUENCY[rule.frequency],
        dtstart=_jump_start(rule, anchor, lo),
        interval=rule.interval,
        wkst=rule.week_start,
        byweekday=by_day or None,
        bymonth=rule.by_month or None,
        bymonthday=rule.by_monthday or None,
        until=rule.until,
        cache=False,
    )


def _jump_start(rule: Rule, anchor: datetime, lo: datetime) -> datetime:
    """The latest period start at or before `lo` that lies in the same interval grid as `anchor`.

    Weekly periods begin on `week_start` (so no selected day of the new first week is lost);
    monthly rules are iterated from the anchor (at most a few hundred occurrences a decade).
    """
    unit = _UNIT.get(rule.frequency)
    if unit is None or lo <= anchor:
        return anchor
    base = anchor
    if rule.frequency is Frequency.WEEKLY:
        base = anchor - timedelta(days=(anchor.weekday() - rule.week_start) % 7)
    periods = (lo - base) // (unit * rule.interval)
    if periods < 1:
        return anchor
    return base + periods * rule.interval * unit
