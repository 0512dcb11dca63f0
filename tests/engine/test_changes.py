"""`on_call_changes`: the instants where the set of users on call changes, and why
(docs/oncall-events.md#change-instants)."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shifts.engine import (
    CalendarType,
    ChangeCause,
    FinalEvent,
    OnCallChange,
    SwapMark,
    on_call_changes,
    users_at,
)

T0 = datetime(2026, 3, 2, tzinfo=UTC)


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


def event(start: float, end: float, *users: str, override: bool = False) -> FinalEvent:
    layer = CalendarType.OVERRIDES if override else CalendarType.PRIMARY
    return FinalEvent(hours(start), hours(end), users, layer, 0, "O1", None)


ROTATION, OVERRIDE, SWAP = ChangeCause.ROTATION, ChangeCause.OVERRIDE, ChangeCause.SWAP


def swapped(start: float, end: float, benefactor: str, *, taken: bool = True) -> FinalEvent:
    """A piece of a's turn that a's swap gives `benefactor` (a itself while it is open)."""
    marks = (SwapMark(0, "SSR1", "a", taken),)
    return FinalEvent(
        hours(start), hours(end), (benefactor,), CalendarType.PRIMARY, 0, "O1", None, swaps=marks
    )


SCENARIOS = {
    "a hand-over": (
        [event(0, 8, "a"), event(8, 16, "b")],
        (),
        [(0, ("a",), ROTATION), (8, ("b",), ROTATION), (16, (), ROTATION)],
    ),
    "back to back, same person: no change": (
        [event(0, 8, "a"), event(8, 16, "a")],
        ("a",),
        [(16, (), ROTATION)],
    ),
    "overlap adds, then removes": (
        [event(0, 10, "a"), event(5, 15, "b")],
        ("a",),
        [(5, ("a", "b"), ROTATION), (10, ("b",), ROTATION), (15, (), ROTATION)],
    ),
    "an override in and out": (
        [event(0, 4, "a"), event(4, 6, "c", override=True), event(6, 10, "a")],
        ("a",),
        [(4, ("c",), OVERRIDE), (6, ("a",), OVERRIDE), (10, (), ROTATION)],
    ),
    "empty and gap events put nobody on call": (
        [
            event(0, 4, "a"),
            FinalEvent(hours(4), hours(6), (), None, 0, None, None, is_gap=True),
            event(6, 9, "a"),
        ],
        ("a",),
        [(4, (), ROTATION), (6, ("a",), ROTATION), (9, (), ROTATION)],
    ),
    "the set before is taken as given": ([event(-2, 4, "a")], ("b",), [(4, (), ROTATION)]),
    "a taken swap's benefactor in and out": (
        [event(0, 4, "a"), swapped(4, 6, "x"), event(6, 10, "a")],
        ("a",),
        [(4, ("x",), SWAP), (6, ("a",), SWAP), (10, (), ROTATION)],
    ),
    "an open swap's pieces change nobody": (
        [event(0, 4, "a"), swapped(4, 6, "a", taken=False), event(6, 10, "a")],
        ("a",),
        [(10, (), ROTATION)],
    ),
    "an override wins over a swap": (
        [swapped(0, 4, "x"), event(4, 6, "c", override=True)],
        ("x",),
        [(4, ("c",), OVERRIDE), (6, (), OVERRIDE)],
    ),
}


@pytest.mark.parametrize(("events", "before", "expected"), SCENARIOS.values(), ids=SCENARIOS.keys())
def test_changes(events, before, expected):
    changes = on_call_changes(events, hours(-1), hours(20), before)
    assert changes == [OnCallChange(hours(at), users, cause) for at, users, cause in expected]


def test_only_instants_inside_after_and_until_count():
    events = [event(0, 8, "a"), event(8, 16, "b")]
    assert on_call_changes(events, hours(0), hours(8), ("a",)) == [
        OnCallChange(hours(8), ("b",), ROTATION)
    ]


spans = st.lists(
    st.tuples(st.integers(0, 40), st.integers(1, 12), st.sets(st.sampled_from("abc"), max_size=2)),
    max_size=12,
)


@given(spans, st.integers(0, 30), st.integers(1, 30))
def test_replaying_the_changes_gives_who_is_on_call_at_every_instant(drawn, after, length):
    events = [event(start, start + size, *sorted(users)) for start, size, users in drawn]
    start, until = hours(after), hours(after + length)
    before = users_at(events, start)
    changes = on_call_changes(events, start, until, before)
    assert [change.at for change in changes] == sorted({change.at for change in changes})
    for step in range(2 * length + 1):
        instant = start + timedelta(minutes=30 * step)
        latest = [change.users for change in changes if change.at <= instant]
        assert set(latest[-1] if latest else before) == set(users_at(events, instant))
