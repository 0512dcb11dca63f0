"""Rotation slots of a `rolling_users` shift (docs/rotations.md#rotations, kept rule for rule).

Slots are naive wall-clock datetimes in the shift's zone and are stepped on the wall clock, so a
DST change never makes a slot skip or overlap (docs/time-zones.md).

`rotation_start` and `until` are naive values read as UTC. Upstream compares them with a slot in
one of two ways, depending on the slot before it (recorded behaviour, conformance case
g1-017-calendar): a slot reached from a slot that did not count carries a UTC label, so the
comparison is wall clock against the naive values (`RotationPlan.plain`); a slot reached from a
counted slot carries the shift's zone, so the comparison is between instants
(`RotationPlan.zoned`: the same limits seen on the zone's wall clock). For a UTC shift the two
agree; in a zone east of UTC an hourly rotation loses turns because of it.
"""

from __future__ import annotations

import calendar
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from shifts.engine.recurrence import Rule, first_occurrence, occurrences
from shifts.engine.types import Frequency

_PLAIN_UNIT = {Frequency.HOURLY: timedelta(hours=1), Frequency.DAILY: timedelta(days=1)}
# An unfiltered hourly/daily step is closed-form when the next occurrence lies inside the search
# horizon (at least 28 days long); only then are uncounted slots skipped in one go.
_MAX_PLAIN_STEP = timedelta(days=28)


@dataclass(frozen=True, slots=True)
class Limits:
    """`rotation_start` and `until` as wall-clock values to compare slot starts with."""

    rotation_start: datetime
    until: datetime | None


@dataclass(frozen=True, slots=True)
class RotationPlan:
    """What the slot walk needs; `rule` has the shift's own interval, its `until` is unused
    (each comparison takes it from the limits in force)."""

    start: datetime
    rule: Rule
    duration: timedelta
    group_count: int
    web: bool
    plain: Limits
    zoned: Limits


@dataclass(frozen=True, slots=True)
class Turn:
    """Group number `group` (in the rotated group list) is on call from `start` and at every
    further occurrence of `rule` started there (upstream's per-group seed event). `limits` are
    the ones its slot was compared with, plain or zoned; its end is compared with their `until`
    the same way (docs/rotations.md#until)."""

    start: datetime
    group: int
    rule: Rule
    limits: Limits


def rotation_turns(plan: RotationPlan) -> list[Turn]:
    """The seed turns of a rotation: one per group, or the daily-by-day weekly pattern."""
    first = _first_slot(plan)
    if first is None:
        return []
    if plan.rule.by_day:
        first = _align_to_selected_day(first, plan.rule)
    if plan.rule.frequency is Frequency.DAILY and plan.rule.by_day:
        return _daily_by_day_turns(plan, first)
    return _walk(plan, first)


def turn_counts(
    start: datetime, duration: timedelta, rotation_start: datetime, *, web: bool
) -> bool:
    """Whether a turn starting at `start` is real rather than one before the rotation start:
    for web shifts it must still be running then, for the others start at or after it."""
    if web:
        return start + duration > rotation_start
    return start >= rotation_start


def _counts(plan: RotationPlan, limits: Limits, start: datetime) -> bool:
    return turn_counts(start, plan.duration, limits.rotation_start, web=plan.web)


def _first_slot(plan: RotationPlan) -> datetime | None:
    start, limits = plan.start, plan.plain
    if start == limits.rotation_start:
        return start
    period_end = {
        Frequency.WEEKLY: _end_of_week(start, plan.rule.week_start),
        Frequency.MONTHLY: _end_of_month(start),
    }.get(plan.rule.frequency)
    # hourly/daily: the shift's own start is always its first occurrence
    if period_end is None:
        found = None
    else:
        found = _search(plan, limits, plan.rule, start, (start, period_end))
    return _within_until(limits, found or start)


