"""iCal export of the final schedule (docs/exports.md).

`schedule_events` and `user_events` read final events through `final_events` (the one path to
on-call answers); `export_through` keeps what they give and the calendars made of it
(`timeline.cache`); the functions below them only turn events into iCal bytes.
"""

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta

import icalendar

from apikit.encoding import Body
from schedules.export_tokens import export_token_remember
from schedules.models import ExportToken, Schedule
from schedules.selectors import schedules_of
from shifts import engine
from timeline import cache
from timeline.answers import final_events
from timeline.export_digest import digest_of, events_of
from timeline.export_events import ExportedEvent, uid_stamp
from users.models import Organization, User

# From today's 00:00 UTC minus 15 days, 195 days long (upstream's window).
DAYS_BEFORE_TODAY = 15
WINDOW_DAYS = 195
PRODID = "-//oncall-schedules//Final schedule export//EN"
REFRESH_INTERVAL = timedelta(hours=1)
# Final events read from an iCal feed may have no shift id.
NO_SHIFT_ID = "ical"
# The most withdrawn events a token remembers: its row stays small whatever the schedule.
MAX_WITHDRAWN = 1000


def withdrawn_after(
    kept: Iterable[ExportedEvent],
    previous: Iterable[ExportedEvent],
    current: Sequence[ExportedEvent],
    window: engine.Window,
    now: datetime,
) -> list[ExportedEvent]:
    """The withdrawn events of a token once its export has become `current`: those it kept,
    and those its previous export had, that `current` lacks, marked cancelled (the new ones at
    `now`), so that subscribed calendars drop them. They are forgotten once they start before
    the window, and only the latest MAX_WITHDRAWN are kept."""
    produced = {event.uid for event in current}
    gone = [
        replace(event, cancelled_at=now)
        for event in previous
        if event.uid not in produced and event.start >= window.start
    ]
    gone_now = {event.uid for event in gone}
    earlier = [
        event
        for event in kept
        if event.uid not in produced and event.uid not in gone_now and event.start >= window.start
    ]
    return [*earlier, *gone][-MAX_WITHDRAWN:]


@dataclass(frozen=True, slots=True)
class ExportContent:
    """What an export shows before its token's withdrawn events: its name and its events."""

    name: str
    events: tuple[ExportedEvent, ...]


def export_source(
    token: ExportToken, now: datetime
) -> tuple[Schedule | Organization, tuple[str, ...], Callable[[], ExportContent]]:
    """The owner and parts of the cache keys of the content a token opens at `now`, and how to
    make that content. A schedule's content depends on the schedule's version and its users'
    (taken swaps are writes; open ones are ignored); a user's on every schedule's version."""
    day = export_window(now).start.date().isoformat()
    if token.schedule_id is not None:
        schedule = schedules_of(organization=token.organization).get(pk=token.schedule_id)
        return (
            schedule,
            (day,),
            lambda: ExportContent(schedule.name, tuple(schedule_events(schedule, now))),
        )
    user = token.user
    assert user is not None, "a token opens either a schedule or a user"
    schedules = list(schedules_of(organization=user.organization))
    versions = ",".join(f"{schedule.public_id}.{schedule.version}" for schedule in schedules)
    digest = hashlib.sha256(versions.encode()).hexdigest()[:32]
    return (
        user.organization,
        (user.public_id, day, digest),
        lambda: ExportContent(
            f"On-Call Schedule for {user.username}", tuple(user_events(user, schedules, now))
        ),
    )


def export_through(token: ExportToken, now: datetime) -> Body:
    """The calendar an export token opens (its schedule's, or its user's), with its withdrawn
    events, kept gzipped when large (docs/exports.md#caching).

    The content is kept per version of what it is computed from, the calendar per token on top
    of it: an unchanged export is read back, with no write. When the content has changed since
    the token's last export, the events that went are found in the token's record of what that
    export showed (`timeline.export_digest`, in its row: no cache needed), and the token's
    records of that and of its withdrawn events are written."""
    owner, parts, make = export_source(token, now)
    content_key = cache.key(cache.EXPORT_CONTENT, owner, *parts)
    calendar_key = cache.key(cache.EXPORT_CALENDAR, owner, *parts, token.pk)
    if token.exported_key == content_key:
        found = cache.get(cache.Store.SHARED, calendar_key)
        if isinstance(found, Body):
            return found
    content = cache.kept(cache.EXPORT_CONTENT, owner, parts, make)
    withdrawn = [ExportedEvent.from_json(item) for item in token.withdrawn_events]
    if token.exported_key != content_key:
        withdrawn = withdrawn_after(
            withdrawn,
            events_of(token.exported_digest),
            content.events,
            export_window(now),
            now,
        )
        export_token_remember(
            token=token,
            exported_key=content_key,
            exported_digest=digest_of(content.events, now),
            withdrawn_events=[event.as_json() for event in withdrawn],
        )
    body = Body.of(calendar_bytes(content.name, [*content.events, *withdrawn], now))
    cache.put(cache.Store.SHARED, calendar_key, body, 1)
    return body


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


def user_events(user: User, schedules: list[Schedule], now: datetime) -> list[ExportedEvent]:
    """The user's final events in `schedules` (all of the organization's), named after the
    schedule."""
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
    return f"{event.shift_id or NO_SHIFT_ID}-{uid_stamp(event.start)}-{user_id}"


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
