"""Shift swaps applied before layering (UPSTREAM-CASES §8, SWP-01..08), over rotations, levels,
overrides and daylight saving days; and properties against upstream's literal loop."""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shifts.engine import (
    CalendarType,
    Event,
    FinalEvent,
    Frequency,
    ShiftSpec,
    ShiftType,
    Source,
    Swap,
    Swaps,
    UserDirectory,
    Window,
    resolve,
    schedule_timeline,
)
from shifts.engine.rows import Row, event_rows
from shifts.engine.swaps import swap_marks, swapped_rows
from tests.engine.test_blocks import (
    BLOCK,
    assert_block_answers_as_the_window,
    slot_events,
    windows_in,
)
from tests.engine.test_properties import HORIZON, USERS, at, covers, probes

# Upstream's swap tests: D0 is "today" 00:00 UTC, "now" is later that day, swaps come by U.
D0 = datetime(2025, 3, 3, tzinfo=UTC)
NOW = D0 + timedelta(hours=10)
PRIMARY, OVERRIDES = CalendarType.PRIMARY, CalendarType.OVERRIDES
NOBODY = UserDirectory()
HOUR = timedelta(hours=1)


def hours(value: float) -> datetime:
    return D0 + timedelta(hours=value)


def rotation(
    groups: tuple[tuple[str, ...], ...] = (("U",),),
    start: float = 12,
    length: float = 3,
    *,
    level: int = 1,
    shift_id: str = "R1",
    zone: str = "UTC",
    wall_start: datetime | None = None,
) -> ShiftSpec:
    """A daily rotation from D0 (or `wall_start`, a wall-clock time in `zone`)."""
    wall = wall_start or (D0 + timedelta(hours=start)).replace(tzinfo=None)
    return ShiftSpec(
        shift_id=shift_id,
        type=ShiftType.ROLLING_USERS,
        calendar_type=PRIMARY,
        time_zone=zone,
        start=wall,
        rotation_start=wall,
        duration=timedelta(hours=length),
        level=level,
        source=Source.WEB,
        frequency=Frequency.DAILY,
        interval=1,
        rolling_users=groups,
        start_rotation_from_user_index=0,
    )


def override(users: tuple[str, ...], start: float, length: float, shift_id="O1") -> ShiftSpec:
    wall = (D0 + timedelta(hours=start)).replace(tzinfo=None)
    return ShiftSpec(
        shift_id=shift_id,
        type=ShiftType.OVERRIDE,
        calendar_type=OVERRIDES,
        time_zone="UTC",
        start=wall,
        rotation_start=wall,
        duration=timedelta(hours=length),
        level=99,
        source=Source.WEB,
        users=users,
    )


def swap(
    start: float,
    end: float,
    benefactor: str | None = None,
    *,
    swap_id: str = "SSR1",
    beneficiary: str = "U",
    taken: bool | None = None,
) -> Swap:
    return Swap(
        swap_id=swap_id,
        start=hours(start),
        end=hours(end),
        beneficiary=beneficiary,
        taken=benefactor is not None if taken is None else taken,
        benefactor=benefactor,
    )


# A final event as (start h, end h, users, layer, level, marks as (user index, swap id, taken)).
Summary = tuple[float, float, tuple[str, ...], CalendarType | None, int, tuple]


def summary(final: list[FinalEvent]) -> list[Summary]:
    return [
        (
            (event.start - D0) / timedelta(hours=1),
            (event.end - D0) / timedelta(hours=1),
            event.users,
            event.calendar_type,
            event.level,
            tuple((mark.user_index, mark.swap_id, mark.taken) for mark in event.swaps),
        )
        for event in final
    ]


def row(start, end, users=("U",), marks=(), level=1, layer=PRIMARY) -> Summary:
    return (start, end, users, layer, level, marks)


@dataclass(frozen=True)
class Scenario:
    name: str
    shifts: list[ShiftSpec]
    swaps: list[Swap]
    expected: list[Summary]
    window: Window = field(default_factory=lambda: Window(hours(0), hours(48)))
    now: datetime = NOW


OPEN = (0, "SSR1", False)
TAKEN = (0, "SSR1", True)

