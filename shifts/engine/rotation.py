"""Expansion of one on-call shift into the events that meet a query window.

Semantics: docs/rotations.md (rendering rules), with docs/time-zones.md for time zones — every
occurrence starts at its own wall-clock time in the shift's zone and ends `duration` later on the
wall clock, each reading resolved in the zone (see `wallclock`).

A shift becomes *seeds* (upstream's iCal events): a wall-clock start, the users on call and an
optional recurrence. Each seed is expanded inside the window only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice, pairwise
from operator import eq
from zoneinfo import ZoneInfo

from shifts.engine import wallclock
from shifts.engine.recurrence import Rule, occurrences, weekday_number
from shifts.engine.rows import Row, ShiftOrigin, row_events
from shifts.engine.slots import Limits, RotationPlan, rotation_turns, turn_counts
from shifts.engine.types import Event, Frequency, ShiftSpec, ShiftType, Source, Window

# Wall-clock bounds are widened by this much so that no UTC offset can push an occurrence that
# meets the window outside them (offsets differ by at most a day).
_OFFSET_SLACK = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class _Seed:
    """Users on call from `start` (wall clock) and, if `rule` is set, at its occurrences too.
    `end_limit` is what the seed's wall-clock end is compared with before `until` caps it: the
    plain reading of `until`, or for a rotation turn reached from a counted one, the instant
    `until` seen on the zone's clock (docs/rotations.md#until)."""

    start: datetime
    users: tuple[str, ...]
    end_limit: datetime | None
    rule: Rule | None = None


@dataclass(frozen=True, slots=True)
class _Bounds:
    """What limits the occurrences: the window (also as a wall-clock range), the cap on a seed's
    end (`until` re-labelled in the zone, docs/rotations.md#until) and, for web shifts, the
    clipping start."""

    tz: ZoneInfo
    window: Window
    wall_lo: datetime
    wall_hi: datetime
    end_cap: datetime | None
    clip_start: datetime | None


def expand_shift(spec: ShiftSpec, window: Window) -> list[Event]:
    """Events of `spec` that intersect `window` (half-open; for an instant, start <= t < end).

    A few events just outside the window may be returned too; none inside is missed.
    """
    return row_events(shift_rows(spec, window))


def shift_rows(spec: ShiftSpec, window: Window) -> list[Row]:
    """`expand_shift` as rows, sorted by start."""
    bounds = _bounds(spec, window)
    origin = ShiftOrigin(spec.calendar_type, spec.level, spec.shift_id, spec.source)
    rows = [
        row for seed in _seeds(spec, bounds.tz) for row in _seed_rows(spec, seed, bounds, origin)
    ]
    if len(rows) < 2:
        return rows
    # one per slot: two turns of one group can repeat onto the same times (see `slots`), and
    # upstream merges such twins into one event (docs/rotations.md#twin-turns). Rows of one
    # shift differ only in (start, end, users), so they sort by those.
    rows.sort()
    if not any(map(eq, rows, islice(rows, 1, None))):
        return rows
    return rows[:1] + [row for previous, row in pairwise(rows) if row != previous]


def _seeds(spec: ShiftSpec, tz: ZoneInfo) -> list[_Seed]:
    if spec.type is ShiftType.SINGLE_EVENT:
        return [_Seed(spec.start, spec.users, spec.until)] if spec.users else []
    if spec.type is ShiftType.RECURRENT_EVENT:
        if not spec.users:
            return []
        return [_Seed(spec.start, spec.users, spec.until, _rule(spec, tz))]
    if spec.type is ShiftType.OVERRIDE:
        return _single_turn(spec, spec.users) if spec.users else []
    return _rolling_seeds(spec, tz)


def _rolling_seeds(spec: ShiftSpec, tz: ZoneInfo) -> list[_Seed]:
    index = spec.start_rotation_from_user_index or 0
    groups = spec.rolling_users[index:] + spec.rolling_users[:index]
    if not groups:
        return []
    if spec.frequency is None:
        return _single_turn(spec, groups[0])
    plain = Limits(_rotation_start(spec), spec.until)
    plan = RotationPlan(
        start=spec.start,
        rule=_rule(spec, tz),
        duration=spec.duration,
        group_count=len(groups),
        web=spec.source is Source.WEB,
        plain=plain,
        zoned=Limits(
            wallclock.to_wall(wallclock.naive_as_utc(plain.rotation_start), tz),
            _on_zone_clock(spec.until, tz),
        ),
    )
    return [
        _Seed(turn.start, groups[turn.group], turn.limits.until, turn.rule)
        for turn in rotation_turns(plan)
    ]


