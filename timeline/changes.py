"""Who is on call over time: the instants where it changes, for the on-call log and what acts
on it (docs/oncall-events.md). The engine finds the instants; this module gives it the final
events of the window and lists users in the order `on_call_now` does."""

from collections.abc import Collection
from datetime import datetime, timedelta

from schedules.models import Schedule
from shifts import engine
from timeline.resolution import block_events, final_events_within
from timeline.sources import OnCallUsers, engine_inputs, schedule_sources, shared_on_call_users
from timeline.windows import block_around

# [after, until + TICK) holds every event that starts at `until`.
TICK = timedelta(microseconds=1)
# Final events are read with the schedule's swaps as they stand at the window's start: an open
# swap only splits its beneficiary's events, never changing who is on call, so which "now" it is
# read at changes no answer here (docs/resolution.md#shift-swaps).


def in_user_order(user_ids: Collection[str], on_call_users: OnCallUsers) -> tuple[str, ...]:
    """User ids in user creation order, as `on_call_now` lists them."""
    return tuple(sorted(user_ids, key=lambda user_id: on_call_users.by_id[user_id].pk))


def on_call_changes(
    schedule: Schedule, after: datetime, until: datetime, before: Collection[str]
) -> list[engine.OnCallChange]:
    """The changes of who is on call at instants in `(after, until]`, the users on call at
    `after` being `before`; each change lists its users in creation order."""
    on_call_users = shared_on_call_users(schedule.organization)
    window = engine.Window(after, until + TICK)
    events = final_events_within(schedule, window, on_call_users, after)
    return [
        engine.OnCallChange(change.at, in_user_order(change.users, on_call_users), change.cause)
        for change in engine.on_call_changes(events, after, until, before)
    ]


def on_call_user_ids_at(schedule: Schedule, instant: datetime) -> tuple[str, ...]:
    """The ids of the users on call at `instant`, in creation order (as `on_call_now`)."""
    on_call_users = shared_on_call_users(schedule.organization)
    events = final_events_within(schedule, engine.on_call_window(instant), on_call_users, instant)
    return in_user_order(engine.users_at(events, instant), on_call_users)


def coverage_problems(schedule: Schedule, window: engine.Window) -> engine.CoverageProblems:
    """The gaps and empty events of the schedule's raw events over `window`."""
    on_call_users = shared_on_call_users(schedule.organization)
    block = block_around(window)
    if block is not None:
        events = block_events(schedule, block, on_call_users)
    else:
        sources = schedule_sources([schedule])[schedule.pk]
        events = engine.expand_sources(
            **engine_inputs(schedule, sources, on_call_users), window=window
        )
    return engine.coverage_problems(events, window)