SCENARIOS = [
    # SWP-01, test_swap_request_split_start: the swap starts inside tomorrow's shift.
    Scenario(
        "swp01-split-start-open",
        [rotation()],
        [swap(37, 42)],
        [row(12, 15), row(36, 37), row(37, 39, marks=(OPEN,))],
    ),
    Scenario(
        "swp01-split-start-taken",
        [rotation()],
        [swap(37, 42, "X")],
        [row(12, 15), row(36, 37), row(37, 39, ("X",), (TAKEN,))],
    ),
    # SWP-02, test_swap_request_split_end.
    Scenario(
        "swp02-split-end-open",
        [rotation()],
        [swap(34, 37)],
        [row(12, 15), row(36, 37, marks=(OPEN,)), row(37, 39)],
    ),
    Scenario(
        "swp02-split-end-taken",
        [rotation()],
        [swap(34, 37, "X")],
        [row(12, 15), row(36, 37, ("X",), (TAKEN,)), row(37, 39)],
    ),
    # SWP-03, test_swap_request_split_final_events_range: the instant tomorrow 16:10.
    Scenario(
        "swp03-instant-inside-the-swap",
        [rotation(start=10, length=8)],
        [swap(40, 42, "X")],
        [row(40, 42, ("X",), (TAKEN,))],
        window=Window(hours(40 + 1 / 6), hours(40 + 1 / 6)),
    ),
    # SWP-04, test_swap_request_split_both.
    Scenario(
        "swp04-split-both-open",
        [rotation()],
        [swap(37, 38)],
        [row(12, 15), row(36, 37), row(37, 38, marks=(OPEN,)), row(38, 39)],
    ),
    Scenario(
        "swp04-split-both-taken",
        [rotation()],
        [swap(37, 38, "X")],
        [row(12, 15), row(36, 37), row(37, 38, ("X",), (TAKEN,)), row(38, 39)],
    ),
    # SWP-06, test_swap_request_whole_shift: from the end of one shift to the start of the next.
    Scenario(
        "swp06-whole-shift",
        [rotation()],
        [swap(39, 84, "X")],
        [row(36, 39), row(60, 63, ("X",), (TAKEN,))],
        window=Window(hours(24), hours(72)),
    ),
    # SWP-07, test_swap_request_partial_replace: only U's place in a group of two changes.
    Scenario(
        "swp07-partial-replace-open",
        [rotation((("U", "U2"),))],
        [swap(34, 37)],
        [row(12, 15, ("U", "U2")), row(36, 37, ("U", "U2"), (OPEN,)), row(37, 39, ("U", "U2"))],
    ),
    Scenario(
        "swp07-partial-replace-taken",
        [rotation((("U", "U2"),))],
        [swap(34, 37, "X")],
        [row(12, 15, ("U", "U2")), row(36, 37, ("X", "U2"), (TAKEN,)), row(37, 39, ("U", "U2"))],
    ),
    Scenario(
        "swp07-second-of-the-group",
        [rotation((("U2", "U"),))],
        [swap(34, 37, "X")],
        [
            row(12, 15, ("U2", "U")),
            row(36, 37, ("U2", "X"), ((1, "SSR1", True),)),
            row(37, 39, ("U2", "U")),
        ],
    ),
    # SWP-08, test_swap_request_no_changes (a deleted swap never reaches the engine).
    Scenario(
        "swp08-no-changes",
        [rotation()],
        [
            swap(0, 24, "X", beneficiary="OTHER", swap_id="not-in-schedule"),
            swap(-168, -144, swap_id="open-last-week"),
            swap(-24, 24, swap_id="open-and-started"),
        ],
        [row(12, 15), row(36, 39)],
    ),
    Scenario(
        "an-open-swap-starting-now-still-splits",
        [rotation()],
        [swap(13, 14)],
        [row(12, 13), row(13, 14, marks=(OPEN,)), row(14, 15), row(36, 39)],
        now=hours(13),
    ),
    Scenario(
        "an-open-swap-that-started-a-moment-ago-changes-nothing",
        [rotation()],
        [swap(13, 14)],
        [row(12, 15), row(36, 39)],
        now=hours(13) + timedelta(microseconds=1),
    ),
    Scenario(
        "a-taken-swap-under-way-still-applies",
        [rotation()],
        [swap(13, 14, "X")],
        [row(12, 13), row(13, 14, ("X",), (TAKEN,)), row(14, 15), row(36, 39)],
        now=hours(30),
    ),
    # Levels: U's level-1 rotation is hidden by V's level-2 one from 13 to 14 tomorrow.
    Scenario(
        "a-swap-reaches-only-what-a-higher-level-leaves-visible",
        [rotation(), rotation((("V",),), 13, 1, level=2, shift_id="R2")],
        [swap(36, 39, "X")],
        [
            row(12, 13),
            row(13, 14, ("V",), level=2),
            row(14, 15),
            row(36, 37, ("X",), (TAKEN,)),
            row(37, 38, ("V",), level=2),
            row(38, 39, ("X",), (TAKEN,)),
        ],
    ),
    Scenario(
        "a-swapped-higher-level-still-blocks-the-lower",
        [rotation(), rotation((("V",),), 13, 1, level=2, shift_id="R2")],
        [swap(36, 39, "X", beneficiary="V")],
        [
            row(12, 13),
            row(13, 14, ("V",), level=2),
            row(14, 15),
            row(36, 37),
            row(37, 38, ("X",), (TAKEN,), level=2),
            row(38, 39),
        ],
    ),
    # Overrides: the beneficiary's override is swapped as well as its rotation.
    Scenario(
        "a-swap-covers-rotations-and-overrides",
        [rotation((("V",),)), override(("U",), 37, 1)],
        [swap(36, 48, "X")],
        [
            row(12, 15, ("V",)),
            row(36, 37, ("V",)),
            row(37, 38, ("X",), (TAKEN,), level=99, layer=OVERRIDES),
            row(38, 39, ("V",)),
        ],
    ),
    # Swaps one after the other, each on what the earlier ones left.
    Scenario(
        "a-later-swap-takes-over-the-benefactors-place",
        [rotation()],
        [swap(36, 39, "X"), swap(37, 38, "Y", beneficiary="X", swap_id="SSR2")],
        [
            row(12, 15),
            row(36, 37, ("X",), (TAKEN,)),
            row(37, 38, ("Y",), ((0, "SSR2", True),)),
            row(38, 39, ("X",), (TAKEN,)),
        ],
    ),
    Scenario(
        "an-earlier-swap-of-the-benefactor-finds-nobody",
        [rotation()],
        [swap(37, 38, "Y", beneficiary="X", swap_id="SSR2"), swap(36, 39, "X")],
        [row(12, 15), row(36, 39, ("X",), (TAKEN,))],
    ),
    Scenario(
        "the-benefactor-already-in-the-group-appears-twice-as-upstream",
        [rotation((("U", "X"),))],
        [swap(36, 39, "X")],
        [row(12, 15, ("U", "X")), row(36, 39, ("X", "X"), (TAKEN,))],
    ),
    # Taken by someone who may not be on call: the place goes to nobody, and an empty piece
    # hides nothing below it.
    Scenario(
        "taken-by-nobody-who-may-be-on-call",
        [rotation(), rotation((("V",),), 0, 24, level=0, shift_id="R0")],
        [swap(37, 38, taken=True)],
        [
            row(0, 12, ("V",), level=0),
            row(12, 15),
            row(15, 24, ("V",), level=0),
            row(24, 36, ("V",), level=0),
            row(36, 37),
            row(37, 38, ("V",), level=0),
            row(38, 39),
            row(39, 48, ("V",), level=0),
        ],
    ),
    # A swap of no length splits the shift around a piece of no length, as upstream's does.
    Scenario(
        "a-swap-of-no-length",
        [rotation()],
        [swap(37, 37, "X")],
        [row(12, 15), row(36, 37), row(37, 37, ("X",), (TAKEN,)), row(37, 39)],
    ),
]


