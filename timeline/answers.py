"""The answers about who is on call: what the read model offers the APIs, exports and pages.

Each reads its schedules' sources and users (`timeline.sources`), takes its final events from the
route that suits its window (`timeline.resolution`) and keeps what it can (`timeline.cache`).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from schedules.models import Schedule, ShiftSwap
from shifts import engine
from timeline import cache
from timeline.resolution import final_events_by_schedule, final_events_within, on_call_spans_within
from timeline.sources import OnCallUsers, shared_on_call_users
from timeline.windows import day_window
from users.models import Organization, User


@dataclass(frozen=True, slots=True)
class DayTimeline:
    """Final events of a schedule around one UTC day, and the order users are listed in."""

    events: tuple[engine.FinalEvent, ...]
    user_rank: dict[str, int]


def compute_day_timelines(
    schedules: Sequence[Schedule], window: engine.Window, now: datetime
) -> dict[int, DayTimeline]:
    on_call_users = shared_on_call_users(schedules[0].organization)
    rank = {user_id: user.pk for user_id, user in on_call_users.by_id.items()}
    by_schedule = final_events_by_schedule(schedules, window, on_call_users, now)
    return {
        pk: DayTimeline(events=tuple(events), user_rank=rank) for pk, events in by_schedule.items()
    }


def day_timelines(schedules: Sequence[Schedule], now: datetime) -> dict[int, DayTimeline]:
    """The final events of each schedule over the day window of `now`, kept per day (and per
    open swap started, docs/performance.md#answers-that-change-with-time)."""
    window = day_window(now)
    return cache.kept_for_each(
        cache.DAY_TIMELINE,
        schedules,
        (window.start.date(),),
        lambda missing: compute_day_timelines(missing, window, now),
        now=now,
    )


def covering(events: Sequence[engine.FinalEvent], now: datetime) -> list[engine.FinalEvent]:
    """On call at `now` iff `start <= now < end` (docs/differences.md#hand-over-instants)."""
    return [event for event in events if event.users and event.start <= now < event.end]


def distinct_user_ids(events: Sequence[engine.FinalEvent]) -> list[str]:
    return list(dict.fromkeys(user_id for event in events for user_id in event.users))


def on_call_now(schedules: Sequence[Schedule], now: datetime) -> dict[int, list[str]]:
    """User ids on call at `now`, per schedule pk, in user creation order."""
    if not schedules:
        return {}
    return {
        pk: sorted(
            distinct_user_ids(covering(timeline.events, now)), key=timeline.user_rank.__getitem__
        )
        for pk, timeline in day_timelines(schedules, now).items()
    }


# (user, start, end): plain tuples, since a year of an hourly rotation makes thousands per request.
FinalShiftRow = tuple[User, datetime, datetime]


@dataclass(frozen=True, slots=True)
class FinalShiftRows:
    """The rows of a window, one per (final event, user), clipped to it; gaps give none
    (docs/resolution.md#final_shifts): a row per user of each of the window's spans, which are
    `spans.head`, then the block's own spans `spans.block_spans[spans.middle]` (shared by the
    windows of the block of time around it), then `spans.tail`."""

    spans: engine.WindowSpans
    users: dict[str, User]

    def all(self) -> list[FinalShiftRow]:
        return rows_of(self.spans.all(), self.users)


def rows_of(spans: Iterable[engine.OnCallSpan], users: dict[str, User]) -> list[FinalShiftRow]:
    return [(users[user_id], start, end) for start, end, user_ids in spans for user_id in user_ids]


def final_shift_rows(schedule: Schedule, window: engine.Window, now: datetime) -> FinalShiftRows:
    """The rows of `window` as the schedule stands at `now` (open swaps split rows while their
    start is ahead)."""
    on_call_users = shared_on_call_users(schedule.organization)
    spans = on_call_spans_within(schedule, window, on_call_users, now)
    return FinalShiftRows(spans, on_call_users.by_id)


@dataclass(frozen=True, slots=True)
class OnCallAnswer:
    """Users and the final events they are on call in, for current/previous/next_oncall."""

    users: list[User]
    events: list[engine.FinalEvent]


def answer_for(events: list[engine.FinalEvent], on_call_users: OnCallUsers) -> OnCallAnswer:
    users = [on_call_users.by_id[user_id] for user_id in distinct_user_ids(events)]
    return OnCallAnswer(users=users, events=events)


@dataclass(frozen=True, slots=True)
class CurrentOnCall:
    """Who is on call at `now`, and the period [valid_from, valid_until) around `now` over
    which that answer stays the same (no shift starts or ends inside it)."""

    answer: OnCallAnswer
    valid_from: datetime
    valid_until: datetime


def current_oncall(schedule: Schedule, now: datetime) -> CurrentOnCall:
    """The final events under way at `now` (the same set as `on_call_now`), with real bounds."""
    timeline = day_timelines([schedule], now)[schedule.pk].events
    events = covering(timeline, now)
    users = OnCallUsers.of(schedule.organization, only=distinct_user_ids(events), with_teams=True)
    window = day_window(now)
    boundaries = [instant for event in timeline for instant in (event.start, event.end)]
    return CurrentOnCall(
        answer=answer_for(events, users),
        valid_from=max((b for b in boundaries if b <= now), default=window.start),
        valid_until=min((b for b in boundaries if b > now), default=window.end),
    )


Pick = Callable[[list[engine.FinalEvent]], list[engine.FinalEvent]]


def on_call_within(
    schedule: Schedule, window: engine.Window, pick: Pick, now: datetime
) -> OnCallAnswer:
    on_call_users = OnCallUsers.of(schedule.organization, with_teams=True)
    events = final_events_within(schedule, window, on_call_users, now)
    return answer_for(pick([event for event in events if event.users]), on_call_users)


def previous_oncall(schedule: Schedule, now: datetime, days: int) -> OnCallAnswer:
    """The most recently completed shift(s) within `days` before `now`."""

    def latest_ended(events: list[engine.FinalEvent]) -> list[engine.FinalEvent]:
        ended = [event for event in events if event.end <= now]
        last_end = max((event.end for event in ended), default=None)
        return [event for event in ended if event.end == last_end]

    window = engine.Window(now - timedelta(days=days), now)
    return on_call_within(schedule, window, latest_ended, now)


def next_oncall(schedule: Schedule, now: datetime, days: int) -> OnCallAnswer:
    """The next shift(s) starting after `now` within `days`; shifts under way are skipped."""

    def earliest_upcoming(events: list[engine.FinalEvent]) -> list[engine.FinalEvent]:
        upcoming = [event for event in events if event.start > now]
        first_start = min((event.start for event in upcoming), default=None)
        return [event for event in upcoming if event.start == first_start]

    window = engine.Window(now, now + timedelta(days=days))
    return on_call_within(schedule, window, earliest_upcoming, now)


@dataclass(frozen=True, slots=True)
class FinalEvents:
    """Final events of schedules by pk, and the users they name by public id."""

    by_schedule: dict[int, list[engine.FinalEvent]]
    users: dict[str, User]


def final_events(
    organization: Organization,
    schedules: Sequence[Schedule],
    window: engine.Window,
    now: datetime,
    *,
    open_swaps: bool = True,
) -> FinalEvents:
    """The final events of the organization's `schedules` over `window` as they stand at `now`,
    events not clipped; without open swaps unless `open_swaps` (docs/exports.md#events)."""
    on_call_users = OnCallUsers.of(organization)
    return FinalEvents(
        by_schedule=final_events_by_schedule(
            schedules, window, on_call_users, now, open_swaps=open_swaps
        ),
        users=on_call_users.by_id,
    )


def swap_shifts(swap: ShiftSwap, now: datetime) -> FinalEvents:
    """The final events of the swap's period in which a user is there through it (the
    benefactor, or the beneficiary of an open swap), by its schedule's pk."""
    schedule = swap.schedule
    on_call_users = shared_on_call_users(schedule.organization)
    window = engine.Window(swap.swap_start, swap.swap_end)
    events = final_events_by_schedule([schedule], window, on_call_users, now)[schedule.pk]
    carrying = [
        event for event in events if any(mark.swap_id == swap.public_id for mark in event.swaps)
    ]
    return FinalEvents(by_schedule={schedule.pk: carrying}, users=on_call_users.by_id)
