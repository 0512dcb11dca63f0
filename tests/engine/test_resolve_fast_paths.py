"""`resolve` against the literal form of upstream's layering loop (§f.8), on random events.

`resolve` works one (calendar type, level) group at a time, hands a group that nothing blocks
through untouched, splits each event at every block at once (found by bisection) and sorts the
pieces into upstream's order afterwards. The reference below does none of that: one priority
queue of every event, the blocked intervals recomputed whenever the group changes, a linear
search for the first block and a copy per piece. Both must give the same final events, in the
same order.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shifts.engine import CalendarType, Event, FinalEvent, Source, Window, resolve
from shifts.engine.intervals import Interval, merge, split_at_blocks
from shifts.engine.resolve import merge_same_slot

B0 = datetime(2025, 3, 3, tzinfo=UTC)
# a coarse grid, so that starts, ends, blocks and window bounds often coincide
STEP = timedelta(hours=1)
HORIZON = 24


def at(step: int) -> datetime:
    return B0 + step * STEP


def reference_resolve(events: list[Event], window: Window) -> list[FinalEvent]:
    order = itertools.count()
    queue = [
        ((-event.calendar_type, -event.level, event.start), next(order), event)
        for event in merge_same_slot(events)
    ]
    heapq.heapify(queue)
    resolved: list[Event] = []
    blocked: list[Interval] = []
    group = None
    while queue:
        event = heapq.heappop(queue)[2]
        empty = not event.users and not event.is_gap
        if empty or not (event.start < window.end and event.end > window.start):
            continue
        if (event.calendar_type, event.level) != group:
            group = (event.calendar_type, event.level)
            blocked = merge((piece.start, piece.end) for piece in resolved)
        before, after = _linear_split((event.start, event.end), blocked)
        if before is not None and before[1] >= window.start:
            resolved.append(replace(event, start=before[0], end=before[1]))
        if after is not None and after[0] < window.end:
            piece = replace(event, start=after[0], end=after[1])
            priority = (-piece.calendar_type, -piece.level, piece.start)
            heapq.heappush(queue, (priority, next(order), piece))
    finals = [
        FinalEvent(
            start=event.start,
            end=event.end,
            users=event.users,
            calendar_type=None if event.is_gap else event.calendar_type,
            level=event.level,
            shift_id=event.shift_id,
            source=event.source,
            all_day=event.all_day,
            is_gap=event.is_gap,
        )
        for event in resolved
    ]
    return sorted(finals, key=lambda final: (final.start, final.shift_id or ""))


def _linear_split(
    interval: Interval, blocked: list[Interval]
) -> tuple[Interval | None, Interval | None]:
    start, end = interval
    for block_start, block_end in blocked:
        if end <= block_start:
            break
        if start < block_end:
            before = (start, block_start) if start < block_start else None
            return before, ((block_end, end) if end > block_end else None)
    return interval, None


@st.composite
def raw_events(draw: st.DrawFn, groups: st.SearchStrategy[tuple[CalendarType, int]]) -> list[Event]:
    """Events on an hourly grid; shift ids are shared (so §f.5.2 merging and equal final keys
    happen), some events are empty or gaps, some have no length."""
    events = []
    for number in range(draw(st.integers(min_value=0, max_value=12))):
        start = draw(st.integers(min_value=0, max_value=HORIZON))
        length = draw(st.integers(min_value=0, max_value=HORIZON // 2))
        is_gap = draw(st.integers(min_value=0, max_value=5)) == 0
        calendar_type, level = (CalendarType.PRIMARY, 0) if is_gap else draw(groups)
        users = () if is_gap else draw(st.lists(st.sampled_from("ABCD"), max_size=2, unique=True))
        events.append(
            Event(
                start=at(start),
                end=at(start + length),
                users=tuple(users),
                calendar_type=calendar_type,
                level=level,
                shift_id=draw(st.sampled_from([None, "s1", "s2", "s3", f"own{number}"])),
                source=draw(st.sampled_from([None, Source.API])),
                missing_users=tuple(draw(st.lists(st.sampled_from("xy"), max_size=1))),
                is_gap=is_gap,
            )
        )
    return events


any_group = st.tuples(st.sampled_from(CalendarType), st.integers(min_value=0, max_value=3))
one_group = st.just((CalendarType.PRIMARY, 1))


@st.composite
def windows(draw: st.DrawFn) -> Window:
    """Windows of any length, zero-length (instant) ones included."""
    start = draw(st.integers(min_value=-2, max_value=HORIZON + 2))
    length = draw(st.integers(min_value=0, max_value=HORIZON // 2))
    return Window(at(start), at(start + length))


@settings(max_examples=1000, deadline=None)
@given(raw_events(any_group), windows())
def test_layered_resolution_equals_the_literal_loop(events: list[Event], window: Window) -> None:
    assert resolve(events, window) == reference_resolve(events, window)


@settings(max_examples=300, deadline=None)
@given(raw_events(one_group), windows())
def test_a_single_group_equals_the_literal_loop(events: list[Event], window: Window) -> None:
    assert resolve(events, window) == reference_resolve(events, window)


@st.composite
def blocks(draw: st.DrawFn) -> list[Interval]:
    """Sorted, disjoint, non-touching intervals (what `merge` gives)."""
    bounds = sorted(draw(st.lists(st.integers(0, HORIZON), unique=True, max_size=12)))
    return [(at(start), at(end)) for start, end in zip(bounds[::2], bounds[1::2], strict=False)]


def _linear_split_at_blocks(
    interval: Interval, blocked: list[Interval], stop: datetime
) -> list[tuple[datetime, Interval | None]]:
    """`split_at_blocks` as upstream does it: split at the first block, again on what is left."""
    parts: list[tuple[datetime, Interval | None]] = []
    left: Interval | None = interval
    while left is not None:
        before, after = _linear_split(left, blocked)
        parts.append((left[0], before))
        left = after if after is not None and after[0] < stop else None
    return parts


@given(st.integers(0, HORIZON), st.integers(0, HORIZON // 2), blocks(), st.integers(0, HORIZON))
def test_bisected_splits_equal_a_linear_search(
    start: int, length: int, blocked: list[Interval], stop: int
) -> None:
    interval = (at(start), at(start + length))
    assert split_at_blocks(interval, blocked, at(stop)) == _linear_split_at_blocks(
        interval, blocked, at(stop)
    )


END = HORIZON + 1
SPLITS = [
    pytest.param(
        (0, 8), [(2, 3), (5, 6)], END, [(0, (0, 2)), (3, (3, 5)), (6, (6, 8))], id="two-blocks"
    ),
    pytest.param(
        (3, 8), [(2, 3), (5, 6)], END, [(3, (3, 5)), (6, (6, 8))], id="touching-block-before"
    ),
    pytest.param((2, 3), [(2, 3)], END, [(2, None)], id="exactly-blocked"),
    pytest.param((6, 9), [(2, 3), (5, 6)], END, [(6, (6, 9))], id="after-every-block"),
    pytest.param((0, 2), [(2, 3)], END, [(0, (0, 2))], id="ends-where-block-starts"),
    pytest.param((2, 5), [(2, 2)], END, [(2, (2, 5))], id="empty-block-at-start"),
    pytest.param(
        (1, 5), [(2, 2), (4, 6)], END, [(1, (1, 2)), (2, (2, 4))], id="empty-block-inside"
    ),
    pytest.param((0, 8), [(2, 3), (5, 6)], 3, [(0, (0, 2))], id="stops-at-stop"),
    pytest.param((0, 8), [(2, 3), (5, 6)], 4, [(0, (0, 2)), (3, (3, 5))], id="stops-before-stop"),
]


def hours(pair: tuple[int, int] | None) -> Interval | None:
    return None if pair is None else (B0 + timedelta(hours=pair[0]), B0 + timedelta(hours=pair[1]))


@pytest.mark.parametrize(("interval", "blocked", "stop", "expected"), SPLITS)
def test_split_at_blocks(interval, blocked, stop, expected) -> None:
    split = split_at_blocks(hours(interval), [hours(block) for block in blocked], at(stop))
    assert split == [(at(start), hours(free)) for start, free in expected]


def test_a_remainder_comes_after_the_events_starting_with_it() -> None:
    """Upstream's tie order, which random events rarely reach: A's part after the override
    starts with B, a later event of the same shift, and is processed (and listed) after it."""
    a_event = Event(at(0), at(6), ("A",), CalendarType.PRIMARY, shift_id="s1")
    b_event = Event(at(4), at(8), ("B",), CalendarType.PRIMARY, shift_id="s1")
    override = Event(at(2), at(4), ("C",), CalendarType.OVERRIDES, shift_id="o1")
    window = Window(at(0), at(8))
    final = resolve([a_event, b_event, override], window)
    assert [(event.start, event.end, event.users) for event in final] == [
        (at(0), at(2), ("A",)),
        (at(2), at(4), ("C",)),
        (at(4), at(8), ("B",)),
        (at(4), at(6), ("A",)),
    ]
    assert final == reference_resolve([a_event, b_event, override], window)
