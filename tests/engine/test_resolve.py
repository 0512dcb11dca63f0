"""Resolution into final events: UPSTREAM-CASES §6 and the window rules of §f.8."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from shifts.engine import CalendarType, Event, FinalEvent, Window, detect_gaps, resolve
from shifts.engine.resolve import merge_same_slot

B0 = datetime(2025, 3, 3, tzinfo=UTC)
PRIMARY, OVERRIDES = CalendarType.PRIMARY, CalendarType.OVERRIDES


def at(hours: float) -> datetime:
    return B0 + timedelta(hours=hours)


def window(start: float = 0, end: float = 24) -> Window:
    return Window(at(start), at(end))


def raw(
    user: str,
    start: float,
    end: float,
    level: int = 0,
    calendar_type: CalendarType = PRIMARY,
    shift_id: str | None = None,
) -> Event:
    """One raw event; its shift id defaults to something unique to it (no §f.5.2 merging)."""
    return Event(
        start=at(start),
        end=at(end),
        users=(user,) if user else (),
        calendar_type=calendar_type,
        level=level,
        shift_id=shift_id or f"{user}-{calendar_type}-{level}-{start}",
    )


def override(user: str, start: float, end: float, level: int = 0) -> Event:
    return raw(user, start, end, level, OVERRIDES)


# (start h, end h, users, calendar type or None for a gap, level)
Row = tuple[float, float, tuple[str, ...], CalendarType | None, int]


def summary(final: list[FinalEvent]) -> list[Row]:
    return [
        (
            (event.start - B0) / timedelta(hours=1),
            (event.end - B0) / timedelta(hours=1),
            event.users,
            event.calendar_type,
            event.level,
        )
        for event in final
    ]


@dataclass(frozen=True)
class Scenario:
    name: str
    events: list[Event]
    expected: list[Row]
    window: Window = field(default_factory=window)
    with_gaps: bool = False


SCENARIOS = [
    Scenario(
        # RES-06, test_final_schedule_events: the canonical layering example.
        "res06-layering-with-overrides-and-gaps",
        [
            raw("A", 10, 15, 1),
            raw("B", 11, 13, 1),
            raw("A", 16, 19, 1),
            raw("A", 21, 22, 1),
            raw("B", 22, 24, 1),
            raw("C", 12, 14, 2),
            raw("D", 14, 15, 2),
            raw("D", 17, 18, 2),
            raw("D", 20, 23, 2),
            override("E", 22, 23, 0),
            override("A", 22, 22.5, 1),
        ],
        [
            (0, 10, (), None, 0),
            (10, 12, ("A",), PRIMARY, 1),
            (11, 12, ("B",), PRIMARY, 1),
            (12, 14, ("C",), PRIMARY, 2),
            (14, 15, ("D",), PRIMARY, 2),
            (15, 16, (), None, 0),
            (16, 17, ("A",), PRIMARY, 1),
            (17, 18, ("D",), PRIMARY, 2),
            (18, 19, ("A",), PRIMARY, 1),
            (19, 20, (), None, 0),
            (20, 22, ("D",), PRIMARY, 2),
            (22, 22.5, ("A",), OVERRIDES, 1),
            (22.5, 23, ("E",), OVERRIDES, 0),
            (23, 24, ("B",), PRIMARY, 1),
        ],
        with_gaps=True,
    ),
    Scenario(
        # RES-07: an override beats the primary calendar whatever the levels.
        "res07-override-beats-primary",
        [raw("A", 10, 15, 0), override("B", 10, 15)],
        [(10, 15, ("B",), OVERRIDES, 0)],
    ),
    Scenario(
        "override-beats-higher-primary-level",
        [raw("A", 10, 15, 5), override("B", 11, 12)],
        [
            (10, 11, ("A",), PRIMARY, 5),
            (11, 12, ("B",), OVERRIDES, 0),
            (12, 15, ("A",), PRIMARY, 5),
        ],
    ),
    Scenario(
        # RES-08: instant query one second after the override starts.
        "res08-override-split-instant-window",
        [raw("A", 10, 15, 0), override("B", 10, 14)],
        [(10, 14, ("B",), OVERRIDES, 0)],
        window=Window(at(10) + timedelta(seconds=1), at(10) + timedelta(seconds=1)),
    ),
    Scenario(
        # RES-09: a higher level splits a lower one, which resumes after it.
        "res09-splitting-events",
        [raw("A", 10, 20, 1), raw("B", 12, 16, 1), raw("C", 15, 18, 2)],
        [
            (10, 15, ("A",), PRIMARY, 1),
            (12, 15, ("B",), PRIMARY, 1),
            (15, 18, ("C",), PRIMARY, 2),
            (18, 20, ("A",), PRIMARY, 1),
        ],
    ),
    Scenario(
        # RES-10: same-time events of one level are all on call; shift id breaks start ties.
        "res10-splitting-same-time-events",
        [raw("B", 10, 20, 1), raw("A", 10, 20, 1), raw("C", 10, 13, 2)],
        [
            (10, 13, ("C",), PRIMARY, 2),
            (13, 20, ("A",), PRIMARY, 1),
            (13, 20, ("B",), PRIMARY, 1),
        ],
    ),
    Scenario(
        # RES-11: preview of a higher-level rotation.
        "res11-higher-level-in-the-middle",
        [raw("U", 9, 18, 1), raw("U2", 12, 13, 2)],
        [(9, 12, ("U",), PRIMARY, 1), (12, 13, ("U2",), PRIMARY, 2), (13, 18, ("U",), PRIMARY, 1)],
    ),
    Scenario(
        # RES-12: preview of an override.
        "res12-override-in-the-middle",
        [raw("U", 9, 18, 1), override("U2", 12, 13)],
        [
            (9, 12, ("U",), PRIMARY, 1),
            (12, 13, ("U2",), OVERRIDES, 0),
            (13, 18, ("U",), PRIMARY, 1),
        ],
    ),
    Scenario(
        "override-of-override-higher-level-wins",
        [override("E", 10, 14, 0), override("A", 11, 12, 99)],
        [
            (10, 11, ("E",), OVERRIDES, 0),
            (11, 12, ("A",), OVERRIDES, 99),
            (12, 14, ("E",), OVERRIDES, 0),
        ],
    ),
    Scenario(
        "same-level-overlap-is-concurrent",
        [raw("A", 9, 17, 0), raw("B", 13, 21, 0)],
        [(9, 17, ("A",), PRIMARY, 0), (13, 21, ("B",), PRIMARY, 0)],
    ),
    Scenario(
        "lower-event-spanning-two-blocks-is-split-twice",
        [raw("A", 0, 24, 0), raw("B", 4, 6, 1), raw("C", 10, 12, 2)],
        [
            (0, 4, ("A",), PRIMARY, 0),
            (4, 6, ("B",), PRIMARY, 1),
            (6, 10, ("A",), PRIMARY, 0),
            (10, 12, ("C",), PRIMARY, 2),
            (12, 24, ("A",), PRIMARY, 0),
        ],
    ),
    Scenario(
        "touching-blocks-merge-and-swallow-the-lower-event",
        [raw("A", 10, 14, 0), raw("B", 9, 12, 1), raw("C", 12, 15, 1)],
        [(9, 12, ("B",), PRIMARY, 1), (12, 15, ("C",), PRIMARY, 1)],
    ),
    Scenario(
        "empty-events-are-dropped-and-block-nothing",
        [raw("A", 10, 14, 0), raw("", 11, 12, 3)],
        [(10, 14, ("A",), PRIMARY, 0)],
    ),
    Scenario(
        "pieces-are-not-clipped-to-the-window",
        [raw("A", 2, 30, 0)],
        [(2, 30, ("A",), PRIMARY, 0)],
        window=window(10, 12),
    ),
    Scenario(
        "events-touching-the-window-are-outside",
        [raw("A", 0, 10, 0), raw("B", 12, 20, 0), raw("C", 11, 12, 0)],
        [(11, 12, ("C",), PRIMARY, 0)],
        window=window(10, 12),
    ),
    Scenario(
        "remainders-after-the-window-are-not-requeued",
        [raw("A", 10, 20, 0), raw("B", 11, 13, 1)],
        [(10, 11, ("A",), PRIMARY, 0), (11, 13, ("B",), PRIMARY, 1)],
        window=window(10, 13),
    ),
    Scenario(
        "piece-before-the-window-is-dropped",
        [raw("A", 8, 14, 0), raw("B", 9, 12.5, 1)],
        [(9, 12.5, ("B",), PRIMARY, 1), (12.5, 14, ("A",), PRIMARY, 0)],
        window=window(12, 13),
    ),
    Scenario(
        # §f.8 step 3 keeps a piece that ends exactly at W0 (upstream rule, kept on purpose).
        "piece-ending-exactly-at-window-start-is-kept",
        [raw("A", 8, 14, 0), raw("B", 12, 13, 1)],
        [(8, 12, ("A",), PRIMARY, 0), (12, 13, ("B",), PRIMARY, 1), (13, 14, ("A",), PRIMARY, 0)],
        window=window(12, 16),
    ),
    Scenario(
        # §f.8: on call at instant t iff start < t < end; nobody at the hand-over instant.
        "instant-window-at-a-handover-is-empty",
        [raw("A", 9, 17, 0), raw("B", 17, 24, 0)],
        [],
        window=window(17, 17),
    ),
    Scenario(
        "instant-window-inside-a-shift",
        [raw("A", 9, 17, 0), raw("B", 17, 24, 0)],
        [(9, 17, ("A",), PRIMARY, 0)],
        window=window(16.5, 16.5),
    ),
    Scenario(
        # DER-05: back-to-back events of one user stay separate.
        "back-to-back-events-are-not-joined",
        [raw("A", 0, 24, 0, shift_id="S1"), raw("A", 24, 48, 0, shift_id="S1")],
        [(0, 24, ("A",), PRIMARY, 0), (24, 48, ("A",), PRIMARY, 0)],
        window=window(0, 48),
    ),
    Scenario(
        # §f.5.2: one slot of a multi-user rotation arrives as one event per user.
        "same-slot-events-merge-users-in-order-without-duplicates",
        [
            raw("A", 10, 12, 0, shift_id="S1"),
            raw("B", 10, 12, 0, shift_id="S1"),
            raw("A", 10, 12, 0, shift_id="S1"),
        ],
        [(10, 12, ("A", "B"), PRIMARY, 0)],
    ),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.name)
def test_resolution(scenario: Scenario) -> None:
    events = list(scenario.events)
    if scenario.with_gaps:
        events += detect_gaps(events, scenario.window)
    assert summary(resolve(events, scenario.window)) == scenario.expected


def test_final_events_carry_shift_and_source_of_their_raw_event() -> None:
    event = Event(
        start=at(1),
        end=at(2),
        users=("A",),
        calendar_type=OVERRIDES,
        level=3,
        shift_id="OABC",
        source=None,
        all_day=True,
    )
    assert resolve([event], window()) == [
        FinalEvent(
            start=at(1),
            end=at(2),
            users=("A",),
            calendar_type=OVERRIDES,
            level=3,
            shift_id="OABC",
            source=None,
            all_day=True,
        )
    ]


def test_output_is_sorted_by_start_then_shift_id() -> None:
    events = [
        raw("A", 5, 6, shift_id="Z"),
        raw("B", 5, 6, shift_id="M"),
        Event(start=at(5), end=at(6), users=("C",), calendar_type=PRIMARY),
        raw("D", 1, 2, shift_id="Z"),
    ]
    assert [(e.start, e.shift_id) for e in resolve(events, window())] == [
        (at(1), "Z"),
        (at(5), None),
        (at(5), "M"),
        (at(5), "Z"),
    ]


@dataclass(frozen=True)
class MergeScenario:
    name: str
    events: list[Event]
    expected: list[tuple[float, tuple[str, ...], tuple[str, ...]]]  # start, users, missing


MERGES = [
    MergeScenario(
        "consecutive-same-start-same-shift",
        [
            Event(at(1), at(2), ("A",), PRIMARY, shift_id="S", missing_users=("x",)),
            Event(at(1), at(2), ("B", "A"), PRIMARY, shift_id="S", missing_users=("x", "y")),
        ],
        [(1, ("A", "B"), ("x", "y"))],
    ),
    MergeScenario(
        "no-shift-id-never-merges",
        [Event(at(1), at(2), ("A",), PRIMARY), Event(at(1), at(2), ("B",), PRIMARY)],
        [(1, ("A",), ()), (1, ("B",), ())],
    ),
    MergeScenario(
        "other-shift-in-between-prevents-merge",
        [
            Event(at(1), at(2), ("A",), PRIMARY, shift_id="S"),
            Event(at(1), at(2), ("B",), PRIMARY, shift_id="T"),
            Event(at(1), at(2), ("C",), PRIMARY, shift_id="S"),
        ],
        [(1, ("A",), ()), (1, ("B",), ()), (1, ("C",), ())],
    ),
    MergeScenario(
        "sorted-by-start-first",
        [
            Event(at(3), at(4), ("A",), PRIMARY, shift_id="S"),
            Event(at(1), at(2), ("B",), PRIMARY, shift_id="S"),
            Event(at(3), at(5), ("C",), PRIMARY, shift_id="S"),
        ],
        [(1, ("B",), ()), (3, ("A", "C"), ())],
    ),
]


@pytest.mark.parametrize("scenario", MERGES, ids=lambda scenario: scenario.name)
def test_merge_same_slot(scenario: MergeScenario) -> None:
    merged = merge_same_slot(scenario.events)
    assert [
        ((e.start - B0) / timedelta(hours=1), e.users, e.missing_users) for e in merged
    ] == scenario.expected
