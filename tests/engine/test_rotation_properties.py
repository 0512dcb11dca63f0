"""Properties of `expand_shift` over random shifts and windows (hypothesis).

Each compares a fast path with the plain one: a window expanded on its own against an expansion
from the shift's start, an instant query against a window query, uncounted rotation slots
skipped in one go against stepping them one by one. They run over random shifts, and again over
demanding rotations: groups of several users, `interval` above 1 with
`start_rotation_from_user_index` above 0, and months selected with `by_month`."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from unittest import mock

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shifts.engine import slots
from shifts.engine.rotation import expand_shift
from shifts.engine.types import WEEKDAYS, Event, Frequency, ShiftSpec, ShiftType, Source, Window
from tests.engine.test_rotation import shift, utc

ZONES = ("UTC", "America/Chicago", "Europe/London", "Australia/Sydney", "Asia/Kolkata")
minutes = st.integers(min_value=0, max_value=60 * 24 * 3).map(lambda m: timedelta(minutes=m))


USERS = st.sampled_from(["A", "B", "C"])
groups_of_users = st.lists(USERS, unique=True, min_size=1, max_size=2).map(tuple)


def _optional_set(values: st.SearchStrategy[int]) -> st.SearchStrategy[tuple[int, ...]]:
    return st.one_of(st.just(()), st.lists(values, unique=True, min_size=1, max_size=4).map(tuple))


def _months(start: datetime) -> st.SearchStrategy[tuple[int, ...]]:
    """No month filter, a random one, or one that keeps the start's month (which a random
    filter rarely does, and without it a rotation seldom has a turn in a window)."""
    chosen = _optional_set(st.integers(1, 12))
    return st.one_of(chosen, chosen.map(lambda months: tuple(sorted({start.month, *months}))))


@st.composite
def shifts(draw: st.DrawFn) -> ShiftSpec:
    start = draw(st.datetimes(datetime(2024, 1, 1), datetime(2025, 12, 31)))
    start = start.replace(second=0, microsecond=0)
    kind = draw(st.sampled_from([ShiftType.RECURRENT_EVENT, ShiftType.ROLLING_USERS]))
    frequency = draw(st.sampled_from(Frequency))
    interval = draw(st.integers(1, 3))
    by_day = tuple(draw(st.lists(st.sampled_from(WEEKDAYS), unique=True, max_size=7)))
    by_monthday = draw(_optional_set(st.integers(-3, 31).filter(bool)))
    rolling_daily = kind is ShiftType.ROLLING_USERS and frequency is Frequency.DAILY
    # combinations the API refuses for daily rotations (UPSTREAM-BEHAVIOUR §c.2)
    assume(not (rolling_daily and (by_monthday or (by_day and interval > len(by_day)))))
    groups = draw(st.lists(groups_of_users, min_size=1, max_size=4))
    until = draw(st.one_of(st.none(), st.integers(1, 120).map(lambda d: timedelta(days=d))))
    rolling = kind is ShiftType.ROLLING_USERS
    return shift(
        type=kind,
        time_zone=draw(st.sampled_from(ZONES)),
        start=start,
        duration=draw(minutes.filter(bool)),
        source=draw(st.sampled_from(Source)),
        rotation_start=start + draw(minutes) * draw(st.integers(0, 4)),
        until=None if until is None else start + until,
        frequency=frequency,
        interval=interval,
        week_start=draw(st.sampled_from(WEEKDAYS)),
        by_day=by_day,
        by_month=draw(_months(start)),
        by_monthday=by_monthday,
        users=() if rolling else tuple(user for group in groups for user in group),
        rolling_users=tuple(groups) if rolling else (),
        start_rotation_from_user_index=draw(st.none() | st.integers(0, len(groups) - 1))
        if rolling
        else None,
    )


@st.composite
def demanding_rotations(draw: st.DrawFn) -> ShiftSpec:
    """Rotations of two to four groups, at least one of several users, an interval above 1,
    starting from a group other than the first, and (half the time) months selected that
    include the start's."""
    spec = draw(shifts())
    groups = draw(st.lists(groups_of_users, min_size=1, max_size=3))
    groups = [draw(st.lists(USERS, unique=True, min_size=2, max_size=3).map(tuple)), *groups]
    interval = draw(st.integers(2, 3))
    by_day, by_monthday = spec.by_day, spec.by_monthday
    if spec.frequency is Frequency.DAILY:
        # combinations the API refuses for daily rotations (UPSTREAM-BEHAVIOUR §c.2)
        by_monthday = ()
        by_day = by_day if interval <= len(by_day) else ()
    by_month = tuple(sorted({spec.start.month, *spec.by_month})) if draw(st.booleans()) else ()
    return replace(
        spec,
        type=ShiftType.ROLLING_USERS,
        users=(),
        rolling_users=tuple(draw(st.permutations(groups))),
        start_rotation_from_user_index=draw(st.integers(1, len(groups) - 1)),
        interval=interval,
        by_day=by_day,
        by_monthday=by_monthday,
        by_month=by_month,
    )


