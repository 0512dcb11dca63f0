"""Shift swaps, applied to a schedule's rows before layering (docs/resolution.md#shift-swaps).

A swap asks that its beneficiary be relieved over [start, end); once taken, its benefactor
stands in. Swaps apply after the users of one rotation slot have become one row and before
layering, to every row of every layer that has the beneficiary among its users and meets the
swap's period: the parts of the row before and after the period are split off unchanged; inside
it the beneficiary's place goes to the benefactor (taken) or stays the beneficiary's, marked with
the swap (open). Swaps apply one after the other in the order they were made, each to the
pieces the earlier ones left. An open swap whose start has passed changes nothing.

Which user of a piece is there through which swap is kept in the piece's origin
(`SwappedOrigin`) and reaches its final events (`FinalEvent.swaps`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from shifts.engine.rows import ROW_END, ROW_START, Origin, Row
from shifts.engine.types import CalendarType, Source, SwapMark


@dataclass(frozen=True, slots=True)
class Swap:
    """One swap request. `taken` once someone took it; `benefactor` is who stands in, None while
    it is open, and None too when it was taken by someone who may not be on call: the
    beneficiary's place then goes to nobody (docs/resolution.md#shift-swaps)."""

    swap_id: str
    start: datetime
    end: datetime
    beneficiary: str
    taken: bool = False
    benefactor: str | None = None


@dataclass(frozen=True, slots=True)
class Swaps:
    """A schedule's swaps in the order they were made, as they stand at `now`: taken ones apply;
    an open one applies (it splits and marks the beneficiary's rows) while its start has not
    passed."""

    requests: tuple[Swap, ...]
    now: datetime

    def applying(self) -> list[Swap]:
        return [swap for swap in self.requests if swap.taken or swap.start >= self.now]


@dataclass(frozen=True, slots=True)
class SwappedOrigin:
    """The origin of a piece that swaps changed: its row's origin, and which of its users are
    there through a swap (`SwapMark.user_index` points into the piece's users)."""

    calendar_type: CalendarType
    level: int
    shift_id: str | None
    source: Source | None
    all_day: bool
    swaps: tuple[SwapMark, ...]
    # Gaps have no users: swaps never change them.
    is_gap: bool = False


def swap_marks(origin: Origin) -> tuple[SwapMark, ...]:
    return origin.swaps if isinstance(origin, SwappedOrigin) else ()


def swapped_rows(rows: list[Row], swaps: Swaps | None) -> list[Row]:
    """`rows` (sorted by start) with the swaps that apply at `swaps.now` applied, sorted by start
    again. The sort is stable and a row's pieces take its place, so rows sharing a start keep
    upstream's order (it inserts the pieces where the row was)."""
    applying = swaps.applying() if swaps else []
    if not applying or not rows:
        return rows
    by_row = swaps_meeting_rows(rows, applying)
    if not by_row:
        return rows
    result: list[Row] = []
    done = 0
    for index in sorted(by_row):
        result.extend(rows[done:index])
        result.extend(row_pieces(rows[index], by_row[index]))
        done = index + 1
    result.extend(rows[done:])
    result.sort(key=row_start)
    return result


def row_start(row: Row) -> datetime:
    return row[ROW_START]


def swaps_meeting_rows(rows: list[Row], swaps: list[Swap]) -> dict[int, list[Swap]]:
    """For each row (by position) that some swap's period meets, those swaps in order."""
    longest = max((row[ROW_END] - row[ROW_START] for row in rows), default=timedelta(0))
    by_row: defaultdict[int, list[Swap]] = defaultdict(list)
    for swap in swaps:
        # Only rows starting less than the longest row's length before the swap can reach it.
        first = bisect_left(rows, swap.start - longest, key=row_start)
        last = bisect_left(rows, swap.end, key=row_start)
        for index in range(first, last):
            if meets(rows[index], swap):
                by_row[index].append(swap)
    return by_row


def meets(row: Row, swap: Swap) -> bool:
    """Whether the swap's period and the row's meet (upstream's test, which a row of no length
    inside the period passes)."""
    return not (row[ROW_START] >= swap.end or row[ROW_END] <= swap.start)


def row_pieces(row: Row, swaps: Iterable[Swap]) -> list[Row]:
    """The pieces of one row after the swaps meeting it, applied one after the other."""
    pieces = [row]
    for swap in swaps:
        pieces = [part for piece in pieces for part in swap_piece(piece, swap)]
    return pieces


def swap_piece(piece: Row, swap: Swap) -> list[Row]:
    """The piece before the swap's period, the piece inside it with the swap applied, and the
    piece after it; the piece as it is when the swap does not concern it."""
    start, end, users, missing_users, origin = piece
    if not meets(piece, swap) or swap.beneficiary not in users:
        return [piece]
    parts: list[Row] = []
    if start < swap.start:
        parts.append((start, swap.start, users, missing_users, origin))
    swapped_users, swapped_origin = swapped(users, origin, swap)
    parts.append(
        (max(start, swap.start), min(end, swap.end), swapped_users, missing_users, swapped_origin)
    )
    if end > swap.end:
        parts.append((swap.end, end, users, missing_users, origin))
    return parts


def swapped(
    users: tuple[str, ...], origin: Origin, swap: Swap
) -> tuple[tuple[str, ...], SwappedOrigin]:
    """The users with the beneficiary's (first) place given to the swap, and their marks: the
    place's earlier mark, if any, gives way to this swap's, as upstream overwrites it."""
    index = users.index(swap.beneficiary)
    marks = [mark for mark in swap_marks(origin) if mark.user_index != index]
    if swap.taken and swap.benefactor is None:
        users = users[:index] + users[index + 1 :]
        marks = [
            SwapMark(mark.user_index - 1, mark.swap_id, mark.beneficiary, mark.taken)
            if mark.user_index > index
            else mark
            for mark in marks
        ]
    else:
        if swap.benefactor is not None:
            users = (*users[:index], swap.benefactor, *users[index + 1 :])
        marks.append(SwapMark(index, swap.swap_id, swap.beneficiary, swap.taken))
    marks.sort(key=lambda mark: mark.user_index)
    return users, SwappedOrigin(
        calendar_type=origin.calendar_type,
        level=origin.level,
        shift_id=origin.shift_id,
        source=origin.source,
        all_day=origin.all_day,
        swaps=tuple(marks),
    )
