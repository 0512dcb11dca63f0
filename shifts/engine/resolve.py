"""Resolution of raw events into the final schedule (UPSTREAM-BEHAVIOUR §f.5.2 and §f.8).

Layers: overrides beat the primary calendar whatever the level; within a calendar type a higher
level beats a lower one; events of one (calendar type, level) group never block each other, so
same-level overlaps are all on call together. A blocked event is split around the blocking
pieces and its remainders are processed again in priority order.
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from operator import attrgetter

from shifts.engine.intervals import Interval, merge, split_at_first_block
from shifts.engine.types import CalendarType, Event, FinalEvent, Window
from shifts.engine.window import overlaps

_by_start = attrgetter("start")

# The part [start, end) of an event that resolution keeps; final events are built from these
# directly, so a split event is never copied into intermediate events.
_Piece = tuple[datetime, datetime, Event]


def resolve(events: Iterable[Event], window: Window) -> list[FinalEvent]:
    """The final events for `window`, sorted by (start, shift id or "").

    Pieces are not clipped to the window; empty events are dropped; gap events pass through.
    """
    groups = _by_group(event for event in merge_same_slot(events) if _kept(event, window))
    resolved: list[_Piece] = []
    blocked: list[Interval] = []
    previous: list[_Piece] = []
    # overrides first, then higher levels; each group is blocked by every stronger one (upstream
    # recomputes the blocked intervals only between groups, which is what lets the events of one
    # group overlap each other)
    for group in sorted(groups, reverse=True):
        blocked = merge(itertools.chain(blocked, ((start, end) for start, end, _ in previous)))
        previous = _unblocked_pieces(groups[group], blocked, window)
        resolved.extend(previous)
    finals = itertools.starmap(_final, resolved)
    return sorted(finals, key=lambda final: (final.start, final.shift_id or ""))


def _kept(event: Event, window: Window) -> bool:
    """Empty events are dropped (gap events are kept), and so is anything outside the window."""
    return (bool(event.users) or event.is_gap) and overlaps(event.start, event.end, window)


def _by_group(events: Iterable[Event]) -> dict[tuple[CalendarType, int], list[Event]]:
    groups: defaultdict[tuple[CalendarType, int], list[Event]] = defaultdict(list)
    for event in events:
        groups[event.calendar_type, event.level].append(event)
    return groups


def _unblocked_pieces(
    events: Sequence[Event], blocked: Sequence[Interval], window: Window
) -> list[_Piece]:
    """The parts of one group's `events` (sorted by start) outside the `blocked` intervals.

    An event is split around the first block it meets; its part after the block is processed
    again in start order, after the events that start at the same time (upstream's order, which
    decides how equal final keys are ordered).
    """
    if not blocked:
        return [(event.start, event.end, event) for event in events]
    pieces: list[_Piece] = []
    pending = deque(events)
    # (start, push order, bounds, the event they are a part of)
    remainders: list[tuple[datetime, int, Interval, Event]] = []
    order = itertools.count()
    while pending or remainders:
        if remainders and (not pending or remainders[0][0] < pending[0].start):
            _, _, bounds, event = heapq.heappop(remainders)
        else:
            event = pending.popleft()
            bounds = (event.start, event.end)
        before, after = split_at_first_block(bounds, blocked)
        if before is not None and before[1] >= window.start:
            pieces.append((*before, event))
        if after is not None and after[0] < window.end:
            heapq.heappush(remainders, (after[0], next(order), after, event))
    return pieces


def merge_same_slot(events: Iterable[Event]) -> list[Event]:
    """Events sorted by start (stably), consecutive ones of one shift and start merged (§f.5.2).

    The users of a rotation slot arrive as one event each; they become one multi-user event.
    Back-to-back events of one user are not joined.
    """
    merged: list[Event] = []
    for event in sorted(events, key=_by_start):
        previous = merged[-1] if merged else None
        if previous is not None and _same_slot(previous, event):
            merged[-1] = replace(
                previous,
                users=_union(previous.users, event.users),
                missing_users=_union(previous.missing_users, event.missing_users),
            )
        else:
            merged.append(event)
    return merged


def _same_slot(first: Event, second: Event) -> bool:
    return second.shift_id is not None and (first.start, first.shift_id) == (
        second.start,
        second.shift_id,
    )


def _union(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*first, *second)))


def _final(start: datetime, end: datetime, event: Event) -> FinalEvent:
    return FinalEvent(
        start=start,
        end=end,
        users=event.users,
        calendar_type=None if event.is_gap else event.calendar_type,
        level=event.level,
        shift_id=event.shift_id,
        source=event.source,
        all_day=event.all_day,
        is_gap=event.is_gap,
    )
