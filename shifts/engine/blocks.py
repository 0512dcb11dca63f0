"""Windows answered from one resolution of a longer block of time, exactly as resolving them.

Resolving a window [S, E) inside a block differs from resolving the block only through the rows
that start before S and reach into the window (a few per layer: "crossing" rows). A row that
starts inside the window gives the same pieces either way: what blocks it lies at or after its
start, where every stronger layer covers the same instants in both resolutions; rows the window
leaves out only split it after E, past the clipping. So the block's pieces of the rows that start
inside the window are taken as they are, and the crossing rows are resolved again, below the
block's stronger pieces and each other, as the window's own resolution would. Order keys carry
the block's row numbers and ranks, which order rows and groups as the window's own do.

One upstream quirk breaks this: rows of one rotation slot merge into the first one's end, so a
slot whose rows end at different times could merge differently in the block and in the window.
A block with such a slot is not resolved (`resolve_block` gives None); its windows are resolved
one by one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate, chain
from operator import attrgetter, itemgetter, sub

from shifts.engine.resolve import (
    PIECE_END,
    PIECE_ORIGIN,
    PIECE_RANK,
    PIECE_START,
    PIECE_USERS,
    START,
    Group,
    Layer,
    OnCallSpan,
    Piece,
    clipped_spans,
    layered_pieces,
    resolution,
    row_starts_of,
    same_slot_positions,
    spans_of,
)
from shifts.engine.rows import ROW_END, ROW_ORIGIN, Row, SomeEvents, rows_of
from shifts.engine.swaps import Swaps
from shifts.engine.types import Window

_ROW_END = itemgetter(ROW_END)
_PIECE_END = itemgetter(PIECE_END)
_PIECE_USERS = itemgetter(PIECE_USERS)
_PIECE_ORIGIN = itemgetter(PIECE_ORIGIN)
_IS_GAP = attrgetter("is_gap")


@dataclass(frozen=True, slots=True)
class ResolvedBlock:
    """The block's kept rows by start (and the longest one's length), its groups' ranks, and its
    pieces in final order, each with the start of the row it comes from."""

    rows: list[Row]
    row_starts: list[datetime]
    longest_row: timedelta
    ranks: dict[Group, int]
    pieces: list[Piece]
    piece_starts: list[datetime]
    piece_row_starts: list[datetime]
    # The latest end among the pieces up to each one (ends, unlike starts, are not in order).
    piece_ends_so_far: list[datetime]
    # The (start, end, users) of the pieces that are not gaps, and how many of them come before
    # each piece (one more number, for the end).
    spans: list[OnCallSpan]
    spans_before: list[int]
    # The block, and its groups' layers: what the resolution of the block after a change to
    # some of its rows takes the pieces the change left as they were from.
    block: Window
    layers: dict[Group, Layer]

    @property
    def size(self) -> int:
        return len(self.rows) + 2 * len(self.pieces)


@dataclass(frozen=True, slots=True)
class WindowSpans:
    """The spans of a window inside a block: `head`, then the block's own spans
    `block_spans[middle]` as they are, then `tail`. Most of a long window is the middle, which
    the windows of a block share (`final_shifts` writes its JSON once per block)."""

    head: list[OnCallSpan]
    block_spans: list[OnCallSpan]
    middle: slice
    tail: list[OnCallSpan]

    @classmethod
    def of(cls, spans: list[OnCallSpan]) -> WindowSpans:
        return cls(head=spans, block_spans=[], middle=slice(0, 0), tail=[])

    def all(self) -> list[OnCallSpan]:
        return [*self.head, *self.block_spans[self.middle], *self.tail]


def resolve_block(
    events: SomeEvents,
    block: Window,
    swaps: Swaps | None = None,
    earlier: ResolvedBlock | None = None,
) -> ResolvedBlock | None:
    """The resolution of `block` that `on_call_spans_in_block` answers windows inside it from,
    with `swaps` applied; None when a rotation slot's rows end at different times (see the
    module's docstring). Swaps split rows only at their own bounds, whatever the window, so the
    block's swapped rows are the window's.

    `earlier`, a resolution of the same block before a change to some of the events (a write
    to one shift), lends the pieces the change left as they were; the resolution is the same
    with it or without it (hypothesis properties compare them)."""
    rows = rows_of(events)
    rows.sort(key=START)
    if _slot_with_different_ends(rows):
        return None
    layers = earlier.layers if earlier is not None and earlier.block == block else None
    resolved = resolution(rows, block, swaps, layers)
    pieces = resolved.pieces
    groups = list(resolved.groups.values())
    # one group's rows are sorted already
    kept = groups[0] if len(groups) == 1 else sorted(chain.from_iterable(groups), key=START)
    row_starts = list(map(START, kept))
    piece_starts = list(map(START, pieces))
    piece_ends = list(map(_PIECE_END, pieces))
    if any(map(_IS_GAP, map(_PIECE_ORIGIN, pieces))):
        spans = list(spans_of(pieces))
        spans_before = list(
            accumulate((not piece[PIECE_ORIGIN].is_gap for piece in pieces), initial=0)
        )
    else:
        spans = list(zip(piece_starts, piece_ends, map(_PIECE_USERS, pieces), strict=True))
        spans_before = list(range(len(pieces) + 1))
    return ResolvedBlock(
        rows=kept,
        row_starts=row_starts,
        longest_row=max(map(sub, map(_ROW_END, kept), row_starts), default=timedelta(0)),
        ranks=resolved.ranks,
        pieces=pieces,
        piece_starts=piece_starts,
        piece_row_starts=row_starts_of(pieces),
        piece_ends_so_far=_latest_so_far(piece_ends),
        spans=spans,
        spans_before=spans_before,
        block=block,
        layers=resolved.layers,
    )


def on_call_spans_in_block(block: ResolvedBlock, window: Window) -> list[OnCallSpan]:
    """`on_call_spans_within` the block's events over `window` (inside the block, not an
    instant), clipped to the window: past its end, the window's own resolution splits rows less
    than the block's, which clipping leaves out."""
    return window_spans_in_block(block, window).all()


