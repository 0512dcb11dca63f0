"""Reading iCal calendars into raw events (docs/ical-feeds.md).

Occurrences are produced for the query window (plus upstream's margin) only, never for a whole
endless RRULE. Times without a zone are read as UTC and `X-WR-TIMEZONE` is ignored for times
(upstream does not apply it), which is why the library's `of()` helper is not used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import icalendar
from recurring_ical_events import CalendarQuery

from shifts.engine.errors import CalendarParseError, NotACalendar
from shifts.engine.ical_limits import (
    MAX_OCCURRENCES,
    check_least_occurrences,
    check_rule,
    move_series_starts,
)
from shifts.engine.ical_users import candidate_names, event_level, match_users
from shifts.engine.types import CalendarType, Event, Source, UserDirectory, Window
from shifts.engine.window import ical_keeps, ical_query_range

_GENERATED_UID = re.compile(r"^oncall-.+-PK(?P<shift>[^-]+)-U\d+-E\d+-S(?P<source>\d+)$")
_LEGACY_UID = re.compile(r"^amixr-.+-U\d+-E\d+-S(?P<source>\d+)$")
# Meant for exported UIDs (`<shift id>-<digits>-<user id>`), but upstream only checks how the UID
# starts: "team-24-rota-a@x" and "team-24-rota-b@x" both belong to shift "team" and merge when
# they start together (conformance case g1-024-ical); "edge-if-w@x" does not match
# (edge-ical-features).
_EXPORTED_UID = re.compile(r"^(?P<shift>\w+)-\d+-\w+")
_SOURCE_CODES = {"0": Source.WEB, "1": Source.API, "2": Source.SLACK, "3": Source.TERRAFORM}

_SUB_HOURLY = {"SECONDLY", "MINUTELY"}

# All-day events end one second before midnight of their last day
# (docs/ical-feeds.md#all-day-events).
_ALL_DAY_END = time(23, 59, 59, tzinfo=UTC)


def expand_ical(
    text: str, window: Window, calendar_type: CalendarType, directory: UserDirectory
) -> list[Event]:
    """The raw events of an iCal text that fall in `window`, users matched via `directory`.

    Raises `CalendarParseError` when the text is not an iCalendar or its events cannot be
    expanded.
    """
    calendar = readable_calendar(text)
    query_start, query_stop = ical_query_range(window)
    try:
        move_series_starts(calendar, query_start)
        check_least_occurrences(calendar, query_start, query_stop, MAX_OCCURRENCES)
        query = CalendarQuery(calendar, components=("VEVENT",))
        events = [
            _event(occurrence, window, calendar_type, directory)
            for occurrence in _occurrences(query, query_start, query_stop)
        ]
    except (ValueError, KeyError, TypeError, OverflowError) as error:
        # The library and icalendar report malformed content (a VEVENT without DTSTART, a bad
        # RRULE, ...) with these, often only once the event is reached.
        raise CalendarParseError(f"cannot expand the calendar: {error!r}") from error
    return [event for event in events if event is not None]


def readable_calendar(text: str) -> icalendar.Calendar:
    """The calendar of `text` as it is read: sub-hourly series left out, every rule checked.
    Raises `CalendarParseError` for a text that is not an iCalendar or has a rule that cannot be
    expanded at a bounded cost (docs/ical-feeds.md#limits)."""
    calendar = parse_ical(text)
    try:
        _drop_sub_hourly_series(calendar)
        for event in calendar.walk("VEVENT"):
            _check_rules(event)
    except (ValueError, KeyError, TypeError) as error:
        raise CalendarParseError(f"cannot read the calendar: {error!r}") from error
    return calendar


def _check_rules(event: icalendar.cal.Component) -> None:
    rules = event.get("RRULE")
    if rules is None:
        return
    if isinstance(rules, list):
        if len(rules) > 1:
            raise CalendarParseError("an event with more than one RRULE")
        rules = rules[0]
    start = event.get("DTSTART")
    if start is None:
        raise CalendarParseError("a recurring event without DTSTART")
    check_rule(rules, start.dt)


# An occurrence: its start, its end and the VEVENT it repeats (the series' core, or the edit
# that replaces it).
_Occurrence = tuple[date, date, icalendar.Event]


def _occurrences(query: CalendarQuery, start: datetime, stop: datetime) -> Iterator[_Occurrence]:
    """The occurrences of the query between `start` and `stop`, refused beyond
    MAX_OCCURRENCES (a query's cost and memory grow with them). Read from the library's
    occurrences without making each a copy of its VEVENT, which costs most of a query."""
    produced = 0
    for series in query.series:
        for occurrence in series.between(start, stop):
            produced += 1
            if produced > MAX_OCCURRENCES:
                raise CalendarParseError(
                    f"more than {MAX_OCCURRENCES} occurrences between {start} and {stop}"
                )
            yield occurrence.start, occurrence.end, occurrence._adapter._component


def parse_ical(text: str) -> icalendar.Calendar:
    """The parsed VCALENDAR of `text`; raises `NotACalendar` for anything else."""
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as error:
        raise NotACalendar(f"not an iCalendar: {error}") from error
    if calendar.name != "VCALENDAR":
        raise NotACalendar(f"not an iCalendar: top component is {calendar.name}")
    return calendar


def _drop_sub_hourly_series(calendar: icalendar.Calendar) -> None:
    """Leave out event series with SECONDLY or MINUTELY rules (with their edited instances),
    which no on-call calendar needs; the rest of the calendar is read as usual.

    The RRULE expander walks every occurrence from DTSTART up to the window, so such a rule that
    started years ago would cost millions of steps per query.
    """
    dropped = {str(event.get("UID")) for event in calendar.walk("VEVENT") if _sub_hourly(event)}
    if dropped:
        calendar.subcomponents[:] = [
            component
            for component in calendar.subcomponents
            if component.name != "VEVENT" or str(component.get("UID")) not in dropped
        ]


def _sub_hourly(event: icalendar.Component) -> bool:
    rules = event.get("RRULE", [])
    for rule in rules if isinstance(rules, list) else [rules]:
        if {str(frequency).upper() for frequency in rule.get("FREQ", ())} & _SUB_HOURLY:
            return True
    return False


def shift_identity(
    uid: str, sequence: int | None, recurrence_id: date | None
) -> tuple[str | None, Source | None]:
    """(shift id, source) of an event, from its UID (docs/ical-feeds.md#event-identity).

    Events we or upstream generated name their shift in the UID; any other UID is the shift id
    itself, made unique per SEQUENCE and RECURRENCE-ID as upstream does.
    """
    if generated := _GENERATED_UID.match(uid):
        return generated["shift"], _SOURCE_CODES.get(generated["source"])
    if legacy := _LEGACY_UID.match(uid):
        return None, _SOURCE_CODES.get(legacy["source"])
    if exported := _EXPORTED_UID.match(uid):
        return exported["shift"], None
    shift_id = uid if sequence is None else f"{uid}_{sequence}"
    if recurrence_id is not None:
        shift_id = f"{shift_id}_{recurrence_id.isoformat()}"
    return shift_id, None


def _identity(source_event: icalendar.Event) -> tuple[str | None, Source | None]:
    """The identity of the VEVENT as written: upstream names events after it, not after the
    series' highest SEQUENCE (docs/ical-feeds.md#event-identity)."""
    uid, recurrence_id = source_event.get("UID"), source_event.get("RECURRENCE-ID")
    if uid is None:
        return None, None
    return shift_identity(
        str(uid),
        source_event.get("SEQUENCE"),
        recurrence_id.dt if recurrence_id is not None else None,
    )


def _event(
    occurrence: _Occurrence,
    window: Window,
    calendar_type: CalendarType,
    directory: UserDirectory,
) -> Event | None:
    """The raw event of one occurrence, or None when it is cancelled or outside the window."""
    start, end, source_event = occurrence
    if str(source_event.get("STATUS", "")).upper() == "CANCELLED":
        return None
    bounds = _bounds(start, end, window)
    if bounds is None:
        return None
    summary = _text(source_event.get("SUMMARY"))
    names = candidate_names(
        summary, _text(source_event.get("DESCRIPTION")), _attendees(source_event)
    )
    users, missing_users = match_users(names, directory)
    shift_id, source = _identity(source_event)
    return Event(
        start=bounds[0],
        end=bounds[1],
        users=users,
        calendar_type=calendar_type,
        level=event_level(summary),
        shift_id=shift_id,
        source=source,
        all_day=not isinstance(start, datetime),
        missing_users=missing_users,
    )


def _bounds(start: date, end: date, window: Window) -> tuple[datetime, datetime] | None:
    """UTC bounds of an occurrence kept by the window filter, or None.

    All-day events are filtered as [first midnight, last midnight) and then end at 23:59:59 of
    their last day (docs/ical-feeds.md#all-day-events).
    """
    start_instant, end_instant = _instant(start), _instant(end)
    if start_instant >= end_instant or not ical_keeps(start_instant, end_instant, window):
        return None
    if not isinstance(start, datetime):
        end_instant = datetime.combine(end - timedelta(days=1), _ALL_DAY_END)
    return start_instant, end_instant


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _attendees(occurrence: icalendar.Event) -> list[str]:
    value = occurrence.get("ATTENDEE")
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def _instant(value: date) -> datetime:
    """Aware UTC instant of an iCal time; floating times are UTC, dates their midnight UTC."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(), tzinfo=UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
