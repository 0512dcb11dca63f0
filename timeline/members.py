"""Who is on call as the Signal and Instatus APIs ask it (docs/dialects.md): the members on call
now and next, layer by layer, and the stretch of the member on call now. Both come from the
final events of the read model's routes, like every other answer, and are kept per schedule
version while "now" stays inside the period they hold for.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from heapq import heappop, heappush
from operator import attrgetter
from typing import NamedTuple

from schedules.models import Schedule
from shifts import engine
from shifts.engine.intervals import merge
from timeline import cache
from timeline.answers import covering, day_timelines, on_call_now
from timeline.resolution import final_events_within
from timeline.sources import schedule_sources, shared_on_call_users
from timeline.windows import day_window
from users.models import User

# Past the day's timeline, `next` looks this far ahead, in windows that grow until one holds a
# change (most answers are in the day's timeline).
NEXT_HORIZONS = tuple(timedelta(days=days) for days in (8, 32, 96, 366))
# A stretch is followed this far either side of the UTC day of `now`.
STRETCH_REACH = timedelta(days=14)
# Kept answers are computed again at least this often.
LONGEST_VALIDITY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class OnCallMembers:
    """The user ids on call at `now` and right after the next change to a non-empty set, each
    in layer order without repeats; the answer holds over [valid_from, valid_until)."""

    current: tuple[str, ...]
    next: tuple[str, ...]
    valid_from: datetime
    valid_until: datetime


@dataclass(frozen=True, slots=True)
class Stretch:
    """The member on call at `now` (the first in layer order; None: nobody) and the stretch of
    time they are on call without a break, within `STRETCH_REACH` of now's day."""

    user: User | None
    start: datetime | None
    end: datetime | None
    valid_from: datetime
    valid_until: datetime


class SetChange(NamedTuple):
    """From `at` on, `members` are on call (a different set from the one before)."""

    at: datetime
    members: tuple[str, ...]


class Active(NamedTuple):
    """An event of a sweep that has started: heap entries, the earliest end first."""

    end: datetime
    position: int  # in the events sorted by start


BY_POSITION = attrgetter("position")


def layer_ranks(schedule: Schedule) -> dict[str | None, int]:
    """The position of each layer by its shift id: rotations in their order, other shifts
    after them."""
    sources = schedule_sources([schedule])[schedule.pk]
    return {source.rotation.public_id: rank for rank, source in enumerate(sources.rotations)}


def members_at(
    events: Iterable[engine.FinalEvent], ranks: dict[str | None, int]
) -> tuple[str, ...]:
    """The users of `events`, by layer then in each event's order, without repeats."""
    ordered = sorted(events, key=lambda event: ranks.get(event.shift_id, len(ranks)))
    return tuple(dict.fromkeys(user for event in ordered for user in event.users))


def on_call_members(schedule: Schedule, now: datetime) -> OnCallMembers:
    """Who is on call at `now` and next (its bodies are kept, `timeline.bodies`)."""
    ranks = layer_ranks(schedule)
    day = [e for e in day_timelines([schedule], now)[schedule.pk].events if e.users]
    current = members_at(covering(day, now), ranks)
    cap = now + LONGEST_VALIDITY
    valid_until = cap
    for until, events in ahead(schedule, now, day):
        changes = list(set_changes(events, now, until, ranks))
        valid_until = min(changes[0].at, cap) if changes else cap
        following = next((change.members for change in changes if change.members), None)
        if following is not None:
            return OnCallMembers(current, following, now, valid_until)
    return OnCallMembers(current, (), now, valid_until)


def ahead(
    schedule: Schedule, now: datetime, day: list[engine.FinalEvent]
) -> Iterable[tuple[datetime, list[engine.FinalEvent]]]:
    """Final events with users from `now` on, and how far they reach: the day's timeline (at
    least a day ahead, kept for "now" answers), then longer windows."""
    yield day_window(now).end, day
    users = shared_on_call_users(schedule.organization)
    for horizon in NEXT_HORIZONS:
        window = engine.Window(now, now + horizon)
        yield window.end, [e for e in final_events_within(schedule, window, users, now) if e.users]


def set_changes(
    events: Sequence[engine.FinalEvent],
    now: datetime,
    until: datetime,
    ranks: dict[str | None, int],
) -> Iterable[SetChange]:
    """Each instant in (now, until) at which the set of users on call changes, with the users
    on call from it on. A sweep over the events' bounds: a year of hourly turns is thousands."""
    by_start = sorted(events, key=lambda event: event.start)
    active: list[Active] = []
    instants = sorted({i for e in events for i in (e.start, e.end) if now < i < until})
    previous = frozenset(members_at(covering(events, now), ranks))
    started = 0
    for instant in instants:
        while started < len(by_start) and by_start[started].start <= instant:
            heappush(active, Active(by_start[started].end, started))
            started += 1
        while active and active[0].end <= instant:
            heappop(active)
        in_order = sorted(active, key=BY_POSITION)
        members = members_at((by_start[entry.position] for entry in in_order), ranks)
        if frozenset(members) != previous:
            yield SetChange(instant, members)
            previous = frozenset(members)


def joined_span(
    spans: Iterable[tuple[datetime, datetime]], instant: datetime, bounds: engine.Window
) -> tuple[datetime, datetime]:
    """The union of the spans that touch or overlap one another and hold `instant` (one of them
    does), cut to `bounds`."""
    start, end = next((start, end) for start, end in merge(spans) if start <= instant < end)
    return max(start, bounds.start), min(end, bounds.end)


def on_call_stretch(schedule: Schedule, now: datetime) -> Stretch:
    """The stretch of the member on call at `now` (kept while it holds)."""
    return cache.kept(
        cache.ON_CALL_STRETCH,
        schedule,
        (day_window(now).start.date(),),
        lambda: compute_stretch(schedule, now),
        fresh=lambda kept: kept.valid_from <= now < kept.valid_until,
        now=now,
    )


def compute_stretch(schedule: Schedule, now: datetime) -> Stretch:
    day = day_window(now).start + timedelta(days=1)
    window = engine.Window(day - STRETCH_REACH, day + STRETCH_REACH + timedelta(days=1))
    users = shared_on_call_users(schedule.organization)
    events = [e for e in final_events_within(schedule, window, users, now) if e.users]
    cap = now + LONGEST_VALIDITY
    on_call = members_at(covering(events, now), layer_ranks(schedule))
    if not on_call:
        later = min((e.start for e in events if e.start > now), default=window.end)
        return Stretch(None, None, None, now, min(later, cap))
    user_id = on_call[0]
    start, end = joined_span([(e.start, e.end) for e in events if user_id in e.users], now, window)
    return Stretch(users.by_id[user_id], start, end, now, min(end, cap))


def on_call_users_now(schedules: Sequence[Schedule], now: datetime) -> dict[int, list[User]]:
    """The users on call at `now`, by schedule pk, in user creation order (`on_call_now`)."""
    if not schedules:
        return {}
    users = shared_on_call_users(schedules[0].organization).by_id
    return {
        pk: [users[user_id] for user_id in user_ids]
        for pk, user_ids in on_call_now(schedules, now).items()
    }
