"""`expand_shift`: who is on call, per upstream's engine tests (UPSTREAM-CASES §4, ENG-xx).

Probes "on@X: [A]" ask which events of `expand_shift` contain X (start <= X < end). `T0` is a
fixed "now": Wednesday 2025-01-15 09:30 UTC; `D0` its midnight, `NM` the next Monday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from shifts.engine.rotation import expand_shift
from shifts.engine.types import CalendarType, Frequency, ShiftSpec, ShiftType, Source, Window

T0 = datetime(2025, 1, 15, 9, 30)
D0 = datetime(2025, 1, 15)
NM = datetime(2025, 1, 20)
MIN, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
A, B, C = ("A",), ("B",), ("C",)


def shift(**fields) -> ShiftSpec:
    """A shift with test defaults: rolling, UTC, API source, starting at T0 for 3 hours."""
    defaults = {
        "shift_id": "O1",
        "type": ShiftType.ROLLING_USERS,
        "calendar_type": CalendarType.PRIMARY,
        "time_zone": "UTC",
        "start": T0,
        "duration": 3 * HOUR,
    }
    return ShiftSpec(**(defaults | fields))


def utc(wall: datetime) -> datetime:
    return wall.replace(tzinfo=UTC)


def on_call(spec: ShiftSpec, at: datetime) -> str:
    """Users on call at the UTC wall time `at`, sorted and joined ("" for nobody)."""
    instant = utc(at)
    events = expand_shift(spec, Window(instant, instant))
    return "".join(sorted({u for e in events if e.start <= instant < e.end for u in e.users}))


@dataclass(frozen=True)
class Probe:
    id: str
    spec: ShiftSpec
    on: tuple[tuple[datetime, str], ...]

    def check(self) -> None:
        assert [(at, on_call(self.spec, at)) for at, _ in self.on] == list(self.on)


def probes(base: datetime, offset_users: dict[timedelta, str]) -> tuple[tuple[datetime, str], ...]:
    return tuple((base + offset, users) for offset, users in offset_users.items())


def days(*values: int, users: str, plus: timedelta = 5 * MIN) -> dict[timedelta, str]:
    return {value * DAY + plus: users for value in values}


WEB_OVERRIDE = {
    "type": ShiftType.OVERRIDE,
    "calendar_type": CalendarType.OVERRIDES,
    "source": Source.WEB,
    "level": 99,
    "users": A,
}

ENG = [
    Probe(
        "ENG-01 single event",
        shift(type=ShiftType.SINGLE_EVENT, level=1, users=A),
        probes(T0, {5 * MIN: "A"}),
    ),
    Probe("ENG-02 web override", shift(**WEB_OVERRIDE), probes(T0, {5 * MIN: "A"})),
    Probe(
        "ENG-03 override capped by until",
        shift(**WEB_OVERRIDE, until=T0 + HOUR),
        probes(T0, {5 * MIN: "A", 2 * HOUR + 5 * MIN: ""}),
    ),
    Probe(
        "ENG-04 recurrent daily interval 2",
        shift(
            type=ShiftType.RECURRENT_EVENT,
            frequency=Frequency.DAILY,
            interval=2,
            level=1,
            users=A,
        ),
        probes(T0, days(0, 2, users="A") | days(1, users="")),
    ),
    Probe(
        "ENG-05 rolling daily interval 2",
        shift(frequency=Frequency.DAILY, interval=2, level=1, rolling_users=(A, B)),
        probes(T0, days(0, 4, users="A") | days(2, 6, users="B") | days(1, 3, 5, users="")),
    ),
    Probe(
        "ENG-06 hourly interval 2, first slot before rotation start",
        shift(
            frequency=Frequency.HOURLY,
            interval=2,
            source=Source.WEB,
            rotation_start=T0 + HOUR,
            duration=10 * MIN,
            rolling_users=(A, B),
        ),
        probes(
            T0,
            {h * HOUR + 5 * MIN: u for h, u in [(2, "B"), (6, "B"), (4, "A")]}
            | {h * HOUR + 5 * MIN: "" for h in (0, 1, 3, 5)},
        ),
    ),
    Probe(
        "ENG-07 daily by_day MO WE FR",
        shift(
            start=NM,
            frequency=Frequency.DAILY,
            source=Source.WEB,
            by_day=("MO", "WE", "FR"),
            rolling_users=(A, B),
        ),
        probes(
            NM,
            days(0, 4, 9, users="A")
            | days(2, 7, users="B")
            | days(1, 3, 5, 6, 8, 10, 12, users=""),
        ),
    ),
    Probe(
        "ENG-08 daily by_day starting off a selected day",
        shift(
            start=D0 - 2 * DAY,
            frequency=Frequency.DAILY,
            source=Source.WEB,
            by_day=("WE", "FR"),
            rolling_users=(A,),
        ),
        probes(D0 - 2 * DAY, days(2, 4, users="A") | days(0, 1, 3, 5, 6, 7, users="")),
    ),
    Probe(
        "ENG-09 daily by_day interval 2",
        shift(
            start=NM,
            frequency=Frequency.DAILY,
            interval=2,
            source=Source.WEB,
            by_day=("MO", "WE", "FR"),
            rolling_users=(A, B),
        ),
        probes(
            NM,
            days(0, 2, 9, 11, 18, 21, 28, 30, users="A")
            | days(4, 7, 14, 16, 23, 25, 32, 35, users="B")
            | days(1, 3, 5, 6, 8, 10, 12, users=""),
        ),
    ),
    Probe(
        "ENG-10 weekly interval 2, first slot before rotation start",
        shift(
            frequency=Frequency.WEEKLY,
            interval=2,
            week_start="WE",
            rotation_start=T0 + HOUR,
            rolling_users=(A, B),
        ),
        probes(T0, days(28, users="A") | days(14, 42, users="B") | days(0, 7, 21, 35, users="")),
    ),
    Probe(
        "ENG-11 monthly interval 2",
        shift(
            start=datetime(2022, 10, 1, 10, 30),
            rotation_start=datetime(2022, 10, 1, 11, 30),
            frequency=Frequency.MONTHLY,
            interval=2,
            rolling_users=(A, B),
        ),
        (
            (datetime(2022, 12, 1, 10, 35), "B"),
            (datetime(2023, 2, 1, 10, 35), "A"),
            (datetime(2022, 10, 1, 10, 35), ""),
            (datetime(2022, 11, 1, 10, 35), ""),
            (datetime(2023, 1, 1, 10, 35), ""),
        ),
    ),
    Probe(
        "ENG-12 hourly, rotation starts from the third group",
        shift(
            frequency=Frequency.HOURLY,
            rotation_start=T0 + 2 * HOUR,
            duration=30 * MIN,
            until=T0 + 6 * HOUR + 59 * MIN,
            rolling_users=(A, B, C),
        ),
        probes(
            T0,
            {h * HOUR + 5 * MIN: u for h, u in [(2, "C"), (5, "C"), (3, "A"), (6, "A"), (4, "B")]}
            | {h * HOUR + 5 * MIN: "" for h in (0, 1, 7)},
        ),
    ),
    Probe(
        "ENG-13 daily, rotation starts from the third group",
        shift(
            frequency=Frequency.DAILY,
            rotation_start=T0 + DAY + HOUR,
            duration=30 * MIN,
            until=T0 + 6 * DAY + 10 * MIN,
            rolling_users=(A, B, C),
        ),
        probes(
            T0,
            days(2, 5, users="C")
            | days(3, 6, users="A")
            | days(4, users="B")
            | days(0, 1, 7, users=""),
        ),
    ),
    Probe(
        "ENG-14 weekly, rotation starts from the third group",
        shift(
            frequency=Frequency.WEEKLY,
            week_start="WE",
            rotation_start=T0 + 7 * DAY + HOUR,
            duration=30 * MIN,
            until=T0 + 42 * DAY + 10 * MIN,
            rolling_users=(A, B, C),
        ),
        probes(
            T0,
            days(14, 35, users="C")
            | days(21, 42, users="A")
            | days(28, users="B")
            | days(0, 7, 43, users=""),
        ),
    ),
    Probe(
        "ENG-15 weekly weekend, this weekend's slot precedes rotation start",
        shift(
            start=D0,
            rotation_start=NM,
            until=NM + 30 * DAY + MIN,
            frequency=Frequency.WEEKLY,
            week_start="MO",
            by_day=("SA", "SU"),
            source=Source.WEB,
            duration=30 * MIN,
            rolling_users=(A, B, C),
        ),
        (
            (T0, ""),
            *probes(
                NM + 5 * DAY,
                days(0, 22, users="B")
                | days(7, 8, users="C")
                | days(15, users="A")
                | days(-7, 9, 30, users=""),
            ),
        ),
    ),
    Probe(
        "ENG-16 weekly by_day, rotation start inside a week",
        shift(
            frequency=Frequency.WEEKLY,
            week_start="WE",
            by_day=("TH", "SA"),
            rotation_start=T0 + 8 * DAY + HOUR,
            until=T0 + 23 * DAY + MIN,
            duration=30 * MIN,
            rolling_users=(A, B, C),
        ),
        probes(
            T0,
            days(10, users="B")
            | days(15, 17, users="C")
            | days(22, users="A")
            | days(0, 1, 3, 8, 9, 24, users=""),
        ),
    ),
    Probe(
        "ENG-17 monthly, rotation start at the end of the first month",
        shift(
            start=datetime(2022, 12, 1, 10, 30),
            rotation_start=datetime(2022, 12, 31, 11, 30),
            until=datetime(2023, 2, 11, 10, 31),
            frequency=Frequency.MONTHLY,
            duration=30 * MIN,
            rolling_users=(A, B, C),
        ),
        probes(
            datetime(2022, 12, 1, 10, 35),
            {
                timedelta(days=31): "B",
                timedelta(days=62): "C",
                timedelta(0): "",
                timedelta(days=30): "",
                timedelta(days=32): "",
                timedelta(days=64): "",
                timedelta(days=73): "",
            },
        ),
    ),
    Probe(
        "ENG-18 monthly by_monthday 1-4",
        shift(
            start=datetime(2022, 12, 1, 10, 30),
            rotation_start=datetime(2022, 12, 31, 11, 30),
            until=datetime(2023, 2, 11, 10, 31),
            frequency=Frequency.MONTHLY,
            by_monthday=(1, 2, 3, 4),
            duration=30 * MIN,
            rolling_users=(A, B, C),
        ),
        probes(
            datetime(2022, 12, 1, 10, 35),
            days(31, 32, 33, 34, users="B", plus=timedelta(0))
            | days(62, 63, 64, 65, users="C", plus=timedelta(0))
            | days(0, 3, 35, 37, 41, 73, users="", plus=timedelta(0)),
        ),
    ),
]


@pytest.mark.parametrize("case", ENG, ids=[case.id for case in ENG])
def test_who_is_on_call(case: Probe) -> None:
    case.check()
