"""Weekday, weekend and night hours in a zone (docs/hours.md#weekday-weekend-and-night): cases
around DST changes, and properties of any split."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.day_parts import DayParts, Hours

H = timedelta(hours=1)


def utc(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=UTC)


def hours(total: float, weekday: float, weekend: float, night: float) -> Hours:
    return Hours(total=total * H, weekday=weekday * H, weekend=weekend * H, night=night * H)


CASES = {
    "a utc weekday": ("UTC", utc(2026, 3, 24), utc(2026, 3, 25), hours(24, 24, 0, 9)),
    "friday night into saturday": (
        "UTC",
        utc(2026, 3, 27, 20),
        utc(2026, 3, 28, 8),
        hours(12, 4, 8, 9),
    ),
    "sunday night into monday": (
        "UTC",
        utc(2026, 3, 29, 20),
        utc(2026, 3, 30, 8),
        hours(12, 8, 4, 9),
    ),
    "the spring-forward night in berlin": (
        "Europe/Berlin",
        utc(2026, 3, 28, 21),  # Saturday 22:00 CET
        utc(2026, 3, 29, 5),  # Sunday 07:00 CEST
        hours(8, 0, 8, 8),
    ),
    "the fall-back night in berlin": (
        "Europe/Berlin",
        utc(2026, 10, 24, 20),  # Saturday 22:00 CEST
        utc(2026, 10, 25, 6),  # Sunday 07:00 CET
        hours(10, 0, 10, 10),
    ),
    "a chicago day in utc terms": (
        "America/Chicago",
        utc(2026, 3, 6, 6),  # Friday 00:00 CST
        utc(2026, 3, 7, 6),  # Saturday 00:00 CST
        hours(24, 24, 0, 9),
    ),
    "the short sunday in sydney": (
        "Australia/Sydney",
        utc(2026, 10, 3, 14),  # Sunday 00:00 AEST
        utc(2026, 10, 4, 13),  # Monday 00:00 AEDT
        hours(23, 0, 23, 8),
    ),
    "nothing": ("UTC", utc(2026, 3, 24, 5), utc(2026, 3, 24, 5), hours(0, 0, 0, 0)),
}


@pytest.mark.parametrize(("zone", "start", "end", "expected"), CASES.values(), ids=CASES.keys())
def test_cases(zone, start, end, expected):
    parts = DayParts(start - timedelta(days=1), end + timedelta(days=1), ZoneInfo(zone))

    assert parts.of(start, end) == expected


ZONES = st.sampled_from(["UTC", "Europe/Berlin", "America/Chicago", "Australia/Sydney"])
WINDOW_START = utc(2026, 1, 1)
MINUTES_IN_WINDOW = 366 * 24 * 60
minutes = st.integers(min_value=0, max_value=MINUTES_IN_WINDOW)


def instants(values: list[int]) -> list[datetime]:
    return [WINDOW_START + timedelta(minutes=value) for value in sorted(values)]


@given(zone=ZONES, cuts=st.lists(minutes, min_size=3, max_size=3))
def test_splitting_an_interval_adds_up(zone, cuts):
    parts = DayParts(
        WINDOW_START, WINDOW_START + MINUTES_IN_WINDOW * timedelta(minutes=1), ZoneInfo(zone)
    )
    first, middle, last = instants(cuts)

    whole = parts.of(first, last)

    assert parts.of(first, middle) + parts.of(middle, last) == whole
    assert whole.weekday + whole.weekend == whole.total == last - first
    assert timedelta(0) <= whole.night <= whole.total


@given(zone=ZONES, day=st.integers(min_value=0, max_value=364))
def test_a_local_day_has_its_night_and_its_kind(zone, day):
    tz = ZoneInfo(zone)
    local = (WINDOW_START + timedelta(days=day)).date()
    start = datetime.combine(local, datetime.min.time(), tz).astimezone(UTC)
    end = datetime.combine(local + timedelta(days=1), datetime.min.time(), tz).astimezone(UTC)
    parts = DayParts(WINDOW_START, WINDOW_START + timedelta(days=366), tz)

    split = parts.of(start, end)

    weekend = local.weekday() >= 5
    assert split.weekend == (split.total if weekend else timedelta(0))
    # 00:00-07:00 and 22:00-24:00 of the wall clock: 9 hours; these zones change their clocks
    # at night, so a DST day's hour more or less is a night's.
    assert split.night == 9 * H + (split.total - 24 * H)
