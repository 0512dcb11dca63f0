"""The hours report: per user, the time on call over a window in one or more schedules, split
into weekday, weekend and night (docs/hours.md).

The past comes from the on-call log where it reaches, the rest of the window from the schedules
as they stand, through the read model: the same rows as `final_shifts`.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import timeline
from oncall_events.selectors import LogReach, oncall_log_reach, oncall_periods
from reports.day_parts import DayParts, Hours
from schedules.models import Schedule
from shifts.engine import Window
from users.models import User

# (user, start, end): one stretch of time a user is on call in one schedule.
OnCall = tuple[User, datetime, datetime]


@dataclass(frozen=True, slots=True)
class ScheduleHours:
    """A schedule of the report, and the part of the window its on-call log answered (None: the
    schedule answered all of it)."""

    schedule: Schedule
    logged: Window | None


@dataclass(frozen=True, slots=True)
class UserHours:
    user: User
    hours: Hours


@dataclass(frozen=True, slots=True)
class HoursReport:
    """The hours of `window` read in `time_zone`: users by username, each summed over the
    schedules."""

    window: Window
    time_zone: str
    schedules: list[ScheduleHours]
    users: list[UserHours]


def logged_part(window: Window, reach: LogReach | None, now: datetime) -> Window | None:
    """The part of `window` that the log answers: the past, as far as the log reaches."""
    if reach is None:
        return None
    start = max(window.start, reach.start)
    end = min(window.end, reach.end, now)
    return Window(start, end) if start < end else None


def unlogged_parts(window: Window, logged: Window | None) -> list[Window]:
    """The parts of `window` before and after `logged`, each non-empty."""
    if logged is None:
        return [window] if window.start < window.end else []
    parts = [Window(window.start, logged.start), Window(logged.end, window.end)]
    return [part for part in parts if part.start < part.end]


def from_log(schedule: Schedule, logged: Window) -> Iterator[OnCall]:
    for period in oncall_periods(schedule, logged.start, logged.end):
        start = max(period.start, logged.start)
        end = logged.end if period.end is None else min(period.end, logged.end)
        if start < end:
            yield from ((user, start, end) for user in period.users)


def on_call_in(
    schedule: Schedule, window: Window, logged: Window | None, now: datetime
) -> Iterator[OnCall]:
    """Who is on call in `schedule` over `window`, from the log over `logged` and from the
    schedule's final shift rows elsewhere."""
    if logged is not None:
        yield from from_log(schedule, logged)
    for part in unlogged_parts(window, logged):
        yield from timeline.final_shift_rows(schedule, part, now).all()


def hours_report(
    schedules: Sequence[Schedule], window: Window, time_zone: str, now: datetime
) -> HoursReport:
    """The hours report of `schedules` over `window`, with nights and weekends in `time_zone`."""
    parts = DayParts(window.start, window.end, ZoneInfo(time_zone))
    reach = oncall_log_reach(schedules)
    users: dict[str, User] = {}
    spans: dict[str, list[tuple[datetime, datetime]]] = {}
    sources = []
    for schedule in schedules:
        logged = logged_part(window, reach.get(schedule.pk), now)
        sources.append(ScheduleHours(schedule, logged))
        for user, start, end in on_call_in(schedule, window, logged, now):
            users.setdefault(user.public_id, user)
            spans.setdefault(user.public_id, []).append((start, end))
    ordered = sorted(users.values(), key=lambda user: (user.username.lower(), user.public_id))
    return HoursReport(
        window=window,
        time_zone=time_zone,
        schedules=sources,
        users=[UserHours(user, parts.of_all(spans[user.public_id])) for user in ordered],
    )
