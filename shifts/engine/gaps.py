"""Gap detection: parts of the window nobody's calendar covers (docs/resolution.md#gaps)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from shifts.engine.intervals import clip, holes, merge
from shifts.engine.rows import ROW_END, ROW_ORIGIN, ROW_START, Row, event_rows
from shifts.engine.types import CalendarType, Event, Window
from shifts.engine.window import overlaps

# Upstream ignores holes shorter than this between events.
SHORTEST_GAP = timedelta(minutes=1)


def detect_gaps(events: Iterable[Event], window: Window) -> list[Event]:
    """Gap events for the holes of `window` between the raw `events`.

    Empty events count as coverage. No event in the window, or any all-day event in it, means no
    gaps at all. Gap events carry the primary calendar type and level 0 (they sort with level-0
    primary events); resolution reports them with no calendar type.
    """
    return detect_gaps_in_rows(event_rows(events), window)


def detect_gaps_in_rows(rows: Iterable[Row], window: Window) -> list[Event]:
    """`detect_gaps` for the events of `rows`."""
    in_window = [row for row in rows if overlaps(row[ROW_START], row[ROW_END], window)]
    if not in_window or any(row[ROW_ORIGIN].all_day for row in in_window):
        return []
    bounds = (window.start, window.end)
    clipped = (clip((row[ROW_START], row[ROW_END]), bounds) for row in in_window)
    covered = merge((piece for piece in clipped if piece is not None), bridge=SHORTEST_GAP)
    return [
        Event(start=start, end=end, users=(), calendar_type=CalendarType.PRIMARY, is_gap=True)
        for start, end in holes(covered, bounds)
    ]
