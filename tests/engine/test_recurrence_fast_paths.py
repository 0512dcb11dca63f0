"""`recurrence.occurrences` against plain `dateutil` iterated from the anchor.

`occurrences` computes grid rules (hourly, daily, weekly without month filters) by arithmetic
and starts `dateutil` late for the others (whole weeks or months skipped); neither may change
the occurrences.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from dateutil import rrule as du
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shifts.engine.recurrence import Rule, occurrences
from shifts.engine.types import Frequency

_DU_FREQUENCY = {
    Frequency.HOURLY: du.HOURLY,
    Frequency.DAILY: du.DAILY,
    Frequency.WEEKLY: du.WEEKLY,
    Frequency.MONTHLY: du.MONTHLY,
}
# how far after the anchor a query may start: the reference walks every occurrence up to it
_REACH = {
    Frequency.HOURLY: timedelta(days=40),
    Frequency.DAILY: timedelta(days=800),
    Frequency.WEEKLY: timedelta(days=1500),
    Frequency.MONTHLY: timedelta(days=3000),
}
_LONGEST_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def reference(rule: Rule, anchor: datetime, lo: datetime, hi: datetime) -> list[datetime]:
    found = []
    plain = du.rrule(
        _DU_FREQUENCY[rule.frequency],
        dtstart=anchor,
        interval=rule.interval,
        wkst=rule.week_start,
        byweekday=rule.by_day or None,
        bymonth=rule.by_month or None,
        bymonthday=rule.by_monthday or None,
        until=rule.until,
        cache=False,
    )
    for occurrence in plain:
        if occurrence > hi:
            break
        if occurrence >= lo:
            found.append(occurrence)
    return found


def _optional_set(values: st.SearchStrategy[int]) -> st.SearchStrategy[tuple[int, ...]]:
    return st.one_of(st.just(()), st.lists(values, unique=True, min_size=1, max_size=4).map(tuple))


@st.composite
def queries(draw: st.DrawFn) -> tuple[Rule, datetime, datetime, datetime]:
    anchor = draw(st.datetimes(datetime(2023, 1, 1), datetime(2026, 12, 31)))
    frequency = draw(st.sampled_from(Frequency))
    rule = Rule(
        frequency=frequency,
        interval=draw(st.integers(1, 4)),
        by_day=draw(_optional_set(st.integers(0, 6))),
        by_month=draw(st.one_of(st.just(()), _optional_set(st.integers(1, 12)))),
        by_monthday=draw(st.one_of(st.just(()), _optional_set(st.integers(-3, 31).filter(bool)))),
        week_start=draw(st.integers(0, 6)),
        until=draw(st.one_of(st.none(), st.datetimes(anchor, anchor + _REACH[frequency]))),
    )
    implicit_day = frequency is Frequency.MONTHLY and not rule.by_day and not rule.by_monthday
    # rules that never occur make dateutil search until the year 9999
    assume(not rule.never_occurs)
    assume(not implicit_day or any(_LONGEST_MONTH[m - 1] >= anchor.day for m in rule.by_month))
    reach = _REACH[frequency]
    lo = anchor + draw(st.timedeltas(-timedelta(days=10), reach))
    hi = lo + draw(st.timedeltas(timedelta(0), reach / 10))
    return rule, anchor, lo, hi


@settings(max_examples=600, deadline=None)
@given(queries())
def test_occurrences_equal_plain_dateutil(query: tuple[Rule, datetime, datetime, datetime]) -> None:
    rule, anchor, lo, hi = query
    assert list(occurrences(rule, anchor, lo, hi)) == reference(rule, anchor, lo, hi)


D = datetime


@pytest.mark.parametrize(
    ("rule", "anchor", "lo", "hi", "expected"),
    [
        pytest.param(
            Rule(Frequency.WEEKLY, interval=2, by_day=(1, 3), week_start=0),
            D(2025, 1, 1, 9),  # a Wednesday: that week's Tuesday is before it
            D(2024, 12, 30),
            D(2025, 1, 31),
            [
                D(2025, 1, 2, 9),
                D(2025, 1, 14, 9),
                D(2025, 1, 16, 9),
                D(2025, 1, 28, 9),
                D(2025, 1, 30, 9),
            ],
            id="weekly-by-day-every-other-week",
        ),
        pytest.param(
            Rule(Frequency.HOURLY, interval=5, until=D(2025, 6, 2, 1)),
            D(2025, 1, 1, 0, 30, 15, 999),  # dateutil drops the microseconds
            D(2025, 6, 1, 12),
            D(2025, 6, 3),
            [D(2025, 6, 1, 16, 30, 15), D(2025, 6, 1, 21, 30, 15)],
            id="hourly-far-from-the-anchor-until",
        ),
        pytest.param(
            Rule(Frequency.DAILY, interval=3, by_day=(5, 6)),
            D(2025, 3, 1, 8),  # a Saturday
            D(2025, 3, 1),
            D(2025, 3, 31),
            [D(2025, 3, 1, 8), D(2025, 3, 16, 8), D(2025, 3, 22, 8)],
            id="daily-filtered-by-weekday",
        ),
        pytest.param(
            Rule(Frequency.MONTHLY, interval=2),
            D(2025, 1, 31, 9),  # only months with a 31st count
            D(2027, 1, 1),
            D(2027, 12, 31),
            [D(2027, 1, 31, 9), D(2027, 3, 31, 9), D(2027, 5, 31, 9), D(2027, 7, 31, 9)],
            id="monthly-implicit-day-years-later",
        ),
    ],
)
def test_occurrences(rule, anchor, lo, hi, expected) -> None:
    assert list(occurrences(rule, anchor, lo, hi)) == expected
    assert reference(rule, anchor, lo, hi) == expected
