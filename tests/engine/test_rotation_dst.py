"""Daylight-saving changes (docs/time-zones.md) in America/Chicago, Europe/London, Australia/Sydney.

Every occurrence starts at its own wall-clock time and ends `duration` later on the wall clock; a
time in a spring-forward gap moves forward by the gap, an ambiguous time takes its first
occurrence, and rotation turns neither skip nor overlap across a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from shifts.engine.rotation import expand_shift
from shifts.engine.types import Frequency, ShiftSpec, ShiftType, Source, Window
from tests.engine.test_rotation import DAY, HOUR, A, B, C, shift, utc


@dataclass(frozen=True)
class DstCase:
    id: str
    spec: ShiftSpec
    window: tuple[datetime, datetime]  # UTC wall times
    events: list[tuple[str, str, str]]  # (start UTC, end UTC, users)


def daily(zone: str, start: datetime, hours: int, **fields) -> ShiftSpec:
    return shift(
        type=ShiftType.RECURRENT_EVENT,
        time_zone=zone,
        start=start,
        duration=hours * HOUR,
        frequency=Frequency.DAILY,
        users=A,
        **fields,
    )


def rotation(zone: str, start: datetime, frequency: Frequency, hours: int, groups) -> ShiftSpec:
    return shift(
        time_zone=zone,
        start=start,
        duration=hours * HOUR,
        frequency=frequency,
        week_start="MO",
        rolling_users=groups,
    )


CASES = [
    DstCase(
        "RES-13 Chicago weekly turn spanning fall-back lasts 7 days + 1 hour",
        rotation("America/Chicago", datetime(2024, 10, 1), Frequency.WEEKLY, 7 * 24, (A,)),
        (datetime(2024, 11, 4), datetime(2024, 11, 5)),
        [("2024-10-29T05:00", "2024-11-05T06:00", "A")],
    ),
    DstCase(
        "RES-13 Chicago weekly turn spanning spring-forward lasts 7 days - 1 hour",
        rotation("America/Chicago", datetime(2024, 10, 1), Frequency.WEEKLY, 7 * 24, (A,)),
        (datetime(2025, 3, 10), datetime(2025, 3, 11)),
        [("2025-03-04T06:00", "2025-03-11T05:00", "A")],
    ),
    DstCase(
        "Chicago 02:30 in the spring-forward gap moves to 03:30 CDT",
        daily("America/Chicago", datetime(2024, 3, 8, 2, 30), 2),
        (datetime(2024, 3, 9), datetime(2024, 3, 12)),
        [
            ("2024-03-09T08:30", "2024-03-09T10:30", "A"),
            ("2024-03-10T08:30", "2024-03-10T09:30", "A"),
            ("2024-03-11T07:30", "2024-03-11T09:30", "A"),
        ],
    ),
    DstCase(
        # the gap rule read literally: 02:30 becomes 03:30 and the end stays 03:30: nothing is left
        "Chicago one-hour shift inside the gap vanishes that day",
        daily("America/Chicago", datetime(2024, 3, 8, 2, 30), 1),
        (datetime(2024, 3, 10), datetime(2024, 3, 11)),
        [],
    ),
    DstCase(
        "Chicago 01:30 on fall-back day takes its first (CDT) occurrence",
        daily("America/Chicago", datetime(2024, 11, 1, 1, 30), 1),
        (datetime(2024, 11, 2), datetime(2024, 11, 5)),
        [
            ("2024-11-02T06:30", "2024-11-02T07:30", "A"),
            ("2024-11-03T06:30", "2024-11-03T08:30", "A"),
            ("2024-11-04T07:30", "2024-11-04T08:30", "A"),
        ],
    ),
    DstCase(
        "Chicago 24 h rotation: 23 real hours across spring-forward",
        rotation("America/Chicago", datetime(2024, 3, 9), Frequency.DAILY, 24, (A, B)),
        (datetime(2024, 3, 9, 6), datetime(2024, 3, 12)),
        [
            ("2024-03-09T06:00", "2024-03-10T06:00", "A"),
            ("2024-03-10T06:00", "2024-03-11T05:00", "B"),
            ("2024-03-11T05:00", "2024-03-12T05:00", "A"),
        ],
    ),
    DstCase(
        "Chicago 24 h rotation: 25 real hours across fall-back",
        rotation("America/Chicago", datetime(2024, 11, 2), Frequency.DAILY, 24, (A, B)),
        (datetime(2024, 11, 2, 5), datetime(2024, 11, 5)),
        [
            ("2024-11-02T05:00", "2024-11-03T05:00", "A"),
            ("2024-11-03T05:00", "2024-11-04T06:00", "B"),
            ("2024-11-04T06:00", "2024-11-05T06:00", "A"),
        ],
    ),
    DstCase(
        "Chicago recurrence whose first occurrence spans the change keeps later lengths",
        shift(
            type=ShiftType.RECURRENT_EVENT,
            time_zone="America/Chicago",
            start=datetime(2024, 10, 29),
            duration=7 * DAY,
            frequency=Frequency.WEEKLY,
            week_start="MO",
            users=A,
        ),
        (datetime(2024, 10, 29, 5), datetime(2024, 11, 19)),
        [
            ("2024-10-29T05:00", "2024-11-05T06:00", "A"),
            ("2024-11-05T06:00", "2024-11-12T06:00", "A"),
            ("2024-11-12T06:00", "2024-11-19T06:00", "A"),
        ],
    ),
    DstCase(
        "London weekly rotation whose first turns cross spring-forward skips nobody",
        rotation("Europe/London", datetime(2024, 3, 18, 9), Frequency.WEEKLY, 8, (A, B, C)),
        (datetime(2024, 3, 18), datetime(2024, 4, 16)),
        [
            ("2024-03-18T09:00", "2024-03-18T17:00", "A"),
            ("2024-03-25T09:00", "2024-03-25T17:00", "B"),
            ("2024-04-01T08:00", "2024-04-01T16:00", "C"),
            ("2024-04-08T08:00", "2024-04-08T16:00", "A"),
            ("2024-04-15T08:00", "2024-04-15T16:00", "B"),
        ],
    ),
    DstCase(
        "London daily rotation across fall-back keeps 09:00 local",
        rotation("Europe/London", datetime(2024, 10, 25, 9), Frequency.DAILY, 8, (A, B)),
        (datetime(2024, 10, 25), datetime(2024, 10, 29)),
        [
            ("2024-10-25T08:00", "2024-10-25T16:00", "A"),
            ("2024-10-26T08:00", "2024-10-26T16:00", "B"),
            ("2024-10-27T09:00", "2024-10-27T17:00", "A"),
            ("2024-10-28T09:00", "2024-10-28T17:00", "B"),
        ],
    ),
    DstCase(
        "London 01:30 in the gap moves to 02:30 BST",
        daily("Europe/London", datetime(2024, 3, 30, 1, 30), 2),
        (datetime(2024, 3, 31), datetime(2024, 4, 1)),
        [("2024-03-31T01:30", "2024-03-31T02:30", "A")],
    ),
    DstCase(
        "Sydney weekly rotation: the gap turn starts at 03:30 AEDT",
        rotation("Australia/Sydney", datetime(2024, 9, 29, 2, 30), Frequency.WEEKLY, 12, (A, B)),
        (datetime(2024, 9, 28), datetime(2024, 10, 14)),
        [
            ("2024-09-28T16:30", "2024-09-29T04:30", "A"),
            ("2024-10-05T16:30", "2024-10-06T03:30", "B"),
            ("2024-10-12T15:30", "2024-10-13T03:30", "A"),
        ],
    ),
    DstCase(
        "Sydney 02:30 on fall-back day takes its first (AEDT) occurrence",
        daily("Australia/Sydney", datetime(2024, 4, 5, 2, 30), 1),
        (datetime(2024, 4, 5), datetime(2024, 4, 8)),
        [
            ("2024-04-05T15:30", "2024-04-05T16:30", "A"),
            ("2024-04-06T15:30", "2024-04-06T17:30", "A"),
            ("2024-04-07T16:30", "2024-04-07T17:30", "A"),
        ],
    ),
    DstCase(
        # conformance g12-045-web (docs/dst-differences.md): upstream ends it at 19:00 EST
        "New York 48 h override across fall-back ends at 18:00 EST, 49 real hours later",
        shift(
            type=ShiftType.OVERRIDE,
            time_zone="America/New_York",
            start=datetime(2025, 11, 1, 18),
            duration=48 * HOUR,
            source=Source.WEB,
            users=B,
        ),
        (datetime(2025, 11, 1), datetime(2025, 11, 5)),
        [("2025-11-01T22:00", "2025-11-03T23:00", "B")],
    ),
    DstCase(
        "DER-10 New York single event at a non-existent 02:30",
        shift(
            type=ShiftType.SINGLE_EVENT,
            time_zone="America/New_York",
            start=datetime(2024, 3, 10, 2, 30),
            duration=2 * HOUR,
            users=A,
        ),
        (datetime(2024, 3, 10), datetime(2024, 3, 11)),
        [("2024-03-10T07:30", "2024-03-10T08:30", "A")],
    ),
]


def rendered(spec: ShiftSpec, window: tuple[datetime, datetime]) -> list[tuple[str, str, str]]:
    found = expand_shift(spec, Window(utc(window[0]), utc(window[1])))
    return [
        (e.start.strftime("%Y-%m-%dT%H:%M"), e.end.strftime("%Y-%m-%dT%H:%M"), "".join(e.users))
        for e in found
        if e.start < utc(window[1])
    ]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_dst(case: DstCase) -> None:
    assert rendered(case.spec, case.window) == case.events
