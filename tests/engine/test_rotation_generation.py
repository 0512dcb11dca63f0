"""Rotation generation table (UPSTREAM-CASES §5, GEN-xx) and the related generation facts.

Common input: one `rolling_users` shift in UTC, start = rotation_start = the given day 00:00,
12 hours, level 1, week_start MO, API source, until = start + N days; query [start, until).
Expected: for each day, the users whose event starts that day (concatenated, sorted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from shifts.engine.rotation import expand_shift
from shifts.engine.types import WEEKDAYS, Frequency, Window
from tests.engine.test_rotation import D0, DAY, HOUR, NM, shift, utc

WORKDAYS = ("MO", "TU", "WE", "TH", "FR")
ALL_DAYS = WEEKDAYS
WEEKEND = ("SA", "SU")


@dataclass(frozen=True)
class Generation:
    id: str
    groups: str  # one letter per single-user group; "AB|C" for multi-user groups
    start: date
    by_day: tuple[str, ...]
    days: int
    frequency: Frequency
    interval: int
    expect: dict[str, str]  # "MM-DD" -> users starting that day


def workdays(first: str, last: str, users: str) -> dict[str, str]:
    """The same users on every Monday-Friday from `first` to `last` (MM-DD in 2024)."""
    start, end = (date.fromisoformat(f"2024-{day}") for day in (first, last))
    days = (start + timedelta(days=n) for n in range((end - start).days + 1))
    return {day.strftime("%m-%d"): users for day in days if day.weekday() < 5}


def day_by_day(first: date, users: str) -> dict[str, str]:
    """One letter of `users` per consecutive day from `first`."""
    return {(first + timedelta(days=n)).strftime("%m-%d"): user for n, user in enumerate(users)}


def groups_of(spec: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(group) for group in (spec.split("|") if "|" in spec else list(spec)))


D, W, M = Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY
GEN = [
    Generation("GEN-00", "ABC", date(2024, 8, 1), ("FR",), 21, D, 1,
               {"08-02": "A", "08-09": "B", "08-16": "C"}),
    Generation("GEN-01", "ABCDE", date(2024, 8, 5), WORKDAYS, 14, D, 1,
               {"08-05": "A", "08-06": "B", "08-07": "C", "08-08": "D", "08-09": "E",
                "08-12": "A", "08-13": "B", "08-14": "C", "08-15": "D", "08-16": "E"}),
    Generation("GEN-02", "ABCD", date(2024, 8, 5), WORKDAYS, 14, D, 2,
               {"08-05": "A", "08-06": "A", "08-07": "B", "08-08": "B", "08-09": "C",
                "08-12": "C", "08-13": "D", "08-14": "D", "08-15": "A", "08-16": "A"}),
    Generation("GEN-03", "ABCDE", date(2024, 8, 5), WORKDAYS, 14, W, 1,
               workdays("08-05", "08-09", "A") | workdays("08-12", "08-16", "B")),
    Generation("GEN-04", "ABCDE", date(2024, 8, 26), WORKDAYS, 14, M, 1,
               workdays("08-26", "08-30", "A") | workdays("09-02", "09-06", "B")),
    Generation("GEN-05", "ABCDE", date(2024, 8, 8), WORKDAYS, 14, D, 1,
               {"08-08": "A", "08-09": "B", "08-12": "C", "08-13": "D", "08-14": "E",
                "08-15": "A", "08-16": "B", "08-19": "C", "08-20": "D", "08-21": "E"}),
    Generation("GEN-06", "ABCDE", date(2024, 8, 8), WORKDAYS, 14, W, 1,
               workdays("08-08", "08-09", "A") | workdays("08-12", "08-16", "B")
               | workdays("08-19", "08-21", "C")),
    Generation("GEN-07", "ABCDE", date(2024, 8, 29), WORKDAYS, 14, M, 1,
               workdays("08-29", "08-30", "A") | workdays("09-02", "09-11", "B")),
    Generation("GEN-08", "AB|C", date(2024, 8, 14), (), 9, D, 1,
               {f"08-{day}": "AB" if day % 2 == 0 else "C" for day in range(14, 23)}),
    Generation("GEN-09", "ABC", date(2024, 8, 3), WEEKEND, 15, D, 1,
               {"08-03": "A", "08-04": "B", "08-10": "C", "08-11": "A", "08-17": "B"}),
    Generation("GEN-10", "ABCDE", date(2024, 8, 3), WEEKEND, 14, D, 1,
               {"08-03": "A", "08-04": "B", "08-10": "C", "08-11": "D"}),
    Generation("GEN-12", "A", date(2024, 8, 1), WEEKEND, 5, D, 1,
               {"08-03": "A", "08-04": "A"}),
    Generation("GEN-13", "ABC", date(2024, 8, 1), WEEKEND, 17, D, 1,
               {"08-03": "A", "08-04": "B", "08-10": "C", "08-11": "A", "08-17": "B"}),
    Generation("GEN-14", "ABCDEF", date(2024, 8, 1), WEEKEND, 17, D, 1,
               {"08-03": "A", "08-04": "B", "08-10": "C", "08-11": "D", "08-17": "E"}),
    Generation("GEN-15", "ABC", date(2024, 8, 1), WEEKEND, 17, D, 2,
               {"08-03": "A", "08-04": "A", "08-10": "B", "08-11": "B", "08-17": "C"}),
    Generation("GEN-16", "ABC", date(2024, 8, 1), WEEKEND, 18, W, 1,
               {"08-03": "A", "08-04": "A", "08-10": "B", "08-11": "B", "08-17": "C",
                "08-18": "C"}),
    Generation("GEN-17", "ABC", date(2024, 8, 1), WEEKEND, 18, W, 2,
               {"08-03": "A", "08-04": "A", "08-17": "B", "08-18": "B"}),
    Generation("GEN-18", "ABC", date(2024, 8, 29), WEEKEND, 18, M, 1,
               {"08-31": "A", "09-01": "B", "09-07": "B", "09-08": "B", "09-14": "B",
                "09-15": "B"}),
    Generation("GEN-19", "ABCDEFGHIJ", date(2024, 9, 30), (), 18, D, 1,
               day_by_day(date(2024, 9, 30), "ABCDEFGHIJABCDEFGH")),
    Generation("GEN-20", "ABCDEFGHIJ", date(2024, 9, 30), ALL_DAYS, 18, D, 1,
               day_by_day(date(2024, 9, 30), "ABCDEFGHIJABCDEFGH")),
    # upstream documents this as current, not "correct", behaviour: once the next real turn is
    # past `until` each following turn falls back to "previous + 1 day" (§h.15)
    Generation("GEN-21", "ABCDEFGHIJ", date(2024, 9, 30), (), 18, D, 7,
               {"09-30": "A", "10-07": "B", "10-14": "C", "10-15": "D", "10-16": "E",
                "10-17": "F"}),
    Generation("GEN-22", "ABCDEFGHIJ", date(2024, 9, 30), ALL_DAYS, 18, D, 7,
               day_by_day(date(2024, 9, 30), "AAAAAAABBBBBBBCCCC")),
    Generation("GEN-23", "A", date(2024, 8, 1), ("MO",), 14, D, 1,
               {"08-05": "A", "08-12": "A"}),
]  # fmt: skip


def starts_by_day(generation: Generation) -> dict[str, str]:
    start = datetime.combine(generation.start, datetime.min.time())
    until = start + timedelta(days=generation.days)
    spec = shift(
        start=start,
        rotation_start=start,
        until=until,
        duration=12 * HOUR,
        level=1,
        week_start="MO",
        frequency=generation.frequency,
        interval=generation.interval,
        by_day=generation.by_day,
        rolling_users=groups_of(generation.groups),
    )
    window = Window(utc(start), utc(until))
    found: dict[str, str] = {}
    for event in expand_shift(spec, window):
        if window.start <= event.start < window.end:
            day = event.start.strftime("%m-%d")
            found[day] = "".join(sorted(found.get(day, "") + "".join(event.users)))
    return found


@pytest.mark.parametrize("generation", GEN, ids=[g.id for g in GEN])
def test_generation_table(generation: Generation) -> None:
    assert starts_by_day(generation) == generation.expect


def test_gen_27_rotation_start_after_until_renders_nothing() -> None:
    spec = shift(
        start=D0 + 12 * HOUR,
        rotation_start=NM,
        until=D0,
        frequency=Frequency.DAILY,
        by_day=("MO",),
        rolling_users=(("A",),),
    )
    assert expand_shift(spec, Window(utc(D0 - 7 * DAY), utc(D0 + 30 * DAY))) == []


SATURDAY = datetime(2025, 1, 11)
WEEKEND_TO_MONDAY = {
    "start": SATURDAY,
    "rotation_start": SATURDAY + DAY,
    "week_start": "SA",
    "frequency": Frequency.DAILY,
    "by_day": ("MO", "SU"),
    "rolling_users": (("A",),),
}


@pytest.mark.parametrize(
    ("until", "expected_days"),
    [
        (None, ["01-12", "01-13", "01-19", "01-20"]),
        (SATURDAY + 5 * DAY, ["01-12", "01-13"]),
    ],
    ids=["GEN-28 first selected day", "GEN-29 until on Thursday"],
)
def test_week_start_changes_the_first_daily_day(
    until: datetime | None, expected_days: list[str]
) -> None:
    spec = shift(**WEEKEND_TO_MONDAY, until=until)
    window = Window(utc(SATURDAY), utc(SATURDAY + 10 * DAY))
    assert [e.start.strftime("%m-%d") for e in expand_shift(spec, window)] == expected_days
