"""Gap detection (UPSTREAM-BEHAVIOUR §f.7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from shifts.engine import CalendarType, Event, Window, detect_gaps

B0 = datetime(2025, 3, 3, tzinfo=UTC)
WINDOW = Window(B0, B0 + timedelta(hours=24))


def at(hours: float) -> datetime:
    return B0 + timedelta(hours=hours)


def event(start: float, end: float, users: tuple[str, ...] = ("A",), all_day=False) -> Event:
    return Event(at(start), at(end), users, CalendarType.PRIMARY, all_day=all_day)


@dataclass(frozen=True)
class Scenario:
    name: str
    events: list[Event]
    expected: list[tuple[float, float]]
    window: Window = WINDOW


SECOND = 1 / 3600

SCENARIOS = [
    Scenario("no-events-no-gaps", [], []),
    Scenario("only-events-outside-the-window", [event(-5, 0), event(24, 30)], []),
    Scenario("res02-holes-around-one-shift", [event(10, 18)], [(0, 10), (18, 24)]),
    Scenario("back-to-back-events", [event(-1, 12), event(12, 25)], []),
    Scenario("overlapping-events", [event(0, 14), event(10, 24)], []),
    Scenario("hole-in-the-middle", [event(0, 10), event(11, 24)], [(10, 11)]),
    Scenario("hole-under-a-minute-is-merged", [event(0, 10), event(10 + 59 * SECOND, 24)], []),
    Scenario(
        "hole-of-exactly-a-minute-is-a-gap",
        [event(0, 10), event(10 + 60 * SECOND, 24)],
        [(10, 10 + 60 * SECOND)],
    ),
    Scenario("empty-events-count-as-coverage", [event(0, 10), event(10, 24, users=())], []),
    Scenario("any-all-day-event-disables-gaps", [event(10, 12), event(0, 24, all_day=True)], []),
    Scenario(
        "all-day-event-outside-the-window-does-not",
        [event(10, 12), event(30, 40, all_day=True)],
        [(0, 10), (12, 24)],
    ),
    Scenario("events-clipped-to-the-window", [event(-3, 2), event(20, 30)], [(2, 20)]),
    Scenario("instant-window-has-no-gaps", [event(1, 2)], [], Window(at(5), at(5))),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.name)
def test_detect_gaps(scenario: Scenario) -> None:
    gaps = detect_gaps(scenario.events, scenario.window)
    assert [(gap.start, gap.end) for gap in gaps] == [
        (at(start), at(end)) for start, end in scenario.expected
    ]


def test_gap_events_are_empty_gap_events() -> None:
    assert detect_gaps([event(10, 24)], WINDOW) == [
        Event(
            start=at(0),
            end=at(10),
            users=(),
            calendar_type=CalendarType.PRIMARY,
            level=0,
            shift_id=None,
            source=None,
            is_gap=True,
        )
    ]
