"""Reads of schedules and the answers built on final events (all through `final_events`)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch, QuerySet

from schedules.final_events import OnCallUsers, final_events_by_schedule
from schedules.models import Schedule
from shifts import engine
from shifts.models import OnCallShift
from users.models import Organization, User


def schedule_list(*, organization: Organization) -> QuerySet[Schedule]:
    """Schedules in creation order with everything the engine and the representation read."""
    shifts_with_users = OnCallShift.objects.prefetch_related("users").order_by("id")
    return (
        Schedule.objects.filter(organization=organization)
        .select_related("team", "organization")
        .prefetch_related(
            Prefetch("linked_shifts", queryset=shifts_with_users),
            Prefetch("owned_shifts", queryset=shifts_with_users),
            "cached_calendars",
        )
        .order_by("id")
    )


def users_in_order(events: Sequence[engine.FinalEvent], on_call_users: OnCallUsers) -> list[User]:
    """The distinct users of `events` in first-seen order."""
    seen = dict.fromkeys(user_id for event in events for user_id in event.users)
    return [on_call_users.by_id[user_id] for user_id in seen]


def on_call_now_by_schedule(schedules: Sequence[Schedule], now: datetime) -> dict[int, list[str]]:
    """User ids on call at `now` (DECISIONS D1: start <= now < end), in user creation order."""
    if not schedules:
        return {}
    on_call_users = OnCallUsers.of(schedules[0].organization)
    events = final_events_by_schedule(schedules, engine.on_call_window(now), on_call_users)
    return {
        pk: [user.public_id for user in sorted(users_in_order(found, on_call_users), key=by_pk)]
        for pk, found in events.items()
    }


def by_pk(user: User) -> int:
    return user.pk


@dataclass(frozen=True, slots=True)
class FinalShiftRow:
    user: User
    start: datetime
    end: datetime


def final_shift_rows(schedule: Schedule, window: engine.Window) -> list[FinalShiftRow]:
    """One row per (final event, user), clipped to the window; gaps give no rows (§f.9)."""
    on_call_users = OnCallUsers.of(schedule.organization)
    events = final_events_by_schedule([schedule], window, on_call_users)[schedule.pk]
    return [
        FinalShiftRow(
            user=on_call_users.by_id[user_id],
            start=max(event.start, window.start),
            end=min(event.end, window.end),
        )
        for event in events
        if not event.is_gap
        for user_id in event.users
    ]


@dataclass(frozen=True, slots=True)
class OnCallAnswer:
    """Users and the final events they are on call in, for current/previous/next_oncall."""

    users: list[User]
    events: list[engine.FinalEvent]


def on_call_answer(schedule: Schedule, window: engine.Window, pick) -> OnCallAnswer:
    on_call_users = OnCallUsers.of(schedule.organization)
    events = final_events_by_schedule([schedule], window, on_call_users)[schedule.pk]
    chosen = pick([event for event in events if event.users])
    return OnCallAnswer(users=users_in_order(chosen, on_call_users), events=chosen)


def current_oncall(schedule: Schedule, now: datetime) -> OnCallAnswer:
    return on_call_answer(schedule, engine.on_call_window(now), list)


def previous_oncall(schedule: Schedule, now: datetime, days: int) -> OnCallAnswer:
    """The most recently completed shift(s) within `days` before `now`."""

    def latest_ended(events: list[engine.FinalEvent]) -> list[engine.FinalEvent]:
        ended = [event for event in events if event.end <= now]
        last_end = max((event.end for event in ended), default=None)
        return [event for event in ended if event.end == last_end]

    return on_call_answer(schedule, engine.Window(now - timedelta(days=days), now), latest_ended)


def next_oncall(schedule: Schedule, now: datetime, days: int) -> OnCallAnswer:
    """The next shift(s) starting after `now` within `days`; shifts under way are skipped."""

    def earliest_upcoming(events: list[engine.FinalEvent]) -> list[engine.FinalEvent]:
        upcoming = [event for event in events if event.start > now]
        first_start = min((event.start for event in upcoming), default=None)
        return [event for event in upcoming if event.start == first_start]

    return on_call_answer(
        schedule, engine.Window(now, now + timedelta(days=days)), earliest_upcoming
    )
