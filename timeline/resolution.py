"""Which of the engine's routes answers a window; the only importer of the engine's routines.

Three routes give the same final events (hypothesis properties in `tests/engine` compare them),
and all three resolve through the engine's one layering routine:
- whole: the schedule's sources expanded and resolved over the window itself. For the answers
  cached per day or computed for an export, and for windows no block of time serves (instants,
  windows longer than the longest grid);
- within a block: raw events expanded once per block of time around the window
  (`timeline.windows.block_around`), kept in this worker, and resolved over the window;
- from a resolved block: the block resolved once, kept in this worker, and each window answered
  from that resolution (only the rows crossing the window's start are resolved again).
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from schedules.models import Schedule
from shifts import engine
from timeline import cache
from timeline.sources import (
    LayeredShift,
    OnCallUsers,
    engine_inputs,
    engine_swaps,
    layered_spec,
    schedule_sources,
)
from timeline.windows import block_around


def final_events_by_schedule(
    schedules: Sequence[Schedule],
    window: engine.Window,
    on_call_users: OnCallUsers,
    now: datetime,
    *,
    open_swaps: bool = True,
) -> dict[int, list[engine.FinalEvent]]:
    """Final events of each schedule over `window` with its swaps as they stand at `now`
    (without the open ones unless `open_swaps`), keyed by schedule pk (the whole route)."""
    sources = schedule_sources(schedules)
    return {
        schedule.pk: engine.schedule_timeline(
            **engine_inputs(schedule, sources[schedule.pk], on_call_users),
            window=window,
            swaps=engine_swaps(sources[schedule.pk], on_call_users, now, open_swaps=open_swaps),
        )
        for schedule in schedules
    }


def swaps_at(schedule: Schedule, on_call_users: OnCallUsers, now: datetime) -> engine.Swaps:
    return engine_swaps(schedule_sources([schedule])[schedule.pk], on_call_users, now)


def final_events_within(
    schedule: Schedule, window: engine.Window, on_call_users: OnCallUsers, now: datetime
) -> list[engine.FinalEvent]:
    """Final events of one schedule over `window`, as `final_events_by_schedule` gives them,
    resolved from the raw events of the block of time around it when there is one."""
    block = block_around(window)
    if block is None:
        return final_events_by_schedule([schedule], window, on_call_users, now)[schedule.pk]
    return engine.resolve_within(
        block_events(schedule, block, on_call_users),
        window,
        swaps_at(schedule, on_call_users, now),
    )


def on_call_spans_within(
    schedule: Schedule, window: engine.Window, on_call_users: OnCallUsers, now: datetime
) -> engine.WindowSpans:
    """`final_events_within` as (start, end, users) of its events that are not gaps, clipped to
    the window: answered from the resolution of the block of time around it when there is one
    (most of a long window is then the block's own spans)."""
    block = block_around(window)
    if block is None:
        final = final_events_by_schedule([schedule], window, on_call_users, now)[schedule.pk]
        pieces = ((event.start, event.end, event.users) for event in final if not event.is_gap)
        return engine.WindowSpans.of(engine.clipped_spans(pieces, window))
    events = block_events(schedule, block, on_call_users)
    swaps = swaps_at(schedule, on_call_users, now)
    resolved = resolved_block(schedule, block, events, swaps)
    if resolved is None:
        spans = engine.on_call_spans_within(events, window, swaps)
        return engine.WindowSpans.of(engine.clipped_spans(spans, window))
    return engine.window_spans_in_block(resolved, window)


def block_events(
    schedule: Schedule, block: engine.Window, on_call_users: OnCallUsers
) -> engine.RawEvents:
    """The raw events of `schedule` over a block of time, expanded once per process; those of
    each of its shifts are kept by the shift's content, so that after a write to one shift only
    that shift is expanded again."""

    def expand() -> engine.RawEvents:
        sources = schedule_sources([schedule])[schedule.pk]
        shifts = [shift_events(layered, on_call_users, block) for layered in sources.shifts]
        inputs = engine_inputs(schedule, replace(sources, shifts=()), on_call_users)
        others = engine.raw_sources(
            shifts=(),
            calendars=inputs["calendars"],
            rotations=inputs["rotations"],
            directory=inputs["directory"],
            on_bad_calendar=inputs["on_bad_calendar"],
            window=block,
        )
        return engine.RawEvents.joined([*shifts, others])

    return cache.kept(
        cache.EXPANDED_BLOCK,
        schedule,
        block_parts(block),
        expand,
        size=lambda events: len(events) + 1,
    )


def raw_events(
    schedule: Schedule, window: engine.Window, on_call_users: OnCallUsers
) -> list[engine.Event]:
    """The raw events of `schedule` over `window`: those of the block of time around it, kept
    in this process, when there is one (they may reach past the window)."""
    block = block_around(window)
    if block is not None:
        return block_events(schedule, block, on_call_users).events()
    sources = schedule_sources([schedule])[schedule.pk]
    return engine.raw_sources(
        **engine_inputs(schedule, sources, on_call_users), window=window
    ).events()


def shift_events(
    layered: LayeredShift, on_call_users: OnCallUsers, block: engine.Window
) -> engine.RawEvents:
    """The raw events of one shift a schedule renders over a block, kept by everything they
    depend on: the shift's fields, users and zone, who may be on call, and the block."""
    return cache.kept_by_content(
        cache.SHIFT_EVENTS,
        (layered, on_call_users.ids, block),
        lambda: engine.raw_shift_events(layered_spec(layered, on_call_users), block),
        size=lambda events: len(events) + 1,
    )


def resolved_block(
    schedule: Schedule, block: engine.Window, events: engine.RawEvents, swaps: engine.Swaps
) -> engine.ResolvedBlock | None:
    """The resolution of `schedule`'s raw `events` over `block` with its `swaps`, kept in this
    process; None when the engine cannot resolve the block as one (it is kept too, in a
    1-tuple). The resolution of the block before the schedule's last write, if this worker
    has it, lends the engine the pieces that write left as they were."""
    parts = block_parts(block)

    def resolve() -> tuple[engine.ResolvedBlock | None]:
        before = cache.kept_before_write(cache.RESOLVED_BLOCK, schedule, parts, now=swaps.now)
        earlier = before[0] if before is not None else None
        return (engine.resolve_block(events, block, swaps, earlier),)

    (resolved,) = cache.kept(
        cache.RESOLVED_BLOCK,
        schedule,
        parts,
        resolve,
        size=lambda kept: 1 if kept[0] is None else kept[0].size + 1,
        now=swaps.now,
    )
    return resolved


def block_parts(block: engine.Window) -> tuple[str, str]:
    """What tells a block's objects apart from the other blocks' in their keys."""
    return block.start.isoformat(), block.end.isoformat()
