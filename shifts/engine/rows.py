"""Rows: the engine's working form of raw events.

A shift expands into thousands of events that differ only in their bounds and users, and
building a frozen `Event` costs many times what a tuple does. Expansion and resolution therefore
pass rows `(start, end, users, missing_users, origin)` along, where `origin` holds what the
events of one source share; `Event` values are built only at the public edges. An `Event` is
itself an origin, so a row of an existing event costs one tuple.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import Final, Protocol

from shifts.engine.types import CalendarType, Event, Source


class Origin(Protocol):
    """What the rows of one shift or iCal event share (the fields of `Event` but its bounds and
    users)."""

    @property
    def calendar_type(self) -> CalendarType: ...

    @property
    def level(self) -> int: ...

    @property
    def shift_id(self) -> str | None: ...

    @property
    def source(self) -> Source | None: ...

    @property
    def all_day(self) -> bool: ...

    @property
    def is_gap(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class ShiftOrigin:
    """The origin of every row of one shift."""

    calendar_type: CalendarType
    level: int
    shift_id: str | None
    source: Source | None
    all_day: bool = False
    is_gap: bool = False


Row = tuple[datetime, datetime, tuple[str, ...], tuple[str, ...], Origin]
# A row's fields by position: (start, end, users, missing users, origin).
ROW_START: Final = 0
ROW_END: Final = 1
ROW_ORIGIN: Final = 4


def event_rows(events: Iterable[Event]) -> list[Row]:
    return [(event.start, event.end, event.users, event.missing_users, event) for event in events]


def row_events(rows: Iterable[Row]) -> list[Event]:
    return [
        Event(
            start,
            end,
            users,
            origin.calendar_type,
            origin.level,
            origin.shift_id,
            origin.source,
            origin.all_day,
            missing_users,
            origin.is_gap,
        )
        for start, end, users, missing_users, origin in rows
    ]


@dataclass(frozen=True, slots=True)
class RawEvents:
    """Raw events as the engine works on them, for callers that keep an expansion and hand it
    back to be resolved: building thousands of `Event`s only for resolution to take them apart
    again costs more than resolving them. `events()` builds them."""

    rows: tuple[Row, ...]

    def events(self) -> list[Event]:
        return row_events(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def joined(cls, parts: Iterable[RawEvents]) -> RawEvents:
        """The raw events of `parts`, in their order."""
        return cls(tuple(chain.from_iterable(part.rows for part in parts)))


# Raw events as `Event`s, or as an expansion kept as it is.
SomeEvents = Sequence[Event] | RawEvents


def rows_of(events: SomeEvents) -> list[Row]:
    """The rows of `events`, in a new list."""
    return list(events.rows) if isinstance(events, RawEvents) else event_rows(events)
