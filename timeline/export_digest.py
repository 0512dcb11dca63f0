"""What a token's last export showed, small enough for its row (docs/exports.md#withdrawn-events).

A withdrawn event is written with its UID, summary, priority and start, so that is all the
record keeps of each event the export showed. Events repeat: the same shift, user and summary
at starts a fixed step apart. So the record groups events by what they share (their UID less
its start, summary, priority) and keeps each group's starts as runs of a first start, a step and
a count: a rotation's events over the whole window take a run or a few. At most MAX_RUNS runs
are kept (those with starts still to come first, then by start), so the row stays small
whatever the schedule; events of the runs left out are not cancelled if they go.
"""

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from timeline.export_events import ExportedEvent, uid_stamp

MAX_RUNS = 1000

# (UID before its start, UID after it or None when the UID has no start in it, summary, priority)
Shape = tuple[str, str | None, str, int]
# (first start, step, count), starts as seconds since the epoch
Run = tuple[int, int, int]


def digest_of(events: Iterable[ExportedEvent], now: datetime) -> dict[str, Any]:
    """The record of `events` (an export's), as JSON for the token's row."""
    starts_by_shape: dict[Shape, list[int]] = {}
    for event in events:
        starts_by_shape.setdefault(shape_of(event), []).append(int(event.start.timestamp()))
    runs = [
        (shape, run)
        for shape, starts in starts_by_shape.items()
        for run in runs_of(sorted(set(starts)))
    ]
    moment = now.timestamp()
    runs.sort(key=lambda item: (last_start(item[1]) < moment, item[1][0]))
    kept: dict[Shape, list[Run]] = {}
    for shape, run in runs[:MAX_RUNS]:
        kept.setdefault(shape, []).append(run)
    return {
        "series": [
            [*shape, [list(run) for run in shape_runs]] for shape, shape_runs in kept.items()
        ]
    }


def events_of(digest: dict[str, Any]) -> Iterator[ExportedEvent]:
    """The events a record keeps, each as long as nothing (only withdrawn ones are written)."""
    for prefix, suffix, summary, priority, runs in digest.get("series", ()):
        for first, step, count in runs:
            for index in range(count):
                start = datetime.fromtimestamp(first + index * step, UTC)
                uid = prefix if suffix is None else f"{prefix}-{uid_stamp(start)}-{suffix}"
                yield ExportedEvent(uid, summary, start, start, priority)


def shape_of(event: ExportedEvent) -> Shape:
    prefix, found, suffix = event.uid.rpartition(f"-{uid_stamp(event.start)}-")
    if not found:
        return (event.uid, None, event.summary, event.priority)
    return (prefix, suffix, event.summary, event.priority)


def runs_of(starts: Sequence[int]) -> list[Run]:
    """Sorted starts as runs of evenly spaced ones."""
    runs: list[Run] = []
    for start in starts:
        if runs:
            first, step, count = runs[-1]
            if count == 1:
                runs[-1] = (first, start - first, 2)
                continue
            if start == first + step * count:
                runs[-1] = (first, step, count + 1)
                continue
        runs.append((start, 0, 1))
    return runs


def last_start(run: Run) -> int:
    first, step, count = run
    return first + step * (count - 1)
