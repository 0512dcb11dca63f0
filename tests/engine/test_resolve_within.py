"""`raw_sources` over a block, then `resolve_within` a window of it, is `schedule_timeline`
over that window: the service caches the expansion of a block and resolves each query from it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shifts.engine import (
    CalendarText,
    CalendarType,
    UserDirectory,
    Window,
    on_call_spans_within,
    raw_sources,
    resolve_within,
    schedule_timeline,
)
from tests.engine.test_ical_fixtures import DIRECTORY, FIXTURES
from tests.engine.test_properties import raw_events
from tests.engine.test_properties import windows as grid_windows
from tests.engine.test_resolve import PRIMARY, at, raw, window
from tests.engine.test_rotation_properties import shifts, windows

NO_USERS = UserDirectory(by_username={})


@st.composite
def layered_shifts(draw: st.DrawFn):
    """One to three shifts on random layers, with distinct ids."""
    specs = draw(st.lists(shifts(), min_size=1, max_size=3))
    return [
        replace(
            spec,
            shift_id=f"S{number}",
            calendar_type=draw(st.sampled_from(CalendarType)),
            level=draw(st.integers(0, 2)),
        )
        for number, spec in enumerate(specs)
    ]


@st.composite
def shifts_in_a_block(draw: st.DrawFn):
    """Layered shifts, a window of them (not an instant) and a longer block around it."""
    specs = draw(layered_shifts())
    window = draw(windows(specs[0]))
    if window.start == window.end:
        window = Window(window.start, window.start + timedelta(hours=1))
    before, after = (timedelta(hours=draw(st.integers(0, 24 * 40))) for _ in range(2))
    return specs, window, Window(window.start - before, window.end + after)


@settings(max_examples=150, deadline=None)
@given(shifts_in_a_block())
def test_a_window_resolved_from_a_longer_expansion_is_the_window_itself(drawn) -> None:
    specs, window, block = drawn

    expanded = raw_sources(shifts=specs, calendars=[], directory=NO_USERS, window=block).events()

    assert resolve_within(expanded, window) == schedule_timeline(
        shifts=specs, calendars=[], directory=NO_USERS, window=window
    )


@given(raw_events(), grid_windows())
def test_events_outside_the_window_change_nothing(events, window) -> None:
    inside = [e for e in events if e.start < window.end and e.end > window.start]

    assert resolve_within(events, window) == resolve_within(inside, window)


@given(raw_events(), grid_windows(), st.booleans())
def test_on_call_spans_are_the_final_events_that_are_not_gaps(events, window, with_a_gap) -> None:
    if with_a_gap and events:
        events = [*events[1:], replace(events[0], users=(), is_gap=True)]

    spans = on_call_spans_within(events, window)

    assert spans == [
        (event.start, event.end, event.users)
        for event in resolve_within(events, window)
        if not event.is_gap
    ]


def test_a_gap_gives_no_on_call_span() -> None:
    events = [raw("A", 8, 10), replace(raw("", 10, 12), users=(), is_gap=True)]

    assert on_call_spans_within(events, window(8, 12)) == [(at(8), at(10), ("A",))]


def test_only_events_meeting_the_window_are_resolved() -> None:
    events = [raw("A", 8, 10), raw("B", 9, 11), raw("C", 12, 13)]

    resolved = resolve_within(events, window(10, 12))

    assert [(e.start, e.end, e.users) for e in resolved] == [(at(9), at(11), ("B",))]


@pytest.mark.parametrize(
    ("start_hours", "length_hours"), [(0, 24 * 31), (24 * 5 + 9, 30), (24 * 19 + 15, 24 * 9)]
)
def test_a_calendar_resolves_within_a_longer_expansion_as_over_the_window(
    start_hours, length_hours
) -> None:
    # A recurring series with an exception, an edited instance, all-day and single events.
    text = (FIXTURES / "google.ics").read_text()
    calendars = [CalendarText(text=text, calendar_type=PRIMARY)]
    start = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(hours=start_hours)
    query = Window(start, start + timedelta(hours=length_hours))
    block = Window(datetime(2024, 12, 1, tzinfo=UTC), datetime(2025, 4, 1, tzinfo=UTC))
    sources = {"shifts": [], "calendars": calendars, "directory": DIRECTORY}

    resolved = resolve_within(raw_sources(**sources, window=block).events(), query)

    assert resolved == schedule_timeline(**sources, window=query)
    assert resolved, "the calendar has events in every query window"