def timeline_of(scenario: Scenario) -> list[FinalEvent]:
    return schedule_timeline(
        shifts=scenario.shifts,
        calendars=[],
        directory=NOBODY,
        window=scenario.window,
        swaps=Swaps(tuple(scenario.swaps), scenario.now),
    )


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.name)
def test_swaps(scenario: Scenario) -> None:
    assert summary(timeline_of(scenario)) == scenario.expected


# Daylight saving days: a 00:00-06:00 rotation in Chicago is 5 hours long on 2025-03-09 (spring
# forward, 06:00Z-11:00Z) and 7 hours on 2025-11-02 (fall back, 05:00Z-12:00Z). Swaps are instants.
CHICAGO = "America/Chicago"
DST_CASES = {
    "spring-forward-split-inside": (
        datetime(2025, 3, 9),
        [(datetime(2025, 3, 9, 8, tzinfo=UTC), datetime(2025, 3, 9, 10, tzinfo=UTC))],
        [(6, 8, "U"), (8, 10, "X"), (10, 11, "U"), (29, 35, "U")],
    ),
    "spring-forward-day-by-the-old-offset": (
        datetime(2025, 3, 9),
        [(datetime(2025, 3, 9, 6, tzinfo=UTC), datetime(2025, 3, 10, 6, tzinfo=UTC))],
        [(6, 11, "X"), (29, 30, "X"), (30, 35, "U")],
    ),
    "fall-back-split-inside": (
        datetime(2025, 11, 2),
        [(datetime(2025, 11, 2, 6, tzinfo=UTC), datetime(2025, 11, 2, 7, tzinfo=UTC))],
        [(5, 6, "U"), (6, 7, "X"), (7, 12, "U"), (30, 36, "U")],
    ),
}


