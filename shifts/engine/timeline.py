"""The engine's one entry point for "who is on call, when": expand, add gaps, resolve."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from shifts.engine.errors import CalendarParseError
from shifts.engine.gaps import detect_gaps
from shifts.engine.ical import expand_ical
from shifts.engine.resolve import resolve
from shifts.engine.rotation import expand_shift
from shifts.engine.types import CalendarText, Event, FinalEvent, ShiftSpec, UserDirectory, Window

BadCalendarHandler = Callable[[CalendarText, CalendarParseError], None]


def schedule_timeline(
    *,
    shifts: Sequence[ShiftSpec],
    calendars: Sequence[CalendarText],
    directory: UserDirectory,
    window: Window,
    with_gaps: bool = False,
    on_bad_calendar: BadCalendarHandler | None = None,
) -> list[FinalEvent]:
    """The final events of one schedule over `window` (see `resolve` for their shape).

    A calendar that cannot be parsed raises `CalendarParseError`, unless `on_bad_calendar` is
    given: it is then called with the calendar and the error (to log it) and that calendar
    contributes no events, as upstream does with a calendar it cannot read.
    """
    events: list[Event] = []
    for spec in shifts:
        events.extend(expand_shift(spec, window))
    for calendar in calendars:
        events.extend(_calendar_events(calendar, directory, window, on_bad_calendar))
    if with_gaps:
        events.extend(detect_gaps(events, window))
    return resolve(events, window)


def _calendar_events(
    calendar: CalendarText,
    directory: UserDirectory,
    window: Window,
    on_bad_calendar: BadCalendarHandler | None,
) -> list[Event]:
    try:
        return expand_ical(calendar.text, window, calendar.calendar_type, directory)
    except CalendarParseError as error:
        if on_bad_calendar is None:
            raise
        on_bad_calendar(calendar, error)
        return []
