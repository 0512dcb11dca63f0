"""A window answered from the resolution of a block around it is the window resolved itself:
`final_shifts` answers windows that slide inside a block from one resolution of the block."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from shifts.engine import (
    CalendarType,
    Event,
    Swaps,
    Window,
    on_call_spans_in_block,
    on_call_spans_within,
    raw_sources,
    resolve_block,
    window_spans_in_block,
)
from shifts.engine.resolve import clipped_spans
from tests.engine.test_properties import HORIZON, USERS, at
from tests.engine.test_resolve import PRIMARY, raw
from tests.engine.test_resolve import at as hour
from tests.engine.test_resolve_within import NO_USERS, shifts_in_a_block


@st.composite
def slot_events(draw: st.DrawFn) -> list[Event]:
    """Events on a 15-minute grid over two days, some of no length, sharing a few shift ids so
    that rotation slots (one shift, one start, one end) form and are merged, on random layers."""
    events = []
    for _ in range(draw(st.integers(0, 14))):
        start = draw(st.integers(0, HORIZON - 1))
        length = draw(st.sampled_from([0, 1, 2, 4, 8, 16, 40, 96]))
        event = Event(
            start=at(start),
            end=at(start + length),
            users=tuple(draw(st.lists(st.sampled_from(USERS), max_size=2, unique=True))),
            calendar_type=draw(st.sampled_from(CalendarType)),
            level=draw(st.integers(0, 2)),
            shift_id=draw(st.sampled_from([None, "S1", "S2", "S3", "S4"])),
        )
        events.append(event)
        if event.shift_id and draw(st.booleans()):
            # another user of the same slot
            events.append(replace(event, users=(draw(st.sampled_from(USERS)),)))
    return events


@st.composite
def windows_in(draw: st.DrawFn, block: Window) -> Window:
    steps = int((block.end - block.start) / (at(1) - at(0)))
    start = draw(st.integers(0, steps - 1))
    end = draw(st.integers(start + 1, steps))
    return Window(block.start + (at(start) - at(0)), block.start + (at(end) - at(0)))


BLOCK = Window(at(8), at(HORIZON - 8))  # events reach past both ends


def assert_block_answers_as_the_window(
    events: list[Event], block: Window, window: Window, swaps: Swaps | None = None
):
    resolved = resolve_block(events, block, swaps)
    if resolved is not None:
        assert on_call_spans_in_block(resolved, window) == clipped_spans(
            on_call_spans_within(events, window, swaps), window
        )


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_a_window_of_layered_events_is_answered_from_its_block(data) -> None:
    events = data.draw(slot_events())
    window = data.draw(windows_in(BLOCK))

    assert_block_answers_as_the_window(events, BLOCK, window)


@settings(max_examples=150, deadline=None)
@given(shifts_in_a_block())
def test_a_window_of_layered_shifts_is_answered_from_its_block(drawn) -> None:
    specs, window, block = drawn
    events = raw_sources(shifts=specs, calendars=[], directory=NO_USERS, window=block).events()

    assert_block_answers_as_the_window(events, block, window)


def test_a_weaker_row_split_before_the_window_starts_as_the_window_sees_it() -> None:
    # B (level 0) is blocked by A (level 1) from 10 to 12 in the block; the window from 13 never
    # sees A, so B's piece starts at 8 there and is listed before C's, which starts at 9.
    events = [
        raw("B", 8, 20, level=0, shift_id="SB"),
        raw("A", 10, 12, level=1, shift_id="SA"),
        raw("C", 9, 20, level=0, shift_id="SC"),
    ]
    block, window = Window(hour(0), hour(40)), Window(hour(13), hour(16))
    resolved = resolve_block(events, block)

    assert on_call_spans_in_block(resolved, window) == [
        (hour(13), hour(16), ("B",)),
        (hour(13), hour(16), ("C",)),
    ]
    assert_block_answers_as_the_window(events, block, window)


def test_a_slot_whose_rows_end_apart_is_not_resolved_as_a_block() -> None:
    events = [
        raw("A", 8, 10, shift_id="S1"),
        raw("B", 8, 12, shift_id="S1"),
        raw("C", 9, 11, calendar_type=PRIMARY, shift_id="S2"),
    ]

    assert resolve_block(events, Window(hour(0), hour(40))) is None
    assert resolve_block(events[:1] + events[2:], Window(hour(0), hour(40))) is not None


def test_a_row_of_no_length_is_in_a_window_only_after_its_start() -> None:
    events = [raw("A", 8, 8, shift_id="SA"), raw("B", 6, 12, shift_id="SB")]
    resolved = resolve_block(events, Window(hour(0), hour(40)))

    from_eight, from_seven = (Window(hour(start), hour(12)) for start in (8, 7))

    assert on_call_spans_in_block(resolved, from_eight) == [(hour(8), hour(12), ("B",))]
    assert on_call_spans_in_block(resolved, from_seven) == [
        (hour(7), hour(12), ("B",)),
        (hour(8), hour(8), ("A",)),
    ]
    for window in (from_eight, from_seven):
        assert_block_answers_as_the_window(events, Window(hour(0), hour(40)), window)


def test_the_middle_of_a_window_is_the_blocks_own_spans() -> None:
    # Hourly rows; the window from 10:30 to 20:30 cuts the rows at 10 and 20. The row at 10
    # crosses the window's start, so the window's spans up to its end (11) are worked out again;
    # those from 12 to 20 are the block's as they are.
    events = [raw(user, hour, hour + 1) for hour, user in zip(range(24), "ABC" * 8, strict=True)]
    resolved = resolve_block(events, Window(hour(0), hour(24)))
    window = Window(hour(10.5), hour(20.5))

    spans = window_spans_in_block(resolved, window)

    assert spans.head == [(hour(10.5), hour(11), ("B",)), (hour(11), hour(12), ("C",))]
    assert spans.block_spans[spans.middle] == [
        (hour(start), hour(start + 1), ("ABC"[start % 3],)) for start in range(12, 20)
    ]
    assert spans.tail == [(hour(20), hour(20.5), ("C",))]
    assert_block_answers_as_the_window(events, Window(hour(0), hour(24)), window)
