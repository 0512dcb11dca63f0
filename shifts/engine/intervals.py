"""Arithmetic on half-open time intervals `[start, end)`."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from operator import itemgetter

Interval = tuple[datetime, datetime]

_END = itemgetter(1)


def merge(intervals: Iterable[Interval], bridge: timedelta = timedelta(0)) -> list[Interval]:
    """Union of `intervals`, sorted, with touching or overlapping intervals joined.

    Holes strictly shorter than `bridge` are closed as well.
    """
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and _joins(merged[-1][1], start, bridge):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _joins(previous_end: datetime, next_start: datetime, bridge: timedelta) -> bool:
    hole = next_start - previous_end
    return hole <= timedelta(0) or hole < bridge


def clip(interval: Interval, bounds: Interval) -> Interval | None:
    """The part of `interval` inside `bounds`, or None when it is empty."""
    start, end = max(interval[0], bounds[0]), min(interval[1], bounds[1])
    return (start, end) if start < end else None


def holes(covered: Iterable[Interval], bounds: Interval) -> list[Interval]:
    """The non-empty parts of `bounds` outside the sorted, disjoint `covered` intervals.

    `covered` must lie inside `bounds` (see `clip`).
    """
    found: list[Interval] = []
    cursor = bounds[0]
    for start, end in covered:
        if start > cursor:
            found.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < bounds[1]:
        found.append((cursor, bounds[1]))
    return found


def split_at_first_block(
    interval: Interval, blocked: Sequence[Interval]
) -> tuple[Interval | None, Interval | None]:
    """Split `interval` around the first of the sorted, disjoint `blocked` intervals it overlaps.

    Returns (the free part before that block, the part after it), either None when empty;
    `(interval, None)` when no block overlaps it.
    """
    start, end = interval
    # disjoint and sorted, the blocks' ends are sorted too: the first block ending after
    # `start` is the only candidate
    index = bisect_right(blocked, start, key=_END)
    if index == len(blocked) or blocked[index][0] >= end:
        return interval, None
    block_start, block_end = blocked[index]
    before = (start, block_start) if start < block_start else None
    after = (block_end, end) if end > block_end else None
    return before, after
