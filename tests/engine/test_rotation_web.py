"""`expand_shift` for web-source shifts: clipping to `rotation_start` read as UTC, `until`
capping the seed only (UPSTREAM-CASES §4 ENG-19..22, ENG-28; UPSTREAM-BEHAVIOUR §f.3.5)."""

from __future__ import annotations

from datetime import datetime

import pytest

from shifts.engine.types import CalendarType, Frequency, ShiftType, Source
from tests.engine.test_rotation import (
    DAY,
    HOUR,
    MIN,
    T0,
    A,
    B,
    C,
    Probe,
    days,
    probes,
    shift,
)
from tests.engine.test_rotation_rules import spans

WEB = [
    Probe(
        "ENG-19 web hourly clipped to rotation start, capped by until",
        shift(
            frequency=Frequency.HOURLY,
            source=Source.WEB,
            rotation_start=T0 + 10 * MIN,
            duration=HOUR,
            until=T0 + 40 * MIN,
            rolling_users=(A,),
        ),
        probes(T0, {12 * MIN: "A", 37 * MIN: "A", 2 * MIN: "", 7 * MIN: "", 42 * MIN: ""}),
    ),
    Probe(
        "ENG-20 web daily clipped",
        shift(
            frequency=Frequency.DAILY,
            source=Source.WEB,
            rotation_start=T0 + 5 * HOUR,
            duration=DAY,
            until=T0 + 15 * HOUR,
            rolling_users=(A,),
        ),
        probes(
            T0,
            {h * HOUR + 5 * MIN: "A" for h in (5, 10)}
            | {h * HOUR + 5 * MIN: "" for h in (0, 4, 15)},
        ),
    ),
    Probe(
        "ENG-21 web weekly clipped",
        shift(
            frequency=Frequency.WEEKLY,
            week_start="WE",
            source=Source.WEB,
            rotation_start=T0 + DAY,
            duration=7 * DAY,
            until=T0 + 6 * DAY,
            rolling_users=(A,),
        ),
        probes(T0, days(1, 5, users="A") | days(0, 6, users="") | {23 * HOUR + 5 * MIN: ""}),
    ),
    Probe(
        "ENG-21 web weekly by_day clipped",
        shift(
            frequency=Frequency.WEEKLY,
            week_start="WE",
            by_day=("WE", "TH", "FR", "MO"),
            source=Source.WEB,
            rotation_start=T0 + DAY,
            duration=12 * HOUR,
            until=T0 + 4 * DAY + 23 * HOUR,
            rolling_users=(A,),
        ),
        probes(T0, days(1, 2, users="A") | days(0, 3, 4, 5, users="") | {23 * HOUR + 5 * MIN: ""}),
    ),
    Probe(
        "ENG-22 web monthly clipped",
        shift(
            frequency=Frequency.MONTHLY,
            source=Source.WEB,
            rotation_start=T0 + 5 * DAY,
            duration=30 * DAY,
            until=T0 + 15 * DAY,
            rolling_users=(A,),
        ),
        probes(T0, days(5, 10, users="A") | days(0, 4, 15, users="")),
    ),
    Probe(
        "ENG-28 daily by_day ended by until before its first day",
        shift(
            frequency=Frequency.DAILY,
            by_day=("SU",),
            source=Source.WEB,
            rotation_start=T0 + 3 * DAY,
            until=T0 + 8 * HOUR,
            duration=4 * HOUR,
            rolling_users=(A, B),
        ),
        probes(T0, days(0, 4, users="")),
    ),
]


@pytest.mark.parametrize("case", WEB, ids=[case.id for case in WEB])
def test_who_is_on_call(case: Probe) -> None:
    case.check()


def test_web_override_is_clipped_to_rotation_start_read_as_utc() -> None:
    # conformance g1-004-web: 20:00 Kolkata is 14:30Z, rotation_start 20:00 read as UTC
    start = datetime(2025, 9, 25, 20)
    spec = shift(
        type=ShiftType.OVERRIDE,
        calendar_type=CalendarType.OVERRIDES,
        source=Source.WEB,
        time_zone="Asia/Kolkata",
        start=start,
        rotation_start=start,
        duration=12 * HOUR,
        level=99,
        users=("F",),
    )
    assert spans(spec, datetime(2025, 9, 24), datetime(2025, 9, 27)) == [
        ("2025-09-25T20:00", "2025-09-26T02:30", "F")
    ]


def test_web_repetition_past_until_keeps_its_full_length() -> None:
    # conformance g1-032-web: only the seed's end is capped by until, never a repetition's
    spec = shift(
        start=datetime(2025, 5, 9, 9),
        duration=7 * DAY,
        frequency=Frequency.WEEKLY,
        week_start="MO",
        source=Source.WEB,
        until=datetime(2025, 7, 23, 16),
        rolling_users=(A, B, C),
    )
    assert spans(spec, datetime(2025, 7, 18, 10), datetime(2025, 7, 19)) == [
        ("2025-07-18T09:00", "2025-07-25T09:00", "B")
    ]
