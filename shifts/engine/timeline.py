"""The engine's one entry point for "who is on call, when": expand, add gaps, resolve."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from shifts.engine.errors import CalendarParseError
from shifts.engine.gaps import detect_gaps_in_rows
from shifts.engine.ical import expand_ical
from shifts.engine.resolve import OnCallSpan, on_call_spans, resolve_rows
from shifts.engine.rotation import shift_rows
from shifts.engine.rows import ROW_END, ROW_START, RawEvents, Row, SomeEvents, event_rows
from shifts.engine.swaps import Swaps
from shifts.engine.turns import RotationSpec, rotation_rows
from shifts.engine.types import CalendarText, Event, FinalEvent, ShiftSpec, UserDirectory, Window
from shifts.engine.window import overlaps

BadCalendarHandler = Callable[[CalendarText, CalendarParseError], None]


def schedule_timeline(
    *,
    shifts: Sequence[ShiftSpec],
    calendars: Sequence[CalendarText],
    directory: UserDirectory,
    window: Window,
    rotations: Sequence[RotationSpec] = (),
    with_gaps: bool = False,
    on_bad_calendar: BadCalendarHandler | None = None,
    swaps: Swaps | None = None,
) -> list[FinalEvent]:
    """The final events of one schedule over `window` (see `resolve` for their shape), with its
    `swaps` applied.

    A calendar that cannot be parsed raises `CalendarParseError`, unless `on_bad_calendar` is
    given: it is then called with the calendar and the error (to log it) and that calendar
    contributes no events, as upstream does with a calendar it cannot read.
    """
    rows = _source_rows(shifts, calendars, directory, window, on_bad_calendar)
    rows.extend(_rotation_rows(rotations, window))
    if with_gaps:
        rows.extend(event_rows(detect_gaps_in_rows(rows, window)))
    return resolve_rows(rows, window, swaps)


def raw_sources(
    *,
    shifts: Sequence[ShiftSpec],
    calendars: Sequence[CalendarText],
    directory: UserDirectory,
    window: Window,
    rotations: Sequence[RotationSpec] = (),
    on_bad_calendar: BadCalendarHandler | None = None,
) -> RawEvents:
    """The raw events of one schedule that meet `window` (and a few just outside it), each with
    its real bounds: expanding over a larger window gives the same events and more. They are
    kept as the engine works on them (`.events()` builds them): the raw events of the shifts,
    in their order, then those of the calendars and of the rotations. Joining the raw events
    of parts of the sources in that order (`RawEvents.joined`) gives the same."""
    rows = _source_rows(shifts, calendars, directory, window, on_bad_calendar)
    return RawEvents((*rows, *_rotation_rows(rotations, window)))


def raw_shift_events(spec: ShiftSpec, window: Window) -> RawEvents:
    """The raw events of one shift over `window`, as `raw_sources` has them."""
    return RawEvents(tuple(shift_rows(spec, window)))


def resolve_within(
    events: SomeEvents, window: Window, swaps: Swaps | None = None
) -> list[FinalEvent]:
    """The final events over `window` from raw events expanded over a larger window: the same
    as `schedule_timeline` over `window` (without gaps), which only ever sees these events."""
    return resolve_rows(_rows_within(events, window), window, swaps)


def on_call_spans_within(
    events: SomeEvents, window: Window, swaps: Swaps | None = None
) -> list[OnCallSpan]:
    """`resolve_within` as (start, end, users) of its events that are not gaps."""
    return on_call_spans(_rows_within(events, window), window, swaps)


def _rows_within(events: SomeEvents, window: Window) -> list[Row]:
    if isinstance(events, RawEvents):
        return [row for row in events.rows if overlaps(row[ROW_START], row[ROW_END], window)]
    return event_rows(event for event in events if overlaps(event.start, event.end, window))


def _source_rows(
    shifts: Sequence[ShiftSpec],
    calendars: Sequence[CalendarText],
    directory: UserDirectory,
    window: Window,
    on_bad_calendar: BadCalendarHandler | None,
) -> list[Row]:
    rows: list[Row] = []
    for spec in shifts:
        rows.extend(shift_rows(spec, window))
    for calendar in calendars:
        rows.extend(event_rows(_calendar_events(calendar, directory, window, on_bad_calendar)))
    return rows


def _rotation_rows(rotations: Sequence[RotationSpec], window: Window) -> list[Row]:
    """The rows of rotation layers of a fixed length, restricted or not
    (docs/rotations.md#restricted-rotations)."""
    return [row for rotation in rotations for row in rotation_rows(rotation, window)]


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
