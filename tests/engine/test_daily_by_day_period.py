"""How often the turns of a daily rotation on selected days repeat
(docs/rotations.md#daily-rotations-on-selected-days).

The walk over the selected days goes on past the end of the rotation without dates, over the
selected days in the order they are listed, until a (group, weekday, position) combination
repeats; the turns repeat every (combinations // selected days) weeks, at least 1. Each case
below was found by comparing our rows with upstream's rendering of the same shift; the rows are
upstream's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from shifts.engine.types import Frequency, ShiftSpec, Source
from tests.engine.test_rotation import HOUR, MIN, A, B, C, shift
from tests.engine.test_rotation_dst import rendered


@dataclass(frozen=True)
class PeriodCase:
    id: str
    spec: ShiftSpec
    window: tuple[datetime, datetime]  # UTC wall times
    events: list[tuple[str, str, str]]  # (start UTC, end UTC, users)


def two_hours(start: str, users: str = "C") -> tuple[str, str, str]:
    begin = datetime.fromisoformat(start)
    return (start, (begin + 2 * HOUR).strftime("%Y-%m-%dT%H:%M"), users)


CASES = [
    PeriodCase(
        # Saturday Feb 1 (the aligned first day, outside the selected month), Saturday Mar 1,
        # Tuesday Mar 4, then Saturday/position 1 again: 3 combinations over 2 days, every week
        # (a pattern of 3 rounded up to 2 weeks would skip every other week)
        "one group, two days each, March only: three combinations repeat every week",
        shift(
            start=datetime(2025, 1, 30, 9, 30),
            duration=2 * HOUR,
            frequency=Frequency.DAILY,
            interval=2,
            by_day=("TU", "SA"),
            by_month=(3,),
            week_start="SA",
            rolling_users=(C,),
        ),
        (datetime(2025, 1, 25), datetime(2025, 4, 1)),
        [
            two_hours(f"2025-{day}T09:30")
            for day in [
                "02-01",
                "03-01",
                "03-04",
                "03-08",
                "03-11",
                "03-15",
                "03-18",
                "03-22",
                "03-25",
                "03-29",
            ]
        ],
    ),
    PeriodCase(
        # A Monday Mar 3, B Wednesday, C Monday Mar 10; the next step falls back to Tuesday
        # Mar 11 (before `until`, not selected: group A's turn is used up), then the rotation
        # ends; group B's Wednesday is met again at once: 3 combinations, every week
        "three groups, days listed Wednesday first, until cuts the walk: every week",
        shift(
            start=datetime(2025, 3, 3, 9),
            duration=2 * HOUR,
            frequency=Frequency.DAILY,
            by_day=("WE", "MO"),
            week_start="MO",
            rolling_users=(A, B, C),
            until=datetime(2025, 3, 12),
        ),
        (datetime(2025, 3, 1), datetime(2025, 4, 1)),
        [
            two_hours("2025-03-03T09:00", "A"),
            two_hours("2025-03-05T09:00", "B"),
            two_hours("2025-03-10T09:00", "A"),
            two_hours("2025-03-10T09:00", "C"),
        ],
    ),
    PeriodCase(
        # the last week before `until`: the old rounding up gave A, C and A only once each
        "Tokyo web rotation of four groups from the fourth, five days listed out of order",
        shift(
            time_zone="Asia/Tokyo",
            start=datetime(2025, 2, 27, 21),
            duration=14 * HOUR + 30 * MIN,
            rotation_start=datetime(2025, 2, 28, 12),
            until=datetime(2025, 3, 28),
            source=Source.WEB,
            frequency=Frequency.DAILY,
            by_day=("FR", "WE", "TU", "SA", "MO"),
            week_start="MO",
            rolling_users=(C, A, ("C", "B"), A),
            start_rotation_from_user_index=3,
        ),
        (datetime(2025, 3, 23, 12), datetime(2025, 3, 28)),
        [
            ("2025-03-24T12:00", "2025-03-25T02:30", "A"),
            ("2025-03-24T12:00", "2025-03-25T02:30", "CB"),
            ("2025-03-25T12:00", "2025-03-26T02:30", "A"),
            ("2025-03-25T12:00", "2025-03-26T02:30", "C"),
            ("2025-03-26T12:00", "2025-03-27T02:30", "A"),
            ("2025-03-26T12:00", "2025-03-27T02:30", "C"),
        ],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_daily_by_day_period(case: PeriodCase) -> None:
    assert rendered(case.spec, case.window) == case.events
