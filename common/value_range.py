"""The range of values the service stores, whichever API they come through
(docs/api.md#value-ranges).

Every instant lies in [EARLIEST, LATEST): far enough from the ends of Python's datetime that any
arithmetic on a stored value (a shift's end, a rotation's next turn, a window around it, a time
zone's offset) stays representable, so that no stored value can make a later read fail.
Integers are bounded by what the database columns hold, and a recurrence's step by what a
schedule can mean.
"""

from datetime import UTC, datetime

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
# A 32-bit signed column (PostgreSQL's `integer`).
INT32_MAX = 2**31 - 1
INT32_MIN = -(2**31)
# A recurrence's step: 1,000 months is over 83 years.
MAX_INTERVAL = 1000


def in_range(value: datetime) -> bool:
    """Whether `value` is in range; a naive one is read as a wall-clock time (the margin to
    Python's limits covers any zone's offset)."""
    if value.tzinfo is None:
        return EARLIEST.replace(tzinfo=None) <= value < LATEST.replace(tzinfo=None)
    return EARLIEST <= value < LATEST
