"""iCal export of the final schedule (docs/exports.md).

`schedule_events` and `user_events` read final events through `final_events` (the one path to
on-call answers); the functions below them only turn events into iCal bytes.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from typing import Any

import icalendar

from schedules.export_tokens import export_token_remember
from schedules.models import ExportToken, Schedule
from schedules.selectors import schedules_of
from shifts import engine
from timeline.answers import final_events
from users.models import User

# From today's 00:00 UTC minus 15 days, 195 days long (upstream's window).
DAYS_BEFORE_TODAY = 15
WINDOW_DAYS = 195
PRODID = "-//oncall-schedules//Final schedule export//EN"
REFRESH_INTERVAL = timedelta(hours=1)
# Final events read from an iCal feed may have no shift id.
NO_SHIFT_ID = "ical"
UID_TIME_FORMAT = "%Y%m%d%H%M%S"


@dataclass(frozen=True, slots=True)
class ExportedEvent:
    uid: str
    summary: str
    start: datetime
    end: datetime
    priority: int
    # When the event stopped being produced; None while it is on the schedule.
    cancelled_at: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "summary": self.summary,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "priority": self.priority,
            "cancelled_at": self.cancelled_at.isoformat() if self.cancelled_at else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ExportedEvent":
        cancelled_at = data["cancelled_at"]
        return cls(
            uid=data["uid"],
            summary=data["summary"],
            start=datetime.fromisoformat(data["start"]),
            end=datetime.fromisoformat(data["end"]),
            priority=data["priority"],
            cancelled_at=datetime.fromisoformat(cancelled_at) if cancelled_at else None,
        )


def with_cancelled(
    current: Sequence[ExportedEvent],
    previous: Iterable[ExportedEvent],
    window: engine.Window,
    now: datetime,
) -> list[ExportedEvent]:
    """`current` plus what an earlier export had and this one lacks, as cancelled events, so
    that subscribed calendars drop them; they are forgotten once they start before the window."""
    produced = {event.uid for event in current}
    gone = [
        event if event.cancelled_at else replace(event, cancelled_at=now)
        for event in previous
        if event.uid not in produced and event.start >= window.start
    ]
    return [*current, *gone]


def export_through(token: ExportToken, now: datetime) -> bytes:
    """The calendar an export token opens (its schedule's, or its user's), with the events of
    its previous export that are gone kept as cancelled; remembers what it exported."""
    if token.schedule_id is not None:
        schedule = schedules_of(organization=token.organization).get(pk=token.schedule_id)
        name, events = schedule.name, schedule_events(schedule, now)
    else:
        user = token.user
        assert user is not None, "a token opens either a schedule or a user"
        name, events = f"On-Call Schedule for {user.username}", user_events(user, now)
    previous = [ExportedEvent.from_json(item) for item in token.exported_events]
    events = with_cancelled(events, previous, export_window(now), now)
    export_token_remember(token=token, exported_events=[event.as_json() for event in events])
    return calendar_bytes(name, events, now)


def export_window(now: datetime) -> engine.Window:
    start = datetime.combine(now.astimezone(UTC).date(), time(), tzinfo=UTC) - timedelta(
        days=DAYS_BEFORE_TODAY
    )
    return engine.Window(start, start + timedelta(days=WINDOW_DAYS))


def schedule_events(schedule: Schedule, now: datetime) -> list[ExportedEvent]:
    """The schedule's final events over the export window, one per (event, user)."""
    final = final_events(
        schedule.organization, [schedule], export_window(now), now, open_swaps=False
    )
    return [
        ExportedEvent(
            uid=event_uid(event, user_id),
            summary=final.users[user_id].username,
            start=event.start,
            end=event.end,
            priority=int(event.calendar_type),  # type: ignore[arg-type]  # not a gap
        )
        for event, user_id in event_users(final.by_schedule[schedule.pk])
    ]


def user_events(user: User, now: datetime) -> list[ExportedEvent]:
    """The user's final events in every schedule of the organization, named after the schedule."""
    schedules = list(schedules_of(organization=user.organization))
    final = final_events(user.organization, schedules, export_window(now), now, open_swaps=False)
    return [
        ExportedEvent(
            # A shift may be linked to several calendar schedules: the schedule id keeps the UID
            # unique in this calendar (and the engine still reads the shift id from its start).
            uid=f"{event_uid(event, user_id)}-{schedule.public_id}",
            summary=f"{schedule.name}: {user.username}",
            start=event.start,
            end=event.end,
            priority=int(event.calendar_type),  # type: ignore[arg-type]  # not a gap
        )
        for schedule in schedules
        for event, user_id in event_users(final.by_schedule[schedule.pk])
        if user_id == user.public_id
    ]


def event_users(events: Iterable[engine.FinalEvent]) -> list[tuple[engine.FinalEvent, str]]:
    """(event, user id) pairs in final-event order, users in event order; gaps give none."""
    return [(event, user_id) for event in events if not event.is_gap for user_id in event.users]


def event_uid(event: engine.FinalEvent, user_id: str) -> str:
    """`<shift id>-<start YYYYMMDDHHMMSS>-<user id>`: unique per (shift, user, piece)
    (docs/exports.md#events; upstream leaves the minutes out). The engine reads such UIDs back as
    the shift id (docs/ical-feeds.md#event-identity)."""
    start = event.start.astimezone(UTC).strftime(UID_TIME_FORMAT)
    return f"{event.shift_id or NO_SHIFT_ID}-{start}-{user_id}"


def calendar_bytes(name: str, events: Sequence[ExportedEvent], now: datetime) -> bytes:
    """An RFC 5545 calendar of `events`, every time in UTC, stamped with `now`."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # Non-standard properties are TEXT by default (RFC 5545, section 3.8.8.2): escape `,` and `;`.
    calendar.add("x-wr-calname", icalendar.vText(name))
    calendar.add("x-wr-timezone", "UTC")
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    stamp = now.astimezone(UTC)
    for exported in events:
        event = icalendar.Event()
        event.add("uid", exported.uid)
        event.add("summary", exported.summary)
        event.add("dtstart", exported.start.astimezone(UTC))
        event.add("dtstamp", stamp)
        event.add("priority", exported.priority)
        if exported.cancelled_at:
            # Upstream's form of a withdrawn event: zero length, CANCELLED, when it went.
            event.add("dtend", exported.start.astimezone(UTC))
            event.add("status", "CANCELLED")
            event.add("last-modified", exported.cancelled_at.astimezone(UTC))
        else:
            event.add("dtend", exported.end.astimezone(UTC))
            event.add("last-modified", stamp)
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