def _single_turn(spec: ShiftSpec, users: tuple[str, ...]) -> list[_Seed]:
    """A rotation without frequency (overrides): one event at `start`, if that turn counts."""
    web = spec.source is Source.WEB
    if not turn_counts(spec.start, spec.duration, _rotation_start(spec), web=web):
        return []
    return [_Seed(spec.start, users, spec.until)]


def _rotation_start(spec: ShiftSpec) -> datetime:
    return spec.rotation_start if spec.rotation_start is not None else spec.start


def _on_zone_clock(value: datetime | None, tz: ZoneInfo) -> datetime | None:
    """A naive value read as UTC, as the zone's wall clock shows that instant."""
    return None if value is None else wallclock.to_wall(wallclock.naive_as_utc(value), tz)


def _rule(spec: ShiftSpec, tz: ZoneInfo) -> Rule:
    """The shift's own recurrence; its UNTIL is `until` read as UTC, seen on the zone's clock."""
    assert spec.frequency is not None, "recurrent and rolling shifts carry a frequency"
    return Rule(
        frequency=Frequency(spec.frequency),
        interval=spec.interval or 1,
        by_day=tuple(weekday_number(code) for code in spec.by_day),
        by_month=spec.by_month,
        by_monthday=spec.by_monthday,
        week_start=weekday_number(spec.week_start),
        until=_on_zone_clock(spec.until, tz),
    )


def _bounds(spec: ShiftSpec, window: Window) -> _Bounds:
    tz = wallclock.zone(spec.time_zone)
    web = spec.source is Source.WEB
    return _Bounds(
        tz=tz,
        window=window,
        wall_lo=wallclock.to_wall(window.start, tz) - spec.duration - _OFFSET_SLACK,
        wall_hi=wallclock.to_wall(window.end, tz) + _OFFSET_SLACK,
        end_cap=spec.until,
        clip_start=wallclock.naive_as_utc(_rotation_start(spec)) if web else None,
    )


def _seed_rows(spec: ShiftSpec, seed: _Seed, bounds: _Bounds, origin: ShiftOrigin) -> list[Row]:
    # the seed's end is capped, and every repetition keeps the seed's length (an upstream rule
    # kept on purpose, docs/rotations.md#until)
    end = seed.start + spec.duration
    if bounds.end_cap is not None and seed.end_limit is not None and seed.end_limit < end:
        end = bounds.end_cap
    length = end - seed.start
    spans = wallclock.utc_spans(_seed_starts(seed, bounds), length, bounds.tz)
    if bounds.clip_start is not None:
        # web-source occurrences start no earlier than `rotation_start` read as UTC
        # (docs/rotations.md#web-created-shifts).
        # Their end is NOT clipped at `until`: the recorded upstream rows keep a repetition's
        # full length past `until` (conformance case g1-032-web); only the seed's end is capped.
        spans = [(max(start, bounds.clip_start), end) for start, end in spans]
    window_start, window_end, users = bounds.window.start, bounds.window.end, seed.users
    return [
        (start, end, users, (), origin)
        for start, end in spans
        if start < end and start <= window_end and end > window_start
    ]


def _seed_starts(seed: _Seed, bounds: _Bounds) -> list[datetime]:
    """Wall-clock starts of the seed's occurrences near the window; the seed's own start always
    counts (unless past UNTIL), even when it does not match the rule
    (docs/rotations.md#single-and-recurring-events)."""
    starts = []
    rule = seed.rule
    if bounds.wall_lo <= seed.start <= bounds.wall_hi and (
        rule is None or rule.until is None or seed.start <= rule.until
    ):
        starts.append(seed.start)
    if rule is not None:
        found = list(occurrences(rule, seed.start, bounds.wall_lo, bounds.wall_hi))
        # occurrences rise from the seed's start: only the first can be the seed's own
        if found and found[0] == seed.start:
            del found[0]
        starts += found
    return starts
