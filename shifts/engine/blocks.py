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
from itertools import accumulate, chain, islice
from operator import attrgetter, is_not, itemgetter, sub

from shifts.engine.intervals import common_ends
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
    if earlier is not None and earlier.block != block:
        earlier = None
    resolved = resolution(rows, block, swaps, earlier)
    pieces = resolved.pieces
    groups = list(resolved.groups.values())
    # one group's rows are sorted already
    kept = groups[0] if len(groups) == 1 else sorted(chain.from_iterable(groups), key=START)
    row_starts = list(map(START, kept))
    of_pieces = _PieceArrays.of(pieces) if earlier is None else _PieceArrays.after(earlier, pieces)
    return ResolvedBlock(
        rows=kept,
        row_starts=row_starts,
        longest_row=max(map(sub, map(_ROW_END, kept), row_starts), default=timedelta(0)),
        ranks=resolved.ranks,
        pieces=pieces,
        piece_starts=of_pieces.starts,
        piece_row_starts=of_pieces.row_starts,
        piece_ends_so_far=of_pieces.ends_so_far,
        spans=of_pieces.spans,
        spans_before=of_pieces.spans_before,
        block=block,
        layers=resolved.layers,
    )


# A block's pieces after a change take the earlier block's arrays where the change left at
# least one in this many of its pieces as they were.
MOSTLY_LEFT = 2


@dataclass(frozen=True, slots=True)
class _PieceArrays:
    """What a `ResolvedBlock` keeps of its pieces, piece by piece (see there)."""

    starts: list[datetime]
    row_starts: list[datetime]
    ends_so_far: list[datetime]
    spans: list[OnCallSpan]
    spans_before: list[int]

    @classmethod
    def of(cls, pieces: list[Piece], latest: datetime | None = None) -> _PieceArrays:
        """Those of `pieces`; `latest`, the latest end of pieces before them, if any."""
        starts = list(map(START, pieces))
        ends = list(map(_PIECE_END, pieces))
        if any(map(_IS_GAP, map(_PIECE_ORIGIN, pieces))):
            spans = list(spans_of(pieces))
            spans_before = list(
                accumulate((not piece[PIECE_ORIGIN].is_gap for piece in pieces), initial=0)
            )
        else:
            spans = list(zip(starts, ends, map(_PIECE_USERS, pieces), strict=True))
            spans_before = list(range(len(pieces) + 1))
        return cls(starts, row_starts_of(pieces), _latest_so_far(ends, latest), spans, spans_before)

    @classmethod
    def after(cls, earlier: ResolvedBlock, pieces: list[Piece]) -> _PieceArrays:
        """Those of `pieces`, which a change made of the `earlier` block's: the arrays of the
        pieces the change left at the start and at the end (the very same objects) are the
        earlier block's, and only those of the stretch between are made."""
        same_start, same_end = common_ends(earlier.pieces, pieces, is_not)
        if same_start + same_end < len(pieces) // MOSTLY_LEFT:
            return cls.of(pieces)  # copying what is left costs more than making it again
        old_end, new_end = len(earlier.pieces) - same_end, len(pieces) - same_end
        before = earlier.piece_ends_so_far[same_start - 1] if same_start else None
        middle = cls.of(pieces[same_start:new_end], before)
        latest = middle.ends_so_far[-1] if middle.ends_so_far else before
        spans_at, spans_from = earlier.spans_before[same_start], earlier.spans_before[old_end]
        return cls(
            starts=[
                *earlier.piece_starts[:same_start],
                *middle.starts,
                *earlier.piece_starts[old_end:],
            ],
            row_starts=[
                *earlier.piece_row_starts[:same_start],
                *middle.row_starts,
                *earlier.piece_row_starts[old_end:],
            ],
            ends_so_far=[
                *earlier.piece_ends_so_far[:same_start],
                *middle.ends_so_far,
                *_latest_so_far_after(earlier, old_end, pieces, new_end, latest),
            ],
            spans=[*earlier.spans[:spans_at], *middle.spans, *earlier.spans[spans_from:]],
            spans_before=_spans_before_after(earlier, same_start, old_end, middle.spans_before),
        )


def _latest_so_far_after(
    earlier: ResolvedBlock,
    old_end: int,
    pieces: list[Piece],
    new_end: int,
    latest: datetime | None,
) -> list[datetime]:
    """The latest end up to each piece of `pieces` from `new_end` on, the same pieces as the
    `earlier` block's from `old_end` on, the latest end before them being `latest`: the
    earlier block's, once these pieces' own latest end has passed the latest end before them
    in both blocks."""
    earlier_so_far = earlier.piece_ends_so_far
    earlier_latest = earlier_so_far[old_end - 1] if old_end else None
    if latest == earlier_latest:
        return earlier_so_far[old_end:]
    # the latest end before these pieces in either block (at least one has one)
    bound = max(end for end in (latest, earlier_latest) if end is not None)
    latest_ends = []
    for offset, end in enumerate(map(_PIECE_END, islice(pieces, new_end, None))):
        if latest is None or end > latest:
            latest = end
        latest_ends.append(latest)
        if end >= bound:
            latest_ends.extend(earlier_so_far[old_end + offset + 1 :])
            break
    return latest_ends


def _spans_before_after(
    earlier: ResolvedBlock, same_start: int, old_end: int, middle: list[int]
) -> list[int]:
    """`spans_before` of the earlier block's first `same_start` pieces, then of the pieces
    `middle` counts, then of the earlier block's pieces from `old_end` on."""
    earlier_before = earlier.spans_before
    at = earlier_before[same_start]
    count = len(earlier_before) - 1 - (old_end - same_start) + len(middle) - 1
    if earlier_before[-1] == len(earlier_before) - 1 and middle[-1] == len(middle) - 1:
        return list(range(count + 1))  # no gaps
    moved = at + middle[-1] - earlier_before[old_end]
    return [
        *earlier_before[:same_start],
        *(at + spans for spans in middle),
        *(spans + moved for spans in earlier_before[old_end + 1 :]),
    ]


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


def _latest_so_far(ends: list[datetime], latest: datetime | None = None) -> list[datetime]:
    """The latest of `ends` up to each one, after `latest` if given. A loop: `accumulate(ends,
    max)` calls `max` once per end, which cost four times as much."""
    if not ends:
        return []
    latest_ends = []
    if latest is None:
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
