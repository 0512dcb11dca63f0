"""Arithmetic on half-open time intervals `[start, end)`."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from itertools import compress, count, islice
from operator import itemgetter, ne
from typing import Any, Final

Interval = tuple[datetime, datetime]
INTERVAL_START: Final = 0
INTERVAL_END: Final = 1

_END = itemgetter(INTERVAL_END)


def merge(intervals: Iterable[Interval], bridge: timedelta = timedelta(0)) -> list[Interval]:
    """Union of `intervals`, sorted, with touching or overlapping intervals joined.

    Holes strictly shorter than `bridge` are closed as well.
    """
    ordered = sorted(intervals)
    if not ordered:
        return []
    merged: list[Interval] = []
    current_start, current_end = ordered[0]
    for start, end in islice(ordered, 1, None):
        if start <= current_end or start - current_end < bridge:
            current_end = max(current_end, end)
        else:
            merged.append((current_start, current_end))
            current_start, current_end = start, end
    merged.append((current_start, current_end))
    return merged


def clip(interval: Interval, bounds: Interval) -> Interval | None:
    """The part of `interval` inside `bounds`, or None when it is empty."""
    start = max(interval[INTERVAL_START], bounds[INTERVAL_START])
    end = min(interval[INTERVAL_END], bounds[INTERVAL_END])
    return (start, end) if start < end else None


def holes(covered: Iterable[Interval], bounds: Interval) -> list[Interval]:
    """The non-empty parts of `bounds` outside the sorted, disjoint `covered` intervals.

    `covered` must lie inside `bounds` (see `clip`).
    """
    found: list[Interval] = []
    cursor, last = bounds
    for start, end in covered:
        if start > cursor:
            found.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < last:
        found.append((cursor, last))
    return found


def split_at_blocks(
    interval: Interval, blocked: Sequence[Interval], stop: datetime
) -> list[tuple[datetime, Interval | None]]:
    """Split `interval` around the sorted, disjoint `blocked` intervals it overlaps, one block at
    a time: the part left is `interval`, then the part after each block, until none is left or
    it starts at or after `stop`.

    Returns, for each part left, its start and its free part before the next block it overlaps
    (the whole part when it overlaps none), None when that is empty.
    """
    start, end = interval
    parts: list[tuple[datetime, Interval | None]] = []
    index = 0
    while True:
        # disjoint and sorted, the blocks' ends are sorted too: the first block ending after
        # `start` is the only candidate
        index = bisect_right(blocked, start, lo=index, key=_END)
        if index == len(blocked) or blocked[index][INTERVAL_START] >= end:
            parts.append((start, (start, end)))
            return parts
        block_start, block_end = blocked[index]
        parts.append((start, (start, block_start) if start < block_start else None))
        if end <= block_end or block_end >= stop:
            return parts
        start = block_end


def common_ends(
    earlier: Sequence[object], later: Sequence[object], differ: Callable[[Any, Any], bool] = ne
) -> tuple[int, int]:
    """How many items two sequences share at their start, and how many more at their end: what
    a change left as it was around the stretch it changed. Items are the same unless `differ`
    (`is_not`: only the very same objects are, which is quicker to tell)."""
    most = min(len(earlier), len(later))
    same_start = next(compress(count(), map(differ, earlier, later)), most)
    from_end = map(differ, reversed(earlier), reversed(later))
    return same_start, min(next(compress(count(), from_end), most), most - same_start)