def window_spans_in_block(block: ResolvedBlock, window: Window) -> WindowSpans:
    """`on_call_spans_in_block`, in parts: the block's spans that start after every row crossing
    the window's start has ended, and end by the window's end, are the window's as they are."""
    start, end = window.start, window.end
    low, high = bisect_left(block.piece_starts, start), bisect_left(block.piece_starts, end)
    # Only rows starting less than the longest row's length before the window can reach into it.
    first, low_row = (
        bisect_left(block.row_starts, start - block.longest_row),
        bisect_left(block.row_starts, start),
    )
    crossing = [row for row in block.rows[first:low_row] if row[ROW_END] > start]
    reach = max((row[ROW_END] for row in crossing), default=start)
    middle_start = min(high, max(low, bisect_right(block.piece_starts, reach)))
    middle_end = max(middle_start, min(high, bisect_right(block.piece_ends_so_far, end)))
    head = _pieces_of_window(block, low, middle_start, start)
    if crossing:
        head.extend(_crossing_pieces(block, crossing, head, window))
        head.sort()
    return WindowSpans(
        head=_clipped_spans_of(head, window),
        block_spans=block.spans,
        middle=slice(block.spans_before[middle_start], block.spans_before[middle_end]),
        tail=_clipped_spans_of(_pieces_of_window(block, middle_end, high, start), window),
    )


def _pieces_of_window(block: ResolvedBlock, low: int, high: int, start: datetime) -> list[Piece]:
    """The block's pieces `low` to `high` that the window starting at `start` has as they are."""
    return [
        piece
        for piece, row_start in zip(
            block.pieces[low:high], block.piece_row_starts[low:high], strict=True
        )
        # a row of no length at the window's start is not in the window (see `overlaps`)
        if row_start >= start and not piece[PIECE_START] == piece[PIECE_END] == start
    ]


def _clipped_spans_of(pieces: list[Piece], window: Window) -> list[OnCallSpan]:
    return clipped_spans(spans_of(pieces), window)


def _crossing_pieces(
    block: ResolvedBlock, crossing: list[Row], inside: list[Piece], window: Window
) -> list[Piece]:
    """The pieces of the rows crossing the window's start, below the stronger pieces of the
    window that can meet them (those starting before the last crossing row ends)."""
    reach = max(row[ROW_END] for row in crossing)
    settled: defaultdict[int, list[Piece]] = defaultdict(list)
    for piece in inside[: bisect_left(inside, reach, key=START)]:
        settled[piece[PIECE_RANK]].append(piece)
    by_rank: defaultdict[int, list[Row]] = defaultdict(list)
    for row in crossing:
        origin = row[ROW_ORIGIN]
        by_rank[block.ranks[origin.calendar_type, origin.level]].append(row)
    return layered_pieces(by_rank, window, settled)


def _latest_so_far(ends: list[datetime]) -> list[datetime]:
    """The latest of `ends` up to each one. A loop: `accumulate(ends, max)` calls `max` once per
    end, which cost four times as much."""
    if not ends:
        return []
    latest_ends = []
    latest = ends[0]
    for end in ends:
        if end > latest:
            latest = end
        latest_ends.append(latest)
    return latest_ends


def _slot_with_different_ends(rows: list[Row]) -> bool:
    """Whether rows sorted by start hold two of one shift and start with different ends."""
    return any(
        rows[index][ROW_END] != rows[index - 1][ROW_END] for index in same_slot_positions(rows)
    )
