"""Resolution of raw events into the final schedule (docs/resolution.md#one-slot-one-event and
docs/resolution.md#layering).

Layers: overrides beat the primary calendar whatever the level; within a calendar type a higher
level beats a lower one; events of one (calendar type, level) group never block each other, so
same-level overlaps are all on call together. A blocked event is split around the blocking
pieces and its remainders are processed again in priority order.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import compress, count, islice
from operator import eq, itemgetter, sub
from typing import Final, Protocol

from shifts.engine.intervals import (
    INTERVAL_END,
    INTERVAL_START,
    Interval,
    common_ends,
    merge,
    split_at_blocks,
)
from shifts.engine.rows import ROW_END, ROW_ORIGIN, ROW_START, Origin, Row, event_rows, row_events
from shifts.engine.swaps import Swaps, swap_marks, swapped_rows
from shifts.engine.types import CalendarType, Event, FinalEvent, Window

# A part [start, end) of a row that resolution keeps, as (start, shift id or "", rank of its
# group in priority order, order, end, users, origin); final events are built from these
# directly, so a split row is never copied. Sorted as tuples, pieces fall into the final order:
# by start and shift id, then as upstream lists them (by group, then by `order`, see
# `unblocked_pieces`). No two pieces tie up to `order`, so the fields after it never compare.
# Plain tuples read through the positions below: a year of a schedule makes thousands of pieces,
# and a named tuple costs several times as much to build.
Piece = tuple[datetime, str, int, "Part", datetime, tuple[str, ...], Origin]
PIECE_START: Final = 0
PIECE_RANK: Final = 2
PIECE_PART: Final = 3
PIECE_END: Final = 4
PIECE_USERS: Final = 5
PIECE_ORIGIN: Final = 6
# Where a piece comes from: (start, 0, row number) for a row itself, (start, 1, the part before,
# the row's start) for the part of a row after a block. Parts of one row that tie up to the part
# before have the same row, so the row's start never decides an order; it is there to be read.
Part = tuple[datetime, int, "int | Part"] | tuple[datetime, int, "Part", datetime]
PART_START: Final = 0
PART_AFTER_BLOCK: Final = 1
PART_ROW_START: Final = 3
Group = tuple[CalendarType, int]

# Rows and pieces both start with their start.
START = itemgetter(ROW_START)
_ROW_END = itemgetter(ROW_END)
_PIECE_PART = itemgetter(PIECE_PART)
_PIECE_BOUNDS = itemgetter(PIECE_START, PIECE_END)


def resolve(
    events: Iterable[Event], window: Window, swaps: Swaps | None = None
) -> list[FinalEvent]:
    """The final events for `window`, sorted by (start, shift id or ""), with `swaps` applied.

    Pieces are not clipped to the window; empty events are dropped; gap events pass through.
    """
    return resolve_rows(event_rows(events), window, swaps)


# (start, end, users) of a final event that is not a gap, or of a rotation's turn: what "who is
# on call, when" lists. Read by the positions below where it is not unpacked.
OnCallSpan = tuple[datetime, datetime, tuple[str, ...]]
SPAN_START: Final = 0
SPAN_END: Final = 1


def resolve_rows(rows: list[Row], window: Window, swaps: Swaps | None = None) -> list[FinalEvent]:
    """`resolve` on rows; `rows` gets sorted in place."""
    return [
        FinalEvent(
            start,
            end,
            users,
            None if origin.is_gap else origin.calendar_type,
            origin.level,
            origin.shift_id,
            origin.source,
            origin.all_day,
            origin.is_gap,
            swap_marks(origin),
        )
        for start, _, _, _, end, users, origin in resolution(rows, window, swaps).pieces
    ]


def on_call_spans(rows: list[Row], window: Window, swaps: Swaps | None = None) -> list[OnCallSpan]:
    """The (start, end, users) of the final events of `resolve_rows` that are not gaps, in the
    same order, without building the events (a year of a schedule makes thousands)."""
    return list(spans_of(resolution(rows, window, swaps).pieces))


def spans_of(pieces: Iterable[Piece]) -> Iterator[OnCallSpan]:
    """The (start, end, users) of the pieces that are not gaps, in their order."""
    return (
        (start, end, users) for start, _, _, _, end, users, origin in pieces if not origin.is_gap
    )


def clipped_spans(spans: Iterable[OnCallSpan], window: Window) -> list[OnCallSpan]:
    """`spans` cut to the window (a span reaching outside it keeps the part inside)."""
    start, end = window.start, window.end
    return [
        (span_start if span_start > start else start, span_end if span_end < end else end, users)
        for span_start, span_end, users in spans
    ]


@dataclass(frozen=True, slots=True)
class Layer:
    """What layering makes of one group's rows (sorted by start) over a window: the group's
    rank, what blocks its rows (the stronger groups' pieces, merged) and its pieces, in the
    order of the rows they come from."""

    rank: int
    rows: list[Row]
    blocked: list[Interval]
    pieces: list[Piece]


class Earlier(Protocol):
    """What an earlier resolution over the same window lends the resolution after a change to
    some of its rows: its layers, and its pieces in final order."""

    @property
    def layers(self) -> dict[Group, Layer]: ...

    @property
    def pieces(self) -> list[Piece]: ...


@dataclass(frozen=True, slots=True)
class Resolution:
    """What layering makes of rows over a window: the rows it keeps by (calendar type, level)
    group, each group's rank in priority order (0 strongest), the pieces in final order, and
    each group's layer."""

    groups: dict[Group, list[Row]]
    ranks: dict[Group, int]
    pieces: list[Piece]
    layers: dict[Group, Layer]


def resolution(
    rows: list[Row],
    window: Window,
    swaps: Swaps | None = None,
    earlier: Earlier | None = None,
) -> Resolution:
    """The layering of `rows` over `window`, with `swaps` applied to the rows of each rotation
    slot merged into one (docs/resolution.md#shift-swaps); `rows` gets sorted in place.
    `earlier`, an earlier resolution over the same window, lends the pieces that a change to
    some of the rows leaves as they were (`layer_again`), and their final order
    (`sorted_pieces`).

    The one routine behind every final event: whole windows are resolved by it, and the
    windows of a block of time are answered from its resolution of the block (`blocks`), which
    hypothesis properties prove gives the same.
    """
    groups = kept_by_group(swapped_rows(merge_same_slot_rows(rows), swaps), window)
    ranks = {group: rank for rank, group in enumerate(ranked(groups))}
    earlier_layers = earlier.layers if earlier is not None else {}
    layers: dict[Group, Layer] = {}
    blocked: list[Interval] = []
    previous: list[Piece] = []
    for group, rank in ranks.items():
        blocked = merge(itertools.chain(blocked, intervals_of(previous)))
        layer = layer_again(earlier_layers.get(group), rank, groups[group], blocked, window)
        layers[group] = layer
        previous = layer.pieces
    pieces = sorted_pieces(layers, earlier)
    return Resolution(groups=groups, ranks=ranks, pieces=pieces, layers=layers)


def sorted_pieces(layers: dict[Group, Layer], earlier: Earlier | None = None) -> list[Piece]:
    """The pieces of `layers` in final order. After a change that left most of them as they
    were, the pieces of the `earlier` resolution, in their order, with those the change took
    away taken out and those it made put in (a sort of every piece cost more)."""
    if earlier is not None:
        changed = changed_pieces(earlier.layers, layers, len(earlier.pieces) // FEW_CHANGED)
        if changed is not None:
            spliced = pieces_changed(earlier.pieces, *changed)
            if spliced is not None:
                return spliced
    pieces = list(itertools.chain.from_iterable(layer.pieces for layer in layers.values()))
    pieces.sort()
    return pieces


# `sorted_pieces` takes the earlier order when at most one piece in this many changed.
FEW_CHANGED = 8


def changed_pieces(
    earlier: dict[Group, Layer], layers: dict[Group, Layer], most: int
) -> tuple[list[Piece], list[Piece]] | None:
    """The pieces of the `earlier` layers that `layers` do not have, and those they have that
    the `earlier` ones do not; None when there are more than `most` of them. A layer made again
    whole has pieces equal to the earlier ones where the change did not reach: they count as
    left as they were, so the final order keeps the earlier objects."""
    removed: list[Piece] = []
    added: list[Piece] = []
    for group in earlier.keys() | layers.keys():
        before = earlier[group].pieces if group in earlier else []
        after = layers[group].pieces if group in layers else []
        if before is after:
            continue
        same_start, same_end = common_ends(before, after)
        most -= len(before) + len(after) - 2 * (same_start + same_end)
        if most < 0:
            return None
        removed.extend(before[same_start : len(before) - same_end])
        added.extend(after[same_start : len(after) - same_end])
    return removed, added


def pieces_changed(
    ordered: list[Piece], removed: list[Piece], added: list[Piece]
) -> list[Piece] | None:
    """The pieces `ordered` (in final order) without those `removed` and with those `added`, in
    final order; None if some piece `removed` is not among them. No two pieces tie up to their
    `order`, so a piece's place is found by bisection."""
    places = sorted(bisect_left(ordered, piece) for piece in removed)
    if any(
        place == len(ordered) or ordered[place] != piece
        for place, piece in zip(places, sorted(removed), strict=True)
    ):
        return None
    pieces: list[Piece] = []
    done = 0
    for place in places:
        pieces.extend(ordered[done:place])
        done = place + 1
    pieces.extend(ordered[done:])
    for piece in added:
        insort(pieces, piece)
    return pieces


def ranked(groups: Iterable[Group]) -> list[Group]:
    """Groups in priority order: overrides first, then higher levels."""
    return sorted(groups, reverse=True)


def intervals_of(pieces: Iterable[Piece]) -> Iterator[Interval]:
    return map(_PIECE_BOUNDS, pieces)


def layered_pieces(
    rows_by_rank: dict[int, list[Row]],
    window: Window,
    settled: dict[int, list[Piece]] | None = None,
) -> list[Piece]:
    """The pieces of each rank's rows, blocked by every stronger rank's pieces (unsorted).

    `settled` pieces, resolved elsewhere, block the weaker ranks as their rank's own pieces do.
    """
    settled = settled or {}
    resolved: list[Piece] = []
    blocked: list[Interval] = []
    previous: list[Piece] = []
    # each group is blocked by every stronger one (upstream recomputes the blocked intervals only
    # between groups, which is what lets the events of one group overlap each other)
    for rank in sorted(rows_by_rank.keys() | settled.keys()):
        blocked = merge(itertools.chain(blocked, intervals_of(previous)))
        own = unblocked_pieces(rows_by_rank.get(rank, []), blocked, window, rank)
        resolved.extend(own)
        previous = [*own, *settled.get(rank, [])]
    return resolved


def layer_again(
    earlier: Layer | None, rank: int, rows: list[Row], blocked: list[Interval], window: Window
) -> Layer:
    """The layer of a group's `rows` under `blocked`, over the window of the `earlier` layer of
    the group (if any). When the rows and rank are those of `earlier`, only the rows that meet
    the stretch of time where `blocked` differs from `earlier.blocked` are split again: a row
    meets no other block, and its pieces (row numbers included) are the ones it had."""
    if earlier is None or earlier.rank != rank or earlier.rows != rows:
        return Layer(rank, rows, blocked, unblocked_pieces(rows, blocked, window, rank))
    same_start, same_end = common_ends(earlier.blocked, blocked)
    changed = [
        *earlier.blocked[same_start : len(earlier.blocked) - same_end],
        *blocked[same_start : len(blocked) - same_end],
    ]
    if not changed:
        return Layer(rank, rows, blocked, earlier.pieces)
    low = min(start for start, _ in changed)
    high = max(end for _, end in changed)
    # Rows starting before `low` less the longest row's length end before it.
    reach = low - max(map(sub, map(_ROW_END, rows), map(START, rows)))
    first, last = bisect_left(rows, reach, key=START), bisect_left(rows, high, key=START)
    kept_before = bisect_left(earlier.pieces, reach, key=piece_row_start)
    kept_after = bisect_left(earlier.pieces, high, key=piece_row_start)
    split = unblocked_pieces(rows[first:last], blocked, window, rank, first_number=first)
    pieces = [*earlier.pieces[:kept_before], *split, *earlier.pieces[kept_after:]]
    return Layer(rank, rows, blocked, pieces)


def piece_row_start(piece: Piece) -> datetime:
    """The start of the row a piece comes from."""
    return row_starts_of((piece,))[0]


def row_starts_of(pieces: Iterable[Piece]) -> list[datetime]:
    """The start of the row each piece comes from."""
    return [
        part[PART_ROW_START] if part[PART_AFTER_BLOCK] else part[PART_START]
        for part in map(_PIECE_PART, pieces)
    ]


def kept_by_group(rows: Iterable[Row], window: Window) -> dict[Group, list[Row]]:
    """Rows by (calendar type, level); empty rows are dropped (gap rows are kept), and so is
    anything outside the window."""
    groups: defaultdict[Group, list[Row]] = defaultdict(list)
    # rows of one origin mostly come in runs: their group is looked up once per run
    last_origin: Origin | None = None
    members: list[Row] = []
    for row in rows:
        start, end, users, _, origin = row
        if (users or origin.is_gap) and start < window.end and end > window.start:
            if origin is not last_origin:
                last_origin, members = origin, groups[origin.calendar_type, origin.level]
            members.append(row)
    return groups


def unblocked_pieces(
    rows: Sequence[Row],
    blocked: Sequence[Interval],
    window: Window,
    rank: int,
    first_number: int = 0,
) -> list[Piece]:
    """The parts of one group's `rows` (sorted by start) outside the `blocked` intervals.

    Upstream splits a row around the first block it meets and processes the part after the
    block again in start order, after the rows that start at the same time; pieces that start
    together with the same shift id are listed in that processing order. Here a row is split at
    every block at once, and each piece's `order` is the part (`Part`) it comes from: parts
    sort like upstream's processing order.
    """
    if not blocked:
        # nothing is split: each row is one piece
        return [
            (start, origin.shift_id or "", rank, (start, 0, number), end, users, origin)
            for number, (start, end, users, _, origin) in enumerate(rows, first_number)
        ]
    # Most rows meet no block or lie inside one (a weaker layer under a stronger one): the first
    # block ending after a row's start tells, without splitting it.
    ends = [block_end for _, block_end in blocked]
    last = len(blocked)
    pieces: list[Piece] = []
    for number, row in enumerate(rows, first_number):
        start, end, users, _, origin = row
        index = bisect_right(ends, start)
        if index == last or blocked[index][INTERVAL_START] >= end:
            if end >= window.start:
                pieces.append(
                    (start, origin.shift_id or "", rank, (start, 0, number), end, users, origin)
                )
            continue
        block_start, block_end = blocked[index]
        if block_start <= start and (end <= block_end or block_end >= window.end):
            continue
        _append_split_pieces(pieces, row, number, blocked, window, rank)
    return pieces


def _append_split_pieces(
    pieces: list[Piece],
    row: Row,
    number: int,
    blocked: Sequence[Interval],
    window: Window,
    rank: int,
) -> None:
    """The pieces of a row that blocks split, each with the part it comes from."""
    start, end, users, _, origin = row
    shift_key = origin.shift_id or ""
    part: Part | None = None
    for part_start, free in split_at_blocks((start, end), blocked, window.end):
        part = (part_start, 0, number) if part is None else (part_start, 1, part, start)
        if free is not None and free[INTERVAL_END] >= window.start:
            pieces.append((part_start, shift_key, rank, part, free[INTERVAL_END], users, origin))


def merge_same_slot(events: Iterable[Event]) -> list[Event]:
    """Events sorted by start (stably), consecutive ones of one shift and start merged
    (docs/resolution.md#one-slot-one-event).

    The users of a rotation slot arrive as one event each; they become one multi-user event.
    Back-to-back events of one user are not joined.
    """
    return row_events(merge_same_slot_rows(event_rows(events)))


def merge_same_slot_rows(rows: list[Row]) -> list[Row]:
    """`merge_same_slot` on rows: a merged row keeps the first one's end and origin."""
    rows.sort(key=START)
    merged: list[Row] = []
    done = 0
    for index in same_slot_positions(rows):
        merged.extend(rows[done:index])
        first_start, end, first_users, first_missing, first_origin = merged[-1]
        _, _, users, missing_users, _ = rows[index]
        merged[-1] = (
            first_start,
            end,
            _union(first_users, users),
            _union(first_missing, missing_users),
            first_origin,
        )
        done = index + 1
    merged.extend(rows[done:])
    return merged


def same_slot_positions(rows: Sequence[Row]) -> list[int]:
    """The positions of the rows (sorted by start) that have the start and the shift of the row
    before them. Most rows start alone: the rows sharing a start are found in one pass over the
    starts, without a Python loop over every row."""
    starts = list(map(START, rows))
    return [
        index
        for index in compress(count(1), map(eq, starts, islice(starts, 1, None)))
        if (shift_id := rows[index][ROW_ORIGIN].shift_id) is not None
        and shift_id == rows[index - 1][ROW_ORIGIN].shift_id
    ]


def _union(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*first, *second)))