@pytest.mark.parametrize("day, periods, expected", DST_CASES.values(), ids=DST_CASES.keys())
def test_swaps_on_daylight_saving_days(day, periods, expected) -> None:
    spec = rotation(zone=CHICAGO, length=6, wall_start=day - timedelta(days=3))
    midnight = day.replace(tzinfo=UTC)
    swaps = tuple(
        Swap(f"SSR{number}", start, end, "U", taken=True, benefactor="X")
        for number, (start, end) in enumerate(periods)
    )
    final = schedule_timeline(
        shifts=[spec],
        calendars=[],
        directory=NOBODY,
        window=Window(midnight, midnight + timedelta(days=2)),
        swaps=Swaps(swaps, midnight - timedelta(days=1)),
    )
    in_hours = [
        ((event.start - midnight) / HOUR, (event.end - midnight) / HOUR, *event.users)
        for event in final
    ]
    assert in_hours == expected


def test_no_swaps_change_nothing() -> None:
    plain = schedule_timeline(
        shifts=[rotation()], calendars=[], directory=NOBODY, window=Window(hours(0), hours(48))
    )
    assert timeline_of(Scenario("none", [rotation()], [], [])) == plain


# --- properties -------------------------------------------------------------------------------


def literal_swaps(rows: list[Row], swaps: Swaps) -> list[tuple]:
    """Upstream's loop, literally, on events as dictionaries: each swap walks the whole list,
    replacing an event it concerns by its pieces at the same place (copies of the event before
    and after the period; inside it, the beneficiary's entry changed and annotated in place);
    past-due swaps are skipped; then the list is sorted by start, stably, as upstream's
    resolution orders a layer's events. A swap taken by nobody who may be on call (ours alone)
    removes the entry."""
    events = [
        {"start": start, "end": end, "users": [{"pk": user} for user in users]}
        for start, end, users, _, _ in rows
    ]
    for swap in swaps.requests:
        if not swap.taken and swap.start < swaps.now:
            continue
        index = 0
        while index < len(events):
            event = events.pop(index)
            concerned = swap.beneficiary in {user["pk"] for user in event["users"]}
            if event["start"] >= swap.end or event["end"] <= swap.start or not concerned:
                events.insert(index, event)
                index += 1
                continue
            before = after = None
            if event["start"] < swap.start:
                before = deepcopy(event)
                before["end"] = event["start"] = swap.start
            if event["end"] > swap.end:
                after = deepcopy(event)
                after["start"] = event["end"] = swap.end
            user = next(user for user in event["users"] if user["pk"] == swap.beneficiary)
            if swap.taken and swap.benefactor is None:
                event["users"].remove(user)
            else:
                if swap.taken:
                    user["pk"] = swap.benefactor
                user["swap"] = (swap.swap_id, swap.beneficiary, swap.taken)
            for piece in (before, event, after):
                if piece is not None:
                    events.insert(index, piece)
                    index += 1
    events.sort(key=lambda event: event["start"])
    return [
        (
            event["start"],
            event["end"],
            tuple(user["pk"] for user in event["users"]),
            [(i, *user["swap"]) for i, user in enumerate(event["users"]) if "swap" in user],
        )
        for event in events
    ]


