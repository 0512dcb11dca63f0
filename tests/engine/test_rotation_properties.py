"""Properties of `expand_shift` over random shifts and windows (hypothesis)."""

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


def _optional_set(values: st.SearchStrategy[int]) -> st.SearchStrategy[tuple[int, ...]]:
    return st.one_of(st.just(()), st.lists(values, unique=True, min_size=1, max_size=4).map(tuple))


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
    groups = draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, max_size=4))
    until = draw(st.one_of(st.none(), st.integers(1, 120).map(lambda d: timedelta(days=d))))
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
        by_month=draw(_optional_set(st.integers(1, 12))),
        by_monthday=by_monthday,
        users=tuple(groups) if kind is ShiftType.RECURRENT_EVENT else (),
        rolling_users=tuple((user,) for user in groups) if kind is ShiftType.ROLLING_USERS else (),
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


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_a_window_sees_what_an_expansion_from_the_beginning_sees(data: st.DataObject) -> None:
    spec = data.draw(shifts())
    window = data.draw(windows(spec))
    from_beginning = Window(utc(spec.start) - timedelta(days=2), window.end)
    assert [e for e in expand_shift(spec, window) if meets(e, window)] == [
        e for e in expand_shift(spec, from_beginning) if meets(e, window)
    ]


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
    instant = window.start + (window.end - window.start) * data.draw(st.floats(0, 1))
    instant = instant.replace(microsecond=0)
    covering = [e for e in expand_shift(spec, window) if e.start <= instant < e.end]
    assert covering == [
        e for e in expand_shift(spec, Window(instant, instant)) if e.start <= instant < e.end
    ]


def _one_step(plan: slots.RotationPlan, slot: datetime, index: int):
    return slots._next_slot(plan, plan.plain, plan.rule, slot), index + 1


@settings(max_examples=100, deadline=None)
@given(spec=shifts(), late=st.integers(0, 24 * 90).map(lambda h: timedelta(hours=h)))
def test_skipping_uncounted_slots_equals_stepping_one_by_one(
    spec: ShiftSpec, late: timedelta
) -> None:
    assume(spec.type is ShiftType.ROLLING_USERS)
    spec = replace(spec, rotation_start=spec.start + late)
    window = Window(utc(spec.start), utc(spec.start + late + timedelta(days=40)))
    skipping = expand_shift(spec, window)
    with mock.patch.object(slots, "_skip_uncounted", _one_step):
        assert expand_shift(spec, window) == skipping