@st.composite
def windows(draw: st.DrawFn, spec: ShiftSpec) -> Window:
    offset = timedelta(hours=draw(st.integers(-48, 24 * 120)))
    length = timedelta(hours=draw(st.integers(0, 24 * 20)))
    start = utc(spec.start) + offset
    return Window(start, start + length)


def meets(event: Event, window: Window) -> bool:
    if window.start == window.end:
        return event.start <= window.start < event.end
    return event.start < window.end and event.end > window.start


def _a_window_sees_what_an_expansion_from_the_beginning_sees(
    spec: ShiftSpec, window: Window
) -> None:
    from_beginning = Window(utc(spec.start) - timedelta(days=2), window.end)
    assert [e for e in expand_shift(spec, window) if meets(e, window)] == [
        e for e in expand_shift(spec, from_beginning) if meets(e, window)
    ]


def _an_instant_query_agrees_with_a_window_query(
    spec: ShiftSpec, window: Window, fraction: float
) -> None:
    instant = window.start + (window.end - window.start) * fraction
    instant = instant.replace(microsecond=0)
    covering = [e for e in expand_shift(spec, window) if e.start <= instant < e.end]
    assert covering == [
        e for e in expand_shift(spec, Window(instant, instant)) if e.start <= instant < e.end
    ]


def _one_step(plan: slots.RotationPlan, slot: datetime, index: int):
    return slots._next_slot(plan, plan.plain, plan.rule, slot), index + 1


def _skipping_uncounted_slots_equals_stepping_one_by_one(spec: ShiftSpec, late: timedelta) -> None:
    spec = replace(spec, rotation_start=spec.start + late)
    window = Window(utc(spec.start), utc(spec.start + late + timedelta(days=40)))
    skipping = expand_shift(spec, window)
    with mock.patch.object(slots, "_skip_uncounted", _one_step):
        assert expand_shift(spec, window) == skipping


late_hours = st.integers(0, 24 * 90).map(lambda h: timedelta(hours=h))


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_a_window_sees_what_an_expansion_from_the_beginning_sees(data: st.DataObject) -> None:
    spec = data.draw(shifts())
    _a_window_sees_what_an_expansion_from_the_beginning_sees(spec, data.draw(windows(spec)))


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_events_are_sorted_utc_non_empty_and_meet_the_window(data: st.DataObject) -> None:
    spec = data.draw(shifts())
    window = data.draw(windows(spec))
    events = expand_shift(spec, window)
    assert events == sorted(events, key=lambda e: (e.start, e.end, e.users))
    for event in events:
        assert event.start.tzinfo is UTC and event.end.tzinfo is UTC
        assert event.start < event.end
        assert event.start <= window.end and event.end > window.start


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_an_instant_query_agrees_with_a_window_query(data: st.DataObject) -> None:
    spec = data.draw(shifts())
    window = data.draw(windows(spec))
    _an_instant_query_agrees_with_a_window_query(spec, window, data.draw(st.floats(0, 1)))


@settings(max_examples=100, deadline=None)
@given(spec=shifts(), late=late_hours)
def test_skipping_uncounted_slots_equals_stepping_one_by_one(
    spec: ShiftSpec, late: timedelta
) -> None:
    assume(spec.type is ShiftType.ROLLING_USERS)
    _skipping_uncounted_slots_equals_stepping_one_by_one(spec, late)


@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_demanding_rotations_a_window_sees_what_an_expansion_from_the_beginning_sees(
    data: st.DataObject,
) -> None:
    spec = data.draw(demanding_rotations())
    _a_window_sees_what_an_expansion_from_the_beginning_sees(spec, data.draw(windows(spec)))


@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_demanding_rotations_an_instant_query_agrees_with_a_window_query(
    data: st.DataObject,
) -> None:
    spec = data.draw(demanding_rotations())
    window = data.draw(windows(spec))
    _an_instant_query_agrees_with_a_window_query(spec, window, data.draw(st.floats(0, 1)))


@settings(max_examples=50, deadline=None)
@given(spec=demanding_rotations(), late=late_hours)
def test_demanding_rotations_skipping_uncounted_slots_equals_stepping_one_by_one(
    spec: ShiftSpec, late: timedelta
) -> None:
    _skipping_uncounted_slots_equals_stepping_one_by_one(spec, late)
