"""Wall-clock readings in a named zone and the UTC instants they stand for (DECISIONS D2).

Shift times are naive wall-clock values read in the shift's zone. A reading that does not exist
(spring-forward gap) moves forward by the length of the gap (02:30 -> 03:30); an ambiguous one
(fall-back fold) takes its first occurrence. Both follow from reading the value with `fold=0`:
zoneinfo then applies the offset in force *before* the transition.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo

_UTC_ALIASES = frozenset({"utc", "etc/utc", "etc/uct", "uct", "zulu", "etc/zulu"})
# `to_utc` runs once or twice per expanded occurrence: it attaches UTC by adding to an aware
# epoch, because `datetime.replace(tzinfo=...)` costs several times more than that arithmetic.
_NAIVE_EPOCH = datetime(1970, 1, 1)
_UTC_EPOCH = _NAIVE_EPOCH.replace(tzinfo=UTC)


@cache
def zone(name: str) -> ZoneInfo:
    """The zone called `name`; every spelling of UTC is the same zone."""
    if name.lower() in _UTC_ALIASES:
        return ZoneInfo("UTC")
    return ZoneInfo(name)


def to_utc(wall: datetime, tz: ZoneInfo) -> datetime:
    """The aware UTC instant of the naive wall-clock reading `wall` in `tz`."""
    if wall.fold:
        wall = wall.replace(fold=0)
    return _UTC_EPOCH + (wall - _NAIVE_EPOCH - tz.utcoffset(wall))


def to_wall(instant: datetime, tz: ZoneInfo) -> datetime:
    """The naive wall-clock reading of the aware `instant` in `tz`."""
    return instant.astimezone(tz).replace(tzinfo=None, fold=0)


def naive_as_utc(value: datetime) -> datetime:
    """A naive value read as UTC (how upstream reads `until`, and `rotation_start` for clipping)."""
    return value.replace(tzinfo=UTC)