def _align_to_selected_day(slot: datetime, rule: Rule) -> datetime:
    """Move to the first selected weekday in week order from `week_start` (not the nearest)."""
    if slot.weekday() in rule.by_day:
        return slot
    week_order = [(rule.week_start + i) % 7 for i in range(7)]
    target = next(day for day in week_order if day in rule.by_day)
    return slot + timedelta(days=(target - slot.weekday()) % 7)


def _walk(plan: RotationPlan, first: datetime) -> list[Turn]:
    """Slot j belongs to group j mod N; slots before the rotation start are stepped over but
    still use up their group's turn (docs/rotations.md#walking-the-slots)."""
    group_rule = replace(
        plan.rule, interval=plan.rule.interval * plan.group_count, until=plan.zoned.until
    )
    turns: list[Turn] = []
    slot: datetime | None = first
    limits, index = plan.plain, 0
    while slot is not None:
        if _counts(plan, limits, slot):
            turns.append(Turn(slot, index % plan.group_count, group_rule, limits))
            if len(turns) == plan.group_count:
                break
            limits = plan.zoned
            slot, index = _next_slot(plan, limits, plan.rule, slot), index + 1
        else:
            limits = plan.plain
            slot, index = _skip_uncounted(plan, slot, index)
    return turns


def _skip_uncounted(plan: RotationPlan, slot: datetime, index: int) -> tuple[datetime | None, int]:
    """Step past a slot that does not count, and past the uncounted ones after it when that can
    be done without a step per slot (bounded work when `rotation_start` lies far after `start`).
    Returns the next slot to look at and its index."""
    rule, limits = plan.rule, plan.plain
    unit = _PLAIN_UNIT.get(rule.frequency)
    if unit is None:
        return _next_slot(plan, limits, rule, slot), index + 1
    if rule.is_filtered:
        return _skip_along_rule(plan, slot, index)
    step = unit * rule.interval
    if plan.web:  # first k with slot + k*step + duration > rotation_start
        steps = max(1, (limits.rotation_start - plan.duration - slot) // step + 1)
    else:  # first k with slot + k*step >= rotation_start
        steps = max(1, -((slot - limits.rotation_start) // step))
    target = slot + steps * step
    if step > _MAX_PLAIN_STEP or (limits.until is not None and target > limits.until):
        # the fallback step may apply; walk those slots one by one
        return _next_slot(plan, limits, rule, slot), index + 1
    return target, index + steps


def _skip_along_rule(plan: RotationPlan, slot: datetime, index: int) -> tuple[datetime | None, int]:
    """Hourly/daily: while each occurrence lies within the search horizon of the one before, the
    slots after `slot` are simply the rule's next occurrences; read them from one iterator."""
    limits, unit = plan.plain, _PLAIN_UNIT[plan.rule.frequency]
    rule = _with_until(plan.rule, limits.until)
    horizon_end = limits.rotation_start + unit * rule.interval + timedelta(days=31)
    previous = slot
    for occurrence in occurrences(rule, slot, slot + unit, horizon_end):
        if occurrence > previous + unit + timedelta(days=_days_in_month(previous)):
            break
        index += 1
        if _counts(plan, limits, occurrence):
            return occurrence, index
        previous = occurrence
    return _next_slot(plan, limits, plan.rule, previous), index + 1


def _next_slot(plan: RotationPlan, limits: Limits, rule: Rule, slot: datetime) -> datetime | None:
    """The slot after `slot`, or None once the rotation has ended
    (docs/rotations.md#the-next-slot)."""
    if rule.frequency in _PLAIN_UNIT:
        lo = slot + _PLAIN_UNIT[rule.frequency]
        hi = lo + timedelta(days=_days_in_month(slot))
        found = first_occurrence(_with_until(rule, limits.until), slot, lo, hi)
    else:
        lo, hi = _next_period(slot, rule)
        found = _search(plan, limits, rule, slot, (lo, hi))
    # nothing in the search range: upstream falls back to the range start
    # (docs/rotations.md#the-next-slot)
    return _within_until(limits, found or lo)


def _next_period(slot: datetime, rule: Rule) -> tuple[datetime, datetime]:
    """First and last day (at the slot's clock time) of the week/month `interval` periods on."""
    if rule.frequency is Frequency.WEEKLY:
        days_to_week_start = (rule.week_start - slot.weekday() - 1) % 7 + 1
        lo = slot + timedelta(days=days_to_week_start, weeks=rule.interval - 1)
        return lo, lo + timedelta(days=6)
    lo = slot.replace(day=1) + relativedelta(months=rule.interval)
    return lo, _end_of_month(lo)


def _search(
    plan: RotationPlan,
    limits: Limits,
    rule: Rule,
    anchor: datetime,
    span: tuple[datetime, datetime],
) -> datetime | None:
    """First counting occurrence in `span` (inclusive) of `rule` started at `anchor`, the anchor
    included (upstream's recurrence library always counts DTSTART)."""
    lo, hi = span
    rule = _with_until(rule, limits.until)
    candidates: Iterator[datetime] = occurrences(rule, anchor, lo, hi)
    if lo <= anchor <= hi and (rule.until is None or anchor <= rule.until):
        candidates = itertools.chain((anchor,), candidates)
    return next((o for o in candidates if _counts(plan, limits, o)), None)


def _with_until(rule: Rule, until: datetime | None) -> Rule:
    """`rule` ending at `until`; the same rule when it already does (`replace` is costly, and
    this runs for every slot stepped)."""
    return rule if rule.until == until else replace(rule, until=until)


def _within_until(limits: Limits, slot: datetime) -> datetime | None:
    if limits.until is not None and slot > limits.until:
        return None
    return slot


def _daily_by_day_turns(plan: RotationPlan, first: datetime) -> list[Turn]:
    """Each group keeps `interval` consecutive selected days
    (docs/rotations.md#daily-rotations-on-selected-days). The assignment is walked day by day
    until a (group, weekday, position) combination repeats; every combination met on a date
    becomes a weekly turn on its weekday, repeating every `weeks` weeks. Upstream steps these
    days in the shift's zone, hence the zoned limits."""
    by_day, day_rule = plan.rule.by_day, replace(plan.rule, interval=1)
    dated: dict[tuple[int, int, int], tuple[datetime, Limits]] = {}
    undated: set[tuple[int, int, int]] = set()
    day: datetime | None = first
    limits = plan.plain  # the first day is the aligned first slot, every later one a step away
    weekday: int | None = None  # of the last combination met
    for group, position in _turns(plan.group_count, plan.rule.interval):
        if day is None:
            # the rotation has ended: the walk goes on without dates, over the selected days
            # in their listed order, until a combination repeats
            weekday = (
                by_day[0] if weekday is None else by_day[(by_day.index(weekday) + 1) % len(by_day)]
            )
            key = (group, weekday, position)
            if key in dated or key in undated:
                break
            undated.add(key)
            continue
        if day.weekday() in by_day:
            key = (group, day.weekday(), position)
            if key in dated:
                break
            dated[key], weekday = (day, limits), day.weekday()
        day, limits = _next_slot(plan, plan.zoned, day_rule, day), plan.zoned
    # whole weeks to hold every combination, dated or not (rounded down, at least 1)
    weeks = max(1, (len(dated) + len(undated)) // len(by_day))
    weekly = replace(plan.rule, frequency=Frequency.WEEKLY, interval=weeks, until=plan.zoned.until)
    return [
        Turn(start, group, replace(weekly, by_day=(weekday,)), limits)
        for (group, weekday, _), (start, limits) in dated.items()
    ]


def _turns(group_count: int, interval: int) -> Iterator[tuple[int, int]]:
    """(group, position within the group's run of days), cycling forever."""
    for group in itertools.cycle(range(group_count)):
        for position in range(interval):
            yield group, position


def _days_in_month(value: datetime) -> int:
    return calendar.monthrange(value.year, value.month)[1]


def _end_of_month(value: datetime) -> datetime:
    return value.replace(day=_days_in_month(value))


def _end_of_week(value: datetime, week_start: int) -> datetime:
    return value + timedelta(days=6 - (value.weekday() - week_start) % 7)
