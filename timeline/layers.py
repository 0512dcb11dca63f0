"""A schedule over one window as the pages' timeline draws it (docs/pages.md#the-timeline): the
raw events of its layers and overrides, and its final events, read through the same routes as
every other answer (the final events are those `final_shifts` gives rows of)."""

from dataclasses import dataclass
from datetime import datetime

from schedules.models import Schedule
from shifts import engine
from timeline.resolution import final_events_within, raw_events
from timeline.sources import schedule_sources, shared_on_call_users
from users.models import User


@dataclass(frozen=True, slots=True)
class ScheduleLayers:
    """`events`: the raw events that overlap the window, of every layer; `final`: the final
    events that overlap it, neither clipped; `gaps`: the parts of the window no event covers
    (docs/resolution.md#gaps); `users`: who events name, by public id; `names`: the names of
    the shifts and rotations events come from, by their public id."""

    events: list[engine.Event]
    final: list[engine.FinalEvent]
    gaps: tuple[tuple[datetime, datetime], ...]
    users: dict[str, User]
    names: dict[str, str]


def overlaps(event: engine.Event | engine.FinalEvent, window: engine.Window) -> bool:
    return event.start < window.end and event.end > window.start


def schedule_layers(schedule: Schedule, window: engine.Window, now: datetime) -> ScheduleLayers:
    on_call_users = shared_on_call_users(schedule.organization)
    events = raw_events(schedule, window, on_call_users)
    final = final_events_within(schedule, window, on_call_users, now)
    sources = schedule_sources([schedule])[schedule.pk]
    names = {shift.public_id: shift.name or "" for shift, _, _ in sources.shifts}
    names |= {source.rotation.public_id: source.rotation.name or "" for source in sources.rotations}
    return ScheduleLayers(
        events=[event for event in events if overlaps(event, window)],
        final=[event for event in final if overlaps(event, window)],
        gaps=engine.coverage_problems(events, window).gaps,
        users=on_call_users.by_id,
        names=names,
    )
