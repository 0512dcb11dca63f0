"""When the set of users on call changes, and why (docs/oncall-events.md#change-instants).

On call at `t` means `start <= t < end` (docs/differences.md#hand-over-instants), so the set can
only change where a final event with users starts or ends. The sweep below walks those instants
once, in order, instead of asking "who is on call" minute by minute.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from shifts.engine.gaps import detect_gaps
from shifts.engine.types import CalendarType, Event, FinalEvent, Window
from shifts.engine.window import overlaps


class ChangeCause(StrEnum):
    """What made the set change at an instant: an override starting or ending there, else a
    piece that a taken shift swap gave its benefactor, else the turn of a rotation or event of
    the primary calendar."""

    ROTATION = "rotation"
    OVERRIDE = "override"
    SWAP = "swap"


@dataclass(frozen=True, slots=True)
class OnCallChange:
    """From `at` on, `users` are on call (in the order the events name them), because of
    `cause`."""

    at: datetime
    users: tuple[str, ...]
    cause: ChangeCause


def users_at(events: Iterable[FinalEvent], instant: datetime) -> tuple[str, ...]:
    """The users on call at `instant`, in the order the events name them."""
    on_call = (event for event in events if event.start <= instant < event.end)
    return tuple(dict.fromkeys(user for event in on_call for user in event.users))


def on_call_changes(
    events: Sequence[FinalEvent], after: datetime, until: datetime, before: Collection[str]
) -> list[OnCallChange]:
    """Each instant `t` with `after < t <= until` at which the users on call differ, as a set,
    from the ones just before `t`; the ones on call at `after` are taken to be `before`.

    `events` are final events of a window that holds `[after, until]` (gaps and empty events
    are skipped). Events starting or ending at one instant are all applied before the set at
    that instant is compared, so a hand-over from one turn to the next is one change.
    """
    staffed = [event for event in events if event.users and event.end > after]
    # Events by position in `staffed`, whose order the users of a set keep.
    active: Counter[int] = Counter(
        index for index, event in enumerate(staffed) if event.start <= after < event.end
    )
    moves: dict[datetime, list[tuple[int, int]]] = {}
    for index, event in enumerate(staffed):
        if after < event.start <= until:
            moves.setdefault(event.start, []).append((1, index))
        if after < event.end <= until:
            moves.setdefault(event.end, []).append((-1, index))
    changes = []
    current = frozenset(before)
    for instant in sorted(moves):
        for step, index in moves[instant]:
            active[index] += step
        on_call = [staffed[index] for index in sorted(+active)]
        users = tuple(dict.fromkeys(user for event in on_call for user in event.users))
        if frozenset(users) != current:
            moved = [staffed[index] for _, index in moves[instant]]
            changes.append(OnCallChange(instant, users, cause_of(moved)))
            current = frozenset(users)
    return changes


def cause_of(moved: Sequence[FinalEvent]) -> ChangeCause:
    """An override starting or ending at the instant makes it an override's change; else a
    piece with a benefactor of a taken swap in it (`FinalEvent.swaps`), a swap's."""
    if any(event.calendar_type == CalendarType.OVERRIDES for event in moved):
        return ChangeCause.OVERRIDE
    if any(mark.taken for event in moved for mark in event.swaps):
        return ChangeCause.SWAP
    return ChangeCause.ROTATION


@dataclass(frozen=True, slots=True)
class CoverageProblems:
    """What a window's raw events leave uncovered (docs/oncall-events.md#gap-warnings): gaps,
    where no event is, and empty events, whose users cannot be on call."""

    gaps: tuple[tuple[datetime, datetime], ...]
    empty: tuple[Event, ...]

    def __bool__(self) -> bool:
        return bool(self.gaps or self.empty)


def coverage_problems(events: Sequence[Event], window: Window) -> CoverageProblems:
    """The gaps of `window` (as `detect_gaps` finds them) and the empty events inside it."""
    return CoverageProblems(
        gaps=tuple((gap.start, gap.end) for gap in detect_gaps(events, window)),
        empty=tuple(
            event
            for event in sorted(events, key=lambda event: (event.start, event.shift_id or ""))
            if not event.users and not event.is_gap and overlaps(event.start, event.end, window)
        ),
    )
