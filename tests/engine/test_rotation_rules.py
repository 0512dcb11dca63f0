"""`expand_shift` rule details: window, event fields, DTSTART, `until`, web clipping, groups,
derived cases of UPSTREAM-CASES §11, and bounded work."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from shifts.engine.rotation import expand_shift
from shifts.engine.types import (
    CalendarType,
    Event,
    Frequency,
    ShiftSpec,
    ShiftType,
    Source,
    Window,
)
from tests.engine.test_rotation import DAY, HOUR, MIN, T0, A, B, C, shift, utc

WEDNESDAY = datetime(2025, 1, 15, 9)


def starts(spec: ShiftSpec, first: datetime, last: datetime) -> list[tuple[str, str]]:
    """(start UTC, users) of the events starting in [first, last)."""
    found = expand_shift(spec, Window(utc(first), utc(last)))
    return [
        (e.start.strftime("%Y-%m-%dT%H:%M"), "".join(e.users))
        for e in found
        if utc(first) <= e.start < utc(last)
    ]


def spans(spec: ShiftSpec, first: datetime, last: datetime) -> list[tuple[str, str, str]]:
    """(start UTC, end UTC, users) of the events meeting [first, last)."""
    found = expand_shift(spec, Window(utc(first), utc(last)))
    return [
        (e.start.strftime("%Y-%m-%dT%H:%M"), e.end.strftime("%Y-%m-%dT%H:%M"), "".join(e.users))
        for e in found
        if e.start < utc(last)
    ]


def test_event_fields_are_copied_from_the_spec() -> None:
    spec = shift(
        shift_id="OABC",
        type=ShiftType.SINGLE_EVENT,
        calendar_type=CalendarType.OVERRIDES,
        level=3,
        source=Source.TERRAFORM,
        users=("B", "A"),
    )
    assert expand_shift(spec, Window(utc(T0), utc(T0 + HOUR))) == [
        Event(
            start=utc(T0),
            end=utc(T0 + 3 * HOUR),
            users=("B", "A"),
            calendar_type=CalendarType.OVERRIDES,
            level=3,
            shift_id="OABC",
            source=Source.TERRAFORM,
        )
    ]


@pytest.mark.parametrize(
    ("at", "found"),
    [
        (T0 - MIN, False),
        (T0, True),  # an instant query includes an event starting at that instant
        (T0 + 3 * HOUR - MIN, True),
        (T0 + 3 * HOUR, False),  # ... and excludes one ending there
    ],
    ids=["before", "at start", "inside", "at end"],
)
def test_instant_window(at: datetime, found: bool) -> None:
    spec = shift(type=ShiftType.SINGLE_EVENT, users=A)
    assert bool(expand_shift(spec, Window(utc(at), utc(at)))) is found


def test_events_only_touching_the_window_start_are_left_out() -> None:
    spec = shift(type=ShiftType.RECURRENT_EVENT, frequency=Frequency.DAILY, users=A)
    assert starts(spec, T0 + 3 * HOUR, T0 + DAY) == []


@pytest.mark.parametrize(
    "spec",
    [
        shift(type=ShiftType.SINGLE_EVENT),
        shift(type=ShiftType.RECURRENT_EVENT, frequency=Frequency.DAILY),
        shift(type=ShiftType.OVERRIDE, calendar_type=CalendarType.OVERRIDES),
        shift(frequency=Frequency.DAILY, rolling_users=()),
    ],
    ids=["single", "recurrent", "override", "rolling"],
)
def test_no_users_no_events(spec: ShiftSpec) -> None:
    assert expand_shift(spec, Window(utc(T0), utc(T0 + 7 * DAY))) == []


def test_a_group_left_without_users_still_takes_its_turns_as_empty_events() -> None:
    spec = shift(frequency=Frequency.DAILY, rolling_users=(A, ()))
    assert starts(spec, T0, T0 + 3 * DAY) == [
        ("2025-01-15T09:30", "A"),
        ("2025-01-16T09:30", ""),
        ("2025-01-17T09:30", "A"),
    ]


def test_start_rotation_from_user_index_and_multi_user_groups() -> None:
    spec = shift(
        frequency=Frequency.DAILY,
        rolling_users=(("A", "B"), C, ("D",)),
        start_rotation_from_user_index=1,
    )
    assert starts(spec, T0, T0 + 4 * DAY) == [
        ("2025-01-15T09:30", "C"),
        ("2025-01-16T09:30", "D"),
        ("2025-01-17T09:30", "AB"),
        ("2025-01-18T09:30", "C"),
    ]


def test_interval_none_means_one() -> None:
    spec = shift(type=ShiftType.RECURRENT_EVENT, frequency=Frequency.DAILY, interval=None, users=A)
    assert len(starts(spec, T0, T0 + 3 * DAY)) == 3


def test_etc_utc_is_utc() -> None:
    spec = shift(time_zone="Etc/UTC", type=ShiftType.SINGLE_EVENT, users=A)
    assert starts(spec, T0, T0 + HOUR) == [("2025-01-15T09:30", "A")]


def test_der_05_back_to_back_turns_stay_separate() -> None:
    spec = shift(
        start=datetime(2025, 1, 6), duration=DAY, frequency=Frequency.DAILY, rolling_users=(A,)
    )
    assert spans(spec, datetime(2025, 1, 6), datetime(2025, 1, 9)) == [
        ("2025-01-06T00:00", "2025-01-07T00:00", "A"),
        ("2025-01-07T00:00", "2025-01-08T00:00", "A"),
        ("2025-01-08T00:00", "2025-01-09T00:00", "A"),
    ]


def test_der_07_dtstart_always_counts() -> None:
    spec = shift(
        type=ShiftType.RECURRENT_EVENT,
        start=WEDNESDAY,
        duration=HOUR,
        frequency=Frequency.WEEKLY,
        week_start="MO",
        by_day=("MO",),
        users=A,
    )
    assert starts(spec, WEDNESDAY, WEDNESDAY + 14 * DAY) == [
        ("2025-01-15T09:00", "A"),
        ("2025-01-20T09:00", "A"),
        ("2025-01-27T09:00", "A"),
    ]


def test_der_09_by_day_alignment_takes_the_first_day_in_week_order() -> None:
    spec = shift(
        start=WEDNESDAY,
        frequency=Frequency.DAILY,
        week_start="MO",
        by_day=("MO", "FR"),
        rolling_users=(A, B),
    )
    assert starts(spec, WEDNESDAY, WEDNESDAY + 14 * DAY) == [
        ("2025-01-20T09:00", "A"),
        ("2025-01-24T09:00", "B"),
        ("2025-01-27T09:00", "A"),
    ]


def test_until_is_inclusive_and_api_occurrences_keep_their_length() -> None:
    spec = shift(
        type=ShiftType.RECURRENT_EVENT,
        frequency=Frequency.DAILY,
        users=A,
        until=T0 + 2 * DAY,
    )
    assert spans(spec, T0, T0 + 5 * DAY) == [
        ("2025-01-15T09:30", "2025-01-15T12:30", "A"),
        ("2025-01-16T09:30", "2025-01-16T12:30", "A"),
        ("2025-01-17T09:30", "2025-01-17T12:30", "A"),
    ]


def test_until_is_read_as_utc_in_another_zone() -> None:
    # conformance edge-until-inside-window: 10:00 Tokyo = 01:00Z <= until 11:00 (UTC)
    spec = shift(
        type=ShiftType.RECURRENT_EVENT,
        time_zone="Asia/Tokyo",
        start=datetime(2025, 4, 7, 10),
        duration=4 * HOUR,
        frequency=Frequency.DAILY,
        interval=2,
        users=A,
        until=datetime(2025, 4, 19, 11),
    )
    assert starts(spec, datetime(2025, 4, 16), datetime(2025, 4, 25)) == [
        ("2025-04-17T01:00", "A"),
        ("2025-04-19T01:00", "A"),
    ]


def test_until_before_the_first_end_shortens_every_occurrence() -> None:
    spec = shift(
        type=ShiftType.RECURRENT_EVENT,
        frequency=Frequency.DAILY,
        users=A,
        until=T0 + HOUR,
    )
    assert spans(spec, T0, T0 + 2 * DAY) == [("2025-01-15T09:30", "2025-01-15T10:30", "A")]


def test_api_override_before_its_rotation_start_renders_nothing() -> None:
    spec = shift(type=ShiftType.OVERRIDE, users=A, rotation_start=T0 + HOUR)
    assert spans(spec, T0, T0 + DAY) == []


def test_hourly_rotation_east_of_utc_loses_turns_like_upstream() -> None:
    # conformance g1-017-calendar: after a counted turn upstream compares the next slot as an
    # instant with rotation_start read as UTC, so at +10:00 slots 1 and 3 do not count, the
    # first group gets a second turn (merged with its first one) and the fourth group none
    spec = shift(
        time_zone="Australia/Sydney",
        start=datetime(2025, 9, 21, 15),
        duration=2 * HOUR,
        frequency=Frequency.HOURLY,
        interval=2,
        by_day=("TU", "TH", "FR", "SA", "SU"),
        rolling_users=(("E",), A, ("A2",), ("FC",)),
    )
    assert starts(spec, datetime(2025, 9, 21), datetime(2025, 9, 23)) == [
        ("2025-09-21T05:00", "E"),
        ("2025-09-21T09:00", "A2"),
        ("2025-09-21T13:00", "E"),
        ("2025-09-22T15:00", "A"),
        ("2025-09-22T17:00", "A2"),
        ("2025-09-22T21:00", "E"),
        ("2025-09-22T23:00", "A"),
    ]


def test_bounded_work_for_a_ten_year_old_hourly_rule() -> None:
    spec = shift(
        type=ShiftType.RECURRENT_EVENT,
        time_zone="America/Chicago",
        start=datetime(2015, 1, 1, 9),
        duration=30 * MIN,
        frequency=Frequency.HOURLY,
        users=A,
    )
    began = time.perf_counter()
    found = expand_shift(spec, Window(utc(datetime(2025, 1, 1)), utc(datetime(2026, 1, 1))))
    assert len(found) == 8760  # the gap hour's 02:00 and 03:00 coincide (docs/time-zones.md)
    assert time.perf_counter() - began < 2


def test_bounded_work_for_a_rotation_starting_years_after_its_shift() -> None:
    spec = shift(
        start=datetime(2015, 1, 1, 9),
        rotation_start=datetime(2025, 1, 1, 9, 30),
        duration=HOUR,
        frequency=Frequency.HOURLY,
        rolling_users=(A, B, C),
    )
    began = time.perf_counter()
    found = starts(spec, datetime(2025, 1, 1, 9), datetime(2025, 1, 1, 14))
    # 87 673 hourly slots lie between the two starts: 87 673 mod 3 = 1, so B comes first
    assert found == [
        ("2025-01-01T10:00", "B"),
        ("2025-01-01T11:00", "C"),
        ("2025-01-01T12:00", "A"),
        ("2025-01-01T13:00", "B"),
    ]
    assert time.perf_counter() - began < 2


@pytest.mark.parametrize("frequency", [Frequency.HOURLY, Frequency.DAILY, Frequency.MONTHLY])
def test_a_rule_that_never_occurs_is_not_searched_for(frequency: Frequency) -> None:
    spec = shift(
        type=ShiftType.RECURRENT_EVENT,
        frequency=frequency,
        by_month=(2, 4, 6),
        by_monthday=(31, -31),
        users=A,
    )
    began = time.perf_counter()
    assert starts(spec, T0, T0 + 400 * DAY) == [("2025-01-15T09:30", "A")]  # DTSTART only
    assert time.perf_counter() - began < 1
