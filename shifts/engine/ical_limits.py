"""What makes an iCal calendar too costly to read, and reading it at a cost bounded by the window
(docs/ical-feeds.md#limits).

The recurrence library walks a rule from its DTSTART, period by period, until it passes the
query window, and keeps searching up to the year 9999 for a rule that never matches again. So:
- rules that are malformed or can never end a search are refused (`CalendarParseError`);
- a rule without COUNT whose DTSTART lies far before the window starts later, on the same grid
  (`move_series_starts`): its occurrences in the window are the same, and the cost of a query no
  longer grows with the time since DTSTART;
- the occurrences one query may produce are counted and capped by the caller; a calendar whose
  endless series alone pass the cap is refused before any is walked (`check_least_occurrences`).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

import icalendar
from dateutil.relativedelta import relativedelta

from shifts.engine.errors import CalendarParseError

# A COUNT rule is walked from its DTSTART: its COUNT bounds the work.
MAX_COUNT = 10_000
# The occurrences one query of a calendar may produce (all its events together).
MAX_OCCURRENCES = 20_000

_STEP = {
    "HOURLY": relativedelta(hours=1),
    "DAILY": relativedelta(days=1),
    "WEEKLY": relativedelta(weeks=1),
    "MONTHLY": relativedelta(months=1),
    "YEARLY": relativedelta(years=1),
}
_UNIT = {
    "HOURLY": timedelta(hours=1),
    "DAILY": timedelta(days=1),
    "WEEKLY": timedelta(weeks=1),
}
_LONGEST_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Parts that select days within a period; without any of them the rule takes its DTSTART's.
_DAY_PARTS = ("BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY")


def check_rule(rule: icalendar.vRecur, start: date) -> None:
    """Raise `CalendarParseError` for a rule that cannot be expanded at a bounded cost."""
    frequency = _single(rule, "FREQ")
    if frequency is None:
        raise CalendarParseError("RRULE without FREQ")
    interval = _single(rule, "INTERVAL")
    if interval is not None and (not isinstance(interval, int) or interval < 1):
        raise CalendarParseError(f"RRULE INTERVAL must be a positive integer, not {interval!r}")
    count = _single(rule, "COUNT")
    if count is not None:
        if not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
            raise CalendarParseError(f"RRULE COUNT must be between 1 and {MAX_COUNT}")
        if "UNTIL" in rule:
            raise CalendarParseError("RRULE with both COUNT and UNTIL")
    if "BYSETPOS" in rule and str(frequency).upper() in {"HOURLY", "DAILY"}:
        # A position within one hour's or one day's set: all but 1 and -1 never match.
        raise CalendarParseError(f"RRULE BYSETPOS with FREQ={frequency}")
    if _never_occurs(rule):
        raise CalendarParseError("RRULE whose days never occur")
    if _weekdays_never_reached(rule, str(frequency).upper(), interval or 1, start):
        raise CalendarParseError("RRULE whose weekdays are never reached")


def move_series_starts(calendar: icalendar.Calendar, query_start: datetime) -> None:
    """Start each endless series (no COUNT) whose DTSTART is more than one period before
    `query_start` (less its duration) at the last period of its grid that still is, so that
    the occurrences from `query_start` on are the same and the walk to them is short."""
    for event in calendar.walk("VEVENT"):
        rules = event.get("RRULE")
        if rules is None or isinstance(rules, list) or "COUNT" in rules:
            continue
        start_property = event.get("DTSTART")
        if start_property is None:
            continue
        start = start_property.dt
        moved = _moved_start(rules, start, query_start - _duration(event))
        if moved is not None:
            _restart(event, rules, start, moved)


def _moved_start(rule: icalendar.vRecur, start: date, before: datetime) -> date | None:
    frequency = str(_single(rule, "FREQ")).upper()
    if frequency not in _STEP or (frequency == "HOURLY" and not isinstance(start, datetime)):
        return None
    interval = _single(rule, "INTERVAL") or 1
    periods = _periods_between(frequency, _comparable_start(start), _comparable(before, start))
    # One period less: the moved start's period may begin after its first selected days.
    periods = periods // interval - 1
    if periods < 1:
        return None
    moved = start + _STEP[frequency] * (periods * interval)
    if frequency == "MONTHLY":
        moved = moved.replace(day=1)
    elif frequency == "YEARLY":
        moved = moved.replace(month=1, day=1)
    return moved


def check_least_occurrences(
    calendar: icalendar.Calendar, start: datetime, stop: datetime, limit: int
) -> None:
    """Raise `CalendarParseError` when the plain endless series (a FREQ and an INTERVAL in UTC,
    nothing else) that run through the whole of `[start, stop)` give more than `limit`
    occurrences in it: walking the query would stop at that cap anyway, after building every
    series and walking `limit` occurrences, most of the cost of reading a large feed. Counting
    only occurrences that surely happen, this refuses no calendar the walk would read."""
    events = calendar.walk("VEVENT")
    # A UID on several VEVENTs (an edited occurrence, a duplicate) may lose occurrences.
    uids = Counter(str(event.get("UID")) for event in events)
    least = 0
    for event in events:
        if uids[str(event.get("UID"))] == 1:
            least += _least_occurrences(event, start, stop)
        if least > limit:
            raise CalendarParseError(f"more than {limit} occurrences between {start} and {stop}")


def _least_occurrences(event: icalendar.cal.Component, start: datetime, stop: datetime) -> int:
    """Occurrences of `event` that surely start in `[start, stop)`; 0 when it is not sure."""
    rule = event.get("RRULE")
    if rule is None or isinstance(rule, list) or set(rule) - {"FREQ", "INTERVAL", "WKST"}:
        return 0
    if "EXDATE" in event:
        return 0
    unit = _UNIT.get(str(_single(rule, "FREQ")).upper())
    first = event.get("DTSTART")
    first = first.dt if first is not None else None
    # UTC only: a zone's clock changes could skip a local hour.
    if unit is None or not isinstance(first, datetime) or first.tzname() != "UTC":
        return 0
    if first > start:
        return 0
    step = unit * (_single(rule, "INTERVAL") or 1)
    # The first occurrence at or after `start` comes less than a step later: at least this many
    # start before `stop`.
    return (stop - start) // step


def _periods_between(frequency: str, earlier: datetime, later: datetime) -> int:
    """Whole periods from `earlier` to `later`, never more than there are."""
    if frequency == "YEARLY":
        return later.year - earlier.year - 1
    if frequency == "MONTHLY":
        return (later.year - earlier.year) * 12 + later.month - earlier.month - 1
    return (later - earlier) // _UNIT[frequency]


def _restart(
    event: icalendar.cal.Component, rule: icalendar.vRecur, start: date, moved: date
) -> None:
    """Make the days the rule took from its DTSTART explicit, then start it at `moved`."""
    frequency = str(_single(rule, "FREQ")).upper()
    if not any(part in rule for part in _DAY_PARTS):
        if frequency == "YEARLY":
            rule.setdefault("BYMONTH", [start.month])
            rule["BYMONTHDAY"] = [start.day]
        elif frequency == "MONTHLY":
            rule["BYMONTHDAY"] = [start.day]
        elif frequency == "WEEKLY":
            rule["BYDAY"] = [_WEEKDAYS[start.weekday()]]
    end = event.get("DTEND")
    parameters = event["DTSTART"].params
    event["DTSTART"] = icalendar.vDDDTypes(moved)
    event["DTSTART"].params.update(parameters)
    if end is not None:
        end_parameters = end.params
        event["DTEND"] = icalendar.vDDDTypes(moved + (end.dt - start))
        event["DTEND"].params.update(end_parameters)


def _duration(event: icalendar.cal.Component) -> timedelta:
    if not isinstance(event, icalendar.Event):
        return timedelta(0)
    try:
        duration = event.end - event.start
    except (ValueError, TypeError, KeyError, icalendar.InvalidCalendar):
        return timedelta(0)
    return max(duration, timedelta(0)) if isinstance(duration, timedelta) else timedelta(0)


def _comparable(instant: datetime, like: date) -> datetime:
    """`instant` as a wall-clock value comparable with `like` (a date, naive or aware time)."""
    if isinstance(like, datetime) and like.tzinfo is not None:
        return instant.astimezone(like.tzinfo).replace(tzinfo=None)
    return instant.replace(tzinfo=None)


def _comparable_start(start: date) -> datetime:
    if isinstance(start, datetime):
        return start.replace(tzinfo=None)
    return datetime(start.year, start.month, start.day)


def _single(rule: icalendar.vRecur, part: str) -> Any:
    values = rule.get(part)
    if values is None:
        return None
    return values[0] if isinstance(values, list) and values else values


def _never_occurs(rule: icalendar.vRecur) -> bool:
    """BYMONTHDAY days that none of the BYMONTH months has (30 February)."""
    days = [day for day in rule.get("BYMONTHDAY", []) if isinstance(day, int)]
    months = [month for month in rule.get("BYMONTH", []) if isinstance(month, int)]
    if not days or not months or any(not 1 <= month <= 12 for month in months):
        return False
    return all(abs(day) > _LONGEST_MONTH[month - 1] for month in months for day in days)


def _weekdays_never_reached(
    rule: icalendar.vRecur, frequency: str, interval: int, start: date
) -> bool:
    """A daily rule stepping whole weeks (or an hourly one stepping whole weeks of hours) stays
    on its DTSTART's weekday: BYDAY without that weekday never matches."""
    days = rule.get("BYDAY")
    if not days:
        return False
    steps_per_week = {"DAILY": 7, "HOURLY": 7 * 24}.get(frequency)
    if steps_per_week is None or interval % steps_per_week:
        return False
    weekday = _WEEKDAYS[start.weekday()]
    return all(str(day).upper()[-2:] != weekday for day in days)
