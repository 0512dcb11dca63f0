"""Resolution of raw events into the final schedule (UPSTREAM-BEHAVIOUR §f.5.2 and §f.8).

Layers: overrides beat the primary calendar whatever the level; within a calendar type a higher
level beats a lower one; events of one (calendar type, level) group never block each other, so
same-level overlaps are all on call together. A blocked event is split around the blocking
pieces and its remainders are processed again in priority order.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime

from shifts.engine.intervals import Interval, merge, split_at_first_block
from shifts.engine.types import CalendarType, Event, FinalEvent, Window
from shifts.engine.window import overlaps


def resolve(events: Iterable[Event], window: Window) -> list[FinalEvent]:
    """The final events for `window`, sorted by (start, shift id or "").

    Pieces are not clipped to the window; empty events are dropped; gap events pass through.
    """
    queue = _PriorityQueue(merge_same_slot(events))
    resolved: list[Event] = []
    blocked: list[Interval] = []
    group: tuple[CalendarType, int] | None = None
    for event in queue:
        if _is_empty(event) or not overlaps(event.start, event.end, window):
            continue
        if _group(event) != group:
            # Upstream recomputes the blocked intervals only here, which is what lets events of
            # one group overlap each other while every earlier (stronger) group blocks them.
            group = _group(event)
            blocked = merge((piece.start, piece.end) for piece in resolved)
        before, after = split_at_first_block((event.start, event.end), blocked)
        if before is not None and before[1] >= window.start:
            resolved.append(replace(event, start=before[0], end=before[1]))
        if after is not None and after[0] < window.end:
            queue.push(replace(event, start=after[0], end=after[1]))
    return sorted(map(_final, resolved), key=lambda final: (final.start, final.shift_id or ""))


def merge_same_slot(events: Iterable[Event]) -> list[Event]:
    """Events sorted by start (stably), consecutive ones of one shift and start merged (§f.5.2).

    The users of a rotation slot arrive as one event each; they become one multi-user event.
    Back-to-back events of one user are not joined.
    """
    merged: list[Event] = []
    for event in sorted(events, key=lambda event: event.start):
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


def _is_empty(event: Event) -> bool:
    return not event.users and not event.is_gap


def _group(event: Event) -> tuple[CalendarType, int]:
    return event.calendar_type, event.level


def _priority(event: Event) -> tuple[int, int, datetime]:
    """Overrides first, then higher levels, then earlier starts."""
    return -event.calendar_type, -event.level, event.start


def _final(event: Event) -> FinalEvent:
    return FinalEvent(
        start=event.start,
        end=event.end,
        users=event.users,
        calendar_type=None if event.is_gap else event.calendar_type,
        level=event.level,
        shift_id=event.shift_id,
        source=event.source,
        all_day=event.all_day,
        is_gap=event.is_gap,
    )


class _PriorityQueue:
    """Events in `_priority` order; among equal keys, first pushed comes out first."""

    def __init__(self, events: Iterable[Event]) -> None:
        self._order = itertools.count()
        self._heap = [(_priority(event), next(self._order), event) for event in events]
        heapq.heapify(self._heap)

    def push(self, event: Event) -> None:
        heapq.heappush(self._heap, (_priority(event), next(self._order), event))

    def __iter__(self) -> Iterator[Event]:
        while self._heap:
            yield heapq.heappop(self._heap)[2]