def comparable(rows: list[Row]) -> list[tuple]:
    return [
        (
            start,
            end,
            users,
            [(m.user_index, m.swap_id, m.beneficiary, m.taken) for m in swap_marks(origin)],
        )
        for start, end, users, _, origin in rows
    ]


@st.composite
def swaps_on_the_grid(draw: st.DrawFn) -> Swaps:
    """Up to four swaps among the test users, some open, some taken (one by nobody who may be
    on call), on the 15-minute grid of the events, "now" somewhere on it."""
    requests = []
    for number in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, HORIZON - 1))
        end = draw(st.integers(start, min(HORIZON, start + 40)))
        kind = draw(st.sampled_from(["open", "taken", "taken by nobody"]))
        requests.append(
            Swap(
                swap_id=f"SSR{number}",
                start=at(start),
                end=at(end),
                beneficiary=draw(st.sampled_from(USERS)),
                taken=kind != "open",
                benefactor=draw(st.sampled_from(USERS)) if kind == "taken" else None,
            )
        )
    return Swaps(tuple(requests), at(draw(st.integers(0, HORIZON))))


@st.composite
def merged_rows(draw: st.DrawFn) -> list[Row]:
    """Rows sorted by start as resolution has them after merging rotation slots: some of no
    length, some sharing a start, some of several users."""
    events = []
    for number in range(draw(st.integers(0, 10))):
        start = draw(st.integers(0, HORIZON - 1))
        events.append(
            Event(
                start=at(start),
                end=at(start + draw(st.sampled_from([0, 1, 4, 16, 40]))),
                users=tuple(draw(st.lists(st.sampled_from(USERS), min_size=1, max_size=3))),
                calendar_type=draw(st.sampled_from(CalendarType)),
                shift_id=f"S{number}",
            )
        )
    return sorted(event_rows(events), key=lambda each: each[0])


@settings(max_examples=300, deadline=None)
@given(merged_rows(), swaps_on_the_grid())
def test_swaps_apply_as_upstreams_loop(rows: list[Row], swaps: Swaps) -> None:
    assert comparable(swapped_rows(list(rows), swaps)) == literal_swaps(rows, swaps)


@st.composite
def taken_swap(draw: st.DrawFn) -> Swap:
    start = draw(st.integers(0, HORIZON - 1))
    beneficiary, benefactor = draw(st.permutations(USERS))[:2]
    return Swap(
        "SSR1", at(start), at(draw(st.integers(start, HORIZON))), beneficiary, True, benefactor
    )


@settings(max_examples=300, deadline=None)
@given(slot_events(), taken_swap(), st.integers(0, HORIZON))
def test_a_taken_swap_changes_only_who_inside_its_period(events, taken, now) -> None:
    """Inside the period the beneficiary is replaced by the benefactor; outside it, and for
    when anyone is on call at all, nothing changes."""
    window = Window(at(0), at(HORIZON))
    plain = resolve(events, window)
    swapped = resolve(events, window, Swaps((taken,), at(now)))
    for instant in probes(events, window):
        before = {user for e in plain if covers(e, instant) for user in e.users}
        after = {user for e in swapped if covers(e, instant) for user in e.users}
        if taken.start <= instant < taken.end and taken.beneficiary in before:
            assert after == (before - {taken.beneficiary}) | {taken.benefactor}
        else:
            assert after == before


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_window_with_swaps_is_answered_from_its_block(data) -> None:
    events = data.draw(slot_events())
    window = data.draw(windows_in(BLOCK))
    swaps = data.draw(swaps_on_the_grid())

    assert_block_answers_as_the_window(events, BLOCK, window, swaps)
