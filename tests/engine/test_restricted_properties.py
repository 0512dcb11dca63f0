"""Properties of `expand_rotation` over random rotations, restrictions and windows (hypothesis).

The oracle for "inside a window" reads the window's wall-clock ends with the standard library
(`fold=0`, as docs/time-zones.md says), independently of the engine's own conversions.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from shifts.engine import DailyWindow, LengthUnit, RotationSpec, WeeklyWindow, Window
from shifts.engine import expand_rotation as expand
from shifts.engine.restrictions import Restriction

ZONES = ("UTC", "America/Chicago", "Europe/London", "Australia/Sydney", "Asia/Kolkata")
MEMBERS = ("A", "B", "C", "D", "E")
times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
LONGEST = {LengthUnit.HOURS: 72, LengthUnit.DAYS: 14, LengthUnit.WEEKS: 4}


@st.composite
def restrictions(draw: st.DrawFn) -> Restriction:
    zone = draw(st.sampled_from(ZONES))
    if draw(st.booleans()):
        return DailyWindow(draw(times), draw(times), zone)
    return WeeklyWindow(
        draw(st.integers(0, 6)), draw(times), draw(st.integers(0, 6)), draw(times), zone
    )


@st.composite
def rotations(draw: st.DrawFn, restricted: bool = True) -> RotationSpec:
    start = draw(st.datetimes(datetime(2023, 1, 1), datetime(2025, 12, 31))).replace(
        second=0, microsecond=0, tzinfo=UTC
    )
    unit = draw(st.sampled_from(LengthUnit))
    count = draw(st.integers(1, len(MEMBERS)))
    end = draw(st.one_of(st.none(), st.integers(1, 24 * 90).map(lambda h: timedelta(hours=h))))
    return RotationSpec(
        rotation_id="R1",
        time_zone=draw(st.sampled_from(ZONES)),
        start=start,
        length=draw(st.integers(1, LONGEST[unit])),
        unit=unit,
        turns=tuple((member,) for member in MEMBERS[:count]),
        end=None if end is None else start + end,
        restrictions=tuple(draw(st.lists(restrictions(), min_size=1, max_size=3)))
        if restricted
        else (),
    )


@st.composite
def windows(draw: st.DrawFn, spec: RotationSpec) -> Window:
    start = spec.start + timedelta(hours=draw(st.integers(-48, 24 * 120)))
    return Window(start, start + timedelta(hours=draw(st.integers(1, 24 * 21))))


def inside(window: Restriction, instant: datetime) -> bool:
    """Whether `instant` falls in an occurrence of `window` (standard library conversions)."""
    tz = ZoneInfo(window.time_zone)
    day = instant.astimezone(tz).date()
    for back in range(-1, 9):
        wall_day = datetime.combine(day - timedelta(days=back), time())
        if isinstance(window, WeeklyWindow):
            if wall_day.weekday() != window.start_day:
                continue
            end_day = (window.end_day - window.start_day) % 7
        else:
            end_day = 0
        start = datetime.combine(wall_day, window.start)
        end = datetime.combine(wall_day + timedelta(days=end_day), window.end)
        if end <= start:
            end += timedelta(days=7 if isinstance(window, WeeklyWindow) else 1)
        utc_start = start.replace(tzinfo=tz).astimezone(UTC)
        if utc_start <= instant < end.replace(tzinfo=tz).astimezone(UTC):
            return True
    return False


def probes(start: datetime, end: datetime) -> list[datetime]:
    return [start, start + (end - start) / 2, end - timedelta(microseconds=1)]


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_restricted_rotation_is_on_call_only_inside_its_windows(data) -> None:
    spec = data.draw(rotations())
    for event in expand(spec, data.draw(windows(spec))):
        for instant in probes(event.start, event.end):
            assert any(inside(window, instant) for window in spec.restrictions), (event, instant)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_restricted_rotation_is_on_call_only_when_the_unrestricted_one_is(data) -> None:
    spec = data.draw(rotations())
    window = data.draw(windows(spec))
    plain = expand(replace(spec, restrictions=()), window)
    for event in expand(spec, window):
        assert any(
            turn.start <= event.start and event.end <= turn.end and turn.users == event.users
            for turn in plain
        ), event


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_no_member_is_ever_skipped(data) -> None:
    """Unrestricted turns follow each other without a hole, each lasting some time, and the
    members come in their order."""
    spec = replace(data.draw(rotations(restricted=False)), end=None)
    events = expand(spec, data.draw(windows(spec)))
    order = [turn[0] for turn in spec.turns]
    for before, after in pairwise(events):
        assert before.end == after.start
        following = order[(order.index(before.users[0]) + 1) % len(order)]
        assert after.users == (following,)
    assert all(event.start < event.end for event in events)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_a_longer_window_gives_the_same_events_and_more(data) -> None:
    spec = data.draw(rotations())
    window = data.draw(windows(spec))
    longer = Window(window.start - timedelta(days=3), window.end + timedelta(days=5))
    assert set(expand(spec, window)) <= set(expand(spec, longer))


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_nobody_before_the_start_nor_from_the_end_on(data) -> None:
    spec = data.draw(rotations())
    for event in expand(spec, data.draw(windows(spec))):
        assert spec.start <= event.start
        assert spec.end is None or event.end <= spec.end
