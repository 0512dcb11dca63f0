"""Properties of resolution that hold for any input (hypothesis)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from shifts.engine import CalendarType, Event, FinalEvent, Window, resolve

B0 = datetime(2025, 3, 3, tzinfo=UTC)
STEP = timedelta(minutes=15)
HORIZON = 4 * 48  # steps: two days
USERS = ("A", "B", "C", "D")


def at(step: int) -> datetime:
    return B0 + step * STEP


@st.composite
def raw_events(draw) -> list[Event]:
    """Events on a 15-minute grid; each has its own shift id, so §f.5.2 merging never applies."""
    count = draw(st.integers(min_value=0, max_value=12))
    events = []
    for number in range(count):
        start = draw(st.integers(min_value=0, max_value=HORIZON - 1))
        length = draw(st.integers(min_value=1, max_value=HORIZON // 2))
        events.append(
            Event(
                start=at(start),
                end=at(start + length),
                users=tuple(draw(st.lists(st.sampled_from(USERS), max_size=2, unique=True))),
                calendar_type=draw(st.sampled_from(CalendarType)),
                level=draw(st.integers(min_value=0, max_value=2)),
                shift_id=f"S{number:02d}",
            )
        )
    return events


@st.composite
def windows(draw) -> Window:
    start = draw(st.integers(min_value=0, max_value=HORIZON - 1))
    end = draw(st.integers(min_value=start + 1, max_value=HORIZON + 8))
    return Window(at(start), at(end))


def covers(event: Event | FinalEvent, instant: datetime) -> bool:
    return event.start <= instant < event.end


def probes(events: list[Event], window: Window) -> list[datetime]:
    """Every boundary inside the window and a point just after each (coverage is piecewise)."""
    bounds = {window.start} | {e.start for e in events} | {e.end for e in events}
    inside = [b for b in bounds if window.start <= b < window.end]
    return sorted({*inside, *(b + timedelta(minutes=1) for b in inside)} & _within(window))


def _within(window: Window) -> set[datetime]:
    steps = (window.end - window.start) // timedelta(minutes=1)
    return {window.start + timedelta(minutes=m) for m in range(steps)}


def on_call(final: list[FinalEvent], instant: datetime) -> set[tuple[str, CalendarType, int]]:
    return {
        (user, event.calendar_type, event.level)
        for event in final
        if covers(event, instant)
        for user in event.users
    }


@given(raw_events(), windows())
def test_output_is_sorted_and_meets_the_window(events: list[Event], window: Window) -> None:
    final = resolve(events, window)
    keys = [(event.start, event.shift_id or "") for event in final]
    assert keys == sorted(keys)
    for event in final:
        assert event.start < event.end
        # A piece cut by a stronger event starting exactly at W0 may end at W0 (§f.8 step 3).
        assert event.start < window.end and event.end >= window.start


@given(raw_events(), windows())
def test_covering_final_events_are_the_strongest_raw_layer(events, window) -> None:
    final = resolve(events, window)
    for instant in probes(events, window):
        raw = [e for e in events if e.users and covers(e, instant)]
        if not raw:
            assert on_call(final, instant) == set()
            continue
        top = max((e.calendar_type, e.level) for e in raw)
        expected = {
            (user, *top) for e in raw if (e.calendar_type, e.level) == top for user in e.users
        }
        assert on_call(final, instant) == expected


@given(raw_events(), windows())
def test_overrides_always_win(events, window) -> None:
    final = resolve(events, window)
    for instant in probes(events, window):
        if any(
            e.users and e.calendar_type == CalendarType.OVERRIDES
            for e in events
            if covers(e, instant)
        ):
            assert {layer for _, layer, _ in on_call(final, instant)} == {CalendarType.OVERRIDES}


@given(raw_events(), windows(), st.randoms(use_true_random=False))
def test_input_order_does_not_matter(events, window, rng: random.Random) -> None:
    shuffled = list(events)
    rng.shuffle(shuffled)
    assert resolve(shuffled, window) == resolve(events, window)


@given(raw_events(), windows(), st.integers(min_value=1, max_value=HORIZON))
def test_splitting_the_window_keeps_coverage(events, window, cut) -> None:
    middle = min(max(at(cut), window.start + STEP), window.end)
    whole = resolve(events, window)
    halves = (
        resolve(events, Window(window.start, middle)),
        resolve(events, Window(middle, window.end)),
    )
    for instant in probes(events, window):
        half = halves[0] if instant < middle else halves[1]
        assert on_call(half, instant) == on_call(whole, instant)
