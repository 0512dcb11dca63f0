"""What "inside the query window" means; every window rule of the engine lives here.

A window is half-open `[start, end)`. A zero-length window (start == end == t) is an instant
query and the two upstream filters below treat it differently on purpose
(docs/resolution.md#window-rules).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from shifts.engine.types import Window

# Upstream reads iCal calendars over a wider range than asked, then filters exactly.
ICAL_QUERY_MARGIN = timedelta(days=16)

# The shortest instant step of `datetime`: [t, t + TICK) holds exactly the instant t.
TICK = timedelta(microseconds=1)


def overlaps(start: datetime, end: datetime, window: Window) -> bool:
    """Resolution's rule: kept iff `start < W1 and end > W0`.

    For an instant window this means `start < t < end`: at the very instant a shift starts,
    upstream reports nobody from it (docs/resolution.md#window-rules).
    """
    return start < window.end and end > window.start


def ical_keeps(start: datetime, end: datetime, window: Window) -> bool:
    """The iCal filter: like `overlaps`, but an instant window keeps `start <= t < end`."""
    if window.start == window.end:
        return start <= window.start < end
    return overlaps(start, end, window)


def ical_query_range(window: Window) -> tuple[datetime, datetime]:
    """The range an iCal calendar is expanded over before `ical_keeps` filters it."""
    return window.start - ICAL_QUERY_MARGIN, window.end + ICAL_QUERY_MARGIN


def on_call_window(instant: datetime) -> Window:
    """The window whose final events are the ones on call at `instant`.

    On call at t iff `start <= t < end` (a hand-over instant has an owner,
    docs/differences.md#hand-over-instants), which `overlaps` gives for `[t, t + TICK)`.
    `final_shifts` keeps upstream's rule and passes its own window unchanged, zero-length
    included.
    """
    return Window(instant, instant + TICK)
