"""`expand_rotation`: rotations of a fixed length, restricted to windows of the day or week.

Handovers follow rotation time, not restriction time (PagerDuty's rule): restrictions only cut
each turn to the windows. Hours are real hours; days and weeks hand over at the same local time
across daylight saving changes (docs/rotations.md#restricted-rotations).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, time

import pytest

from shifts.engine import (
    DailyWindow,
    LengthUnit,
    RotationSpec,
    WeeklyWindow,
    Window,
    expand_rotation,
    schedule_timeline,
)
from shifts.engine.types import UserDirectory

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
ABC = (("A",), ("B",), ("C",))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def rotation(
    start: str, length: int = 1, unit: LengthUnit = LengthUnit.DAYS, turns=ABC, **fields
) -> RotationSpec:
    return RotationSpec(
        rotation_id="R1",
        time_zone=fields.pop("time_zone", "UTC"),
        start=at(start),
        length=length,
        unit=unit,
        turns=turns,
        **fields,
    )


@dataclass(frozen=True)
class Case:
    id: str
    spec: RotationSpec
    window: tuple[str, str]  # UTC
    events: list[tuple[str, str, str]]  # (start UTC, end UTC, users)


CASES = [
    Case(
        "daily turns without restriction, nobody before the start",
        rotation("2024-01-01T09:00"),
        ("2023-12-31T00:00", "2024-01-03T12:00"),
        [
            ("2024-01-01T09:00", "2024-01-02T09:00", "A"),
            ("2024-01-02T09:00", "2024-01-03T09:00", "B"),
            ("2024-01-03T09:00", "2024-01-04T09:00", "C"),
        ],
    ),
    Case(
        "a daily window that wraps midnight",
        rotation("2024-01-01T00:00", restrictions=(DailyWindow(time(22), time(6)),)),
        ("2024-01-01T00:00", "2024-01-03T00:00"),
        [
            ("2024-01-01T00:00", "2024-01-01T06:00", "A"),
            ("2024-01-01T22:00", "2024-01-02T00:00", "A"),
            ("2024-01-02T00:00", "2024-01-02T06:00", "B"),
            ("2024-01-02T22:00", "2024-01-03T00:00", "B"),
        ],
    ),
    Case(
        "a window that straddles a handover belongs to each member for their part",
        rotation("2024-01-01T09:00", restrictions=(DailyWindow(time(8), time(10)),)),
        ("2024-01-02T00:00", "2024-01-03T00:00"),
        [
            ("2024-01-02T08:00", "2024-01-02T09:00", "A"),
            ("2024-01-02T09:00", "2024-01-02T10:00", "B"),
        ],
    ),
    Case(
        "a weekly window that wraps the week (Sunday 22:00 to Monday 06:00)",
        rotation(
            "2024-01-01T00:00",
            1,
            LengthUnit.WEEKS,
            restrictions=(WeeklyWindow(SUN, time(22), MON, time(6)),),
        ),
        ("2024-01-01T00:00", "2024-01-16T00:00"),
        [
            ("2024-01-01T00:00", "2024-01-01T06:00", "A"),
            ("2024-01-07T22:00", "2024-01-08T00:00", "A"),
            ("2024-01-08T00:00", "2024-01-08T06:00", "B"),
            ("2024-01-14T22:00", "2024-01-15T00:00", "B"),
            ("2024-01-15T00:00", "2024-01-15T06:00", "C"),
        ],
    ),
    Case(
        "the seed's Saturday 21:00 to Sunday 03:00 interval on a weekly rotation",
        rotation(
            "2023-08-08T08:00",
            1,
            LengthUnit.WEEKS,
            turns=(("A",), ("B",)),
            restrictions=(WeeklyWindow(SAT, time(21), SUN, time(3)),),
        ),
        ("2023-08-08T00:00", "2023-08-22T00:00"),
        [
            ("2023-08-12T21:00", "2023-08-13T03:00", "A"),
            ("2023-08-19T21:00", "2023-08-20T03:00", "B"),
        ],
    ),
    Case(
        "an end in the middle of a turn cuts it, and nobody is on call after it",
        rotation("2024-01-01T00:00", end=at("2024-01-02T12:00")),
        ("2024-01-01T00:00", "2024-01-05T00:00"),
        [
            ("2024-01-01T00:00", "2024-01-02T00:00", "A"),
            ("2024-01-02T00:00", "2024-01-02T12:00", "B"),
        ],
    ),
    Case(
        "an end inside a restricted window cuts the window",
        rotation(
            "2024-01-01T00:00",
            end=at("2024-01-02T23:00"),
            restrictions=(DailyWindow(time(22), time(6)),),
        ),
        ("2024-01-02T12:00", "2024-01-05T00:00"),
        [("2024-01-02T22:00", "2024-01-02T23:00", "B")],
    ),
    Case(
        "a restriction with no overlap with the rotation puts nobody on call",
        rotation(
            "2024-01-01T10:00",
            end=at("2024-01-01T20:00"),
            restrictions=(DailyWindow(time(22), time(6)),),
        ),
        ("2024-01-01T00:00", "2024-01-08T00:00"),
        [],
    ),
    Case(
        "a turn that meets no window puts its member on call never",
        rotation(
            "2024-01-01T00:00",
            turns=(("A",), ("B",), ("C",), ("D",), ("E",), ("F",), ("G",)),
            restrictions=(WeeklyWindow(SAT, time(21), SUN, time(3)),),
        ),
        ("2024-01-01T00:00", "2024-01-15T00:00"),
        [
            ("2024-01-06T21:00", "2024-01-07T00:00", "F"),
            ("2024-01-07T00:00", "2024-01-07T03:00", "G"),
            ("2024-01-13T21:00", "2024-01-14T00:00", "F"),
            ("2024-01-14T00:00", "2024-01-14T03:00", "G"),
        ],
    ),
    Case(
        "restricted to several windows: each turn on call in every window it meets",
        rotation(
            "2024-01-01T00:00",
            restrictions=(DailyWindow(time(9), time(12)), DailyWindow(time(13), time(17))),
            turns=(("A",), ("B",)),
        ),
        ("2024-01-01T00:00", "2024-01-02T00:00"),
        [
            ("2024-01-01T09:00", "2024-01-01T12:00", "A"),
            ("2024-01-01T13:00", "2024-01-01T17:00", "A"),
        ],
    ),
    Case(
        "overlapping windows count once",
        rotation(
            "2024-01-01T00:00",
            restrictions=(
                DailyWindow(time(9), time(12)),
                WeeklyWindow(MON, time(11), MON, time(14)),
            ),
        ),
        ("2024-01-01T00:00", "2024-01-02T00:00"),
        [("2024-01-01T09:00", "2024-01-01T14:00", "A")],
    ),
    Case(
        "equal ends make a whole-day window",
        rotation("2024-01-01T00:00", restrictions=(DailyWindow(time(7), time(7)),)),
        ("2024-01-01T00:00", "2024-01-02T12:00"),
        [
            ("2024-01-01T00:00", "2024-01-02T00:00", "A"),
            ("2024-01-02T00:00", "2024-01-03T00:00", "B"),
        ],
    ),
    Case(
        "custom hours: 8-hour turns across Chicago's spring-forward last 8 real hours",
        rotation("2024-03-09T14:00", 8, LengthUnit.HOURS, time_zone="America/Chicago"),
        ("2024-03-10T06:00", "2024-03-10T23:00"),
        [
            ("2024-03-10T06:00", "2024-03-10T14:00", "C"),
            ("2024-03-10T14:00", "2024-03-10T22:00", "A"),
            ("2024-03-10T22:00", "2024-03-11T06:00", "B"),
        ],
    ),
    Case(
        "custom hours: one-hour turns across Chicago's fall-back skip nobody",
        rotation("2024-11-03T05:00", 1, LengthUnit.HOURS, time_zone="America/Chicago"),
        ("2024-11-03T05:00", "2024-11-03T09:00"),
        [
            ("2024-11-03T05:00", "2024-11-03T06:00", "A"),
            ("2024-11-03T06:00", "2024-11-03T07:00", "B"),
            ("2024-11-03T07:00", "2024-11-03T08:00", "C"),
            ("2024-11-03T08:00", "2024-11-03T09:00", "A"),
        ],
    ),
    Case(
        "custom days: 09:00 Chicago handovers keep their local time across spring-forward",
        rotation("2024-03-08T15:00", 1, LengthUnit.DAYS, time_zone="America/Chicago"),
        ("2024-03-09T00:00", "2024-03-11T00:00"),
        [
            ("2024-03-08T15:00", "2024-03-09T15:00", "A"),
            ("2024-03-09T15:00", "2024-03-10T14:00", "B"),
            ("2024-03-10T14:00", "2024-03-11T14:00", "C"),
        ],
    ),
    Case(
        "a London night window lasts an hour less on the night the clocks go forward",
        rotation(
            "2024-03-29T00:00",
            7,
            LengthUnit.DAYS,
            time_zone="Europe/London",
            restrictions=(DailyWindow(time(0), time(6), "Europe/London"),),
        ),
        ("2024-03-30T12:00", "2024-04-01T12:00"),
        [
            ("2024-03-31T00:00", "2024-03-31T05:00", "A"),
            ("2024-03-31T23:00", "2024-04-01T05:00", "A"),
        ],
    ),
    Case(
        "years after the start, the turn is found by arithmetic",
        rotation(
            "2000-01-01T00:00", 1, LengthUnit.HOURS, turns=tuple((f"U{i}",) for i in range(10_000))
        ),
        ("2024-01-01T00:30", "2024-01-01T01:00"),
        [("2024-01-01T00:00", "2024-01-01T01:00", "U384")],
    ),
    Case(
        "an empty turn puts nobody on call but keeps its place",
        rotation("2024-01-01T00:00", turns=(("A",), (), ("C",))),
        ("2024-01-01T00:00", "2024-01-03T12:00"),
        [
            ("2024-01-01T00:00", "2024-01-02T00:00", "A"),
            ("2024-01-02T00:00", "2024-01-03T00:00", ""),
            ("2024-01-03T00:00", "2024-01-04T00:00", "C"),
        ],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_expand_rotation(case: Case) -> None:
    window = Window(at(case.window[0]), at(case.window[1]))
    events = expand_rotation(case.spec, window)
    got = [
        (f"{e.start:%Y-%m-%dT%H:%M}", f"{e.end:%Y-%m-%dT%H:%M}", "".join(e.users)) for e in events
    ]
    assert got == case.events
    assert all(e.shift_id == "R1" for e in events)


def test_an_instant_window_holds_the_turn_starting_at_it() -> None:
    spec = rotation("2024-01-01T00:00")
    instant = at("2024-01-02T00:00")
    events = expand_rotation(spec, Window(instant, instant))
    assert [(e.start, e.users) for e in events if e.start <= instant < e.end] == [(instant, ("B",))]


def test_layers_of_one_level_are_on_call_together() -> None:
    """Several rotations at one level: their members are on call together."""
    day = rotation(
        "2024-01-01T00:00", turns=(("A",),), restrictions=(DailyWindow(time(8), time(18)),)
    )
    night = replace(
        rotation(
            "2024-01-01T00:00", turns=(("B",),), restrictions=(DailyWindow(time(17), time(9)),)
        ),
        rotation_id="R2",
    )
    final = schedule_timeline(
        shifts=[],
        calendars=[],
        directory=UserDirectory(),
        window=Window(at("2024-01-01T16:00"), at("2024-01-01T19:00")),
        rotations=[day, night],
    )
    assert [(e.start.hour, e.end.hour, e.users, e.shift_id) for e in final] == [
        (8, 18, ("A",), "R1"),
        (17, 0, ("B",), "R2"),
    ]
