"""Who is on call over time: the instants where it changes, for the on-call log and what acts
on it (docs/oncall-events.md). The engine finds the instants; this module gives it the final
events of the window and lists users in the order `on_call_now` does."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from schedules.models import Schedule
from shifts import engine
from timeline.resolution import final_events_within, raw_events
from timeline.sources import OnCallUsers, shared_on_call_users
from users.models import User

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


# The next change is looked for this far ahead, in windows that grow until one holds it.
NEXT_CHANGE_HORIZONS = tuple(timedelta(days=days) for days in (8, 32, 96))


@dataclass(frozen=True, slots=True)
class Handoff:
    """From `at` on, `users` are on call (none: a gap begins)."""

    at: datetime
    users: list[User]


def next_handoff(schedule: Schedule, now: datetime) -> Handoff | None:
    """The first change of who is on call after `now`, within the longest horizon; None when
    nothing changes that soon."""
    before = on_call_user_ids_at(schedule, now)
    for horizon in NEXT_CHANGE_HORIZONS:
        changes = on_call_changes(schedule, now, now + horizon, before)
        if changes:
            users = shared_on_call_users(schedule.organization).by_id
            return Handoff(changes[0].at, [users[user_id] for user_id in changes[0].users])
    return None


def on_call_user_ids_at(schedule: Schedule, instant: datetime) -> tuple[str, ...]:
    """The ids of the users on call at `instant`, in creation order (as `on_call_now`)."""
    on_call_users = shared_on_call_users(schedule.organization)
    events = final_events_within(schedule, engine.on_call_window(instant), on_call_users, instant)
    return in_user_order(engine.users_at(events, instant), on_call_users)


def coverage_problems(schedule: Schedule, window: engine.Window) -> engine.CoverageProblems:
    """The gaps and empty events of the schedule's raw events over `window`."""
    on_call_users = shared_on_call_users(schedule.organization)
    return engine.coverage_problems(raw_events(schedule, window, on_call_users), window)
