"""Windows of time the read model keeps answers for: the days that "now" answers share, and the
blocks of time whose expansion and resolution serve the windows inside them."""

from datetime import UTC, datetime, timedelta

from shifts.engine import Window

# "Now" answers share one resolved timeline per schedule and UTC day; it spans a day either side
# so that a shift under way keeps its real bounds (pieces are split by whatever surrounds them).
DAY = timedelta(days=1)


def day_window(now: datetime) -> Window:
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return Window(day - DAY, day + 2 * DAY)


# Raw events are expanded over a block that holds the query window, taken from the first grid
# (longest window it serves, step between block starts) that fits the window: windows that slide
# by minutes or days, as clients asking "from now" send them, reuse one expansion. A block is the
# longest window plus one step long, about a quarter more than that window. From a month on, each
# grid's longest window is two to three times the one before: a window of three months or more is
# expanded over at most about twice its length, so time keeps growing about linearly with it.
BLOCK_GRIDS = (
    (timedelta(days=8), timedelta(days=2)),
    (timedelta(days=32), timedelta(days=8)),
    (timedelta(days=96), timedelta(days=24)),
    (timedelta(days=184), timedelta(days=24)),
    (timedelta(days=366), timedelta(days=28)),
)
GRID_ORIGIN = datetime(2000, 1, 3, tzinfo=UTC)


def block_around(window: Window) -> Window | None:
    """The block whose expansion serves `window`; None for an instant or a window too long."""
    length = window.end - window.start
    if not length:
        # An instant keeps iCal events that start at it, which no longer window would.
        return None
    for longest, step in BLOCK_GRIDS:
        if length <= longest:
            start = GRID_ORIGIN + (window.start - GRID_ORIGIN) // step * step
            return Window(start, start + longest + step)
    return None
