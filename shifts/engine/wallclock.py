"""Wall-clock readings in a named zone and the UTC instants they stand for (docs/time-zones.md).

Shift times are naive wall-clock values read in the shift's zone. A reading that does not exist
(spring-forward gap) moves forward by the length of the gap (02:30 -> 03:30); an ambiguous one
(fall-back fold) takes its first occurrence. Both follow from reading the value with `fold=0`:
zoneinfo then applies the offset in force *before* the transition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

_UTC_ALIASES = frozenset({"utc", "etc/utc", "etc/uct", "uct", "zulu", "etc/zulu"})
# Expansion converts every event's bounds: they are moved between naive and aware UTC by
# arithmetic on these epochs, because `datetime.replace(tzinfo=...)` costs several times more.
_NAIVE_EPOCH = datetime(1970, 1, 1)
_UTC_EPOCH = _NAIVE_EPOCH.replace(tzinfo=UTC)
_NO_TIME = timedelta(0)
# The zone `zone` gives for every spelling of UTC.
_UTC_ZONE = ZoneInfo("UTC")


@cache
def zone(name: str) -> ZoneInfo:
    """The zone called `name`; every spelling of UTC is the same zone."""
    if name.lower() in _UTC_ALIASES:
        return _UTC_ZONE
    return ZoneInfo(name)


def to_utc(wall: datetime, tz: ZoneInfo) -> datetime:
    """The aware UTC instant of the naive wall-clock reading `wall` in `tz`."""
    [(instant, _)] = utc_spans((wall,), _NO_TIME, tz)
    return instant


def utc_spans(
    starts: Iterable[datetime], length: timedelta, tz: ZoneInfo
) -> list[tuple[datetime, datetime]]:
    """`(to_utc(start), to_utc(start + length))` for each wall-clock start: a span lasts `length`
    on the wall clock. One call per expansion rather than two per event, which is what an
    expansion costs most."""
    if tz is _UTC_ZONE:
        # No offset, ever: half the work per start (rotations are mostly in UTC).
        utc_spans = []
        for wall in starts:
            start = _UTC_EPOCH + (wall - _NAIVE_EPOCH)
            utc_spans.append((start, start + length))
        return utc_spans
    # a ZoneInfo has an offset at every reading (the stubs allow None for any tzinfo)
    offset: Callable[[datetime], timedelta] = tz.utcoffset  # type: ignore[assignment]
    spans = []
    for wall in starts:
        start_offset = offset(wall.replace(fold=0) if wall.fold else wall)
        start = _UTC_EPOCH + (wall - _NAIVE_EPOCH - start_offset)
        # `wall + length` has fold 0, like every result of datetime arithmetic
        spans.append((start, start + (length + start_offset - offset(wall + length))))
    return spans


def to_wall(instant: datetime, tz: ZoneInfo) -> datetime:
    """The naive wall-clock reading of the aware `instant` in `tz`."""
    offset: Callable[[datetime], timedelta] = tz.utcoffset  # type: ignore[assignment]
    return _NAIVE_EPOCH + (instant - _UTC_EPOCH + offset(instant.astimezone(tz)))


def naive_as_utc(value: datetime) -> datetime:
    """A naive value read as UTC (how upstream reads `until`, and `rotation_start` for clipping)."""
    return value.replace(tzinfo=UTC)
