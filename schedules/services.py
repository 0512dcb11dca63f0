"""Writes of schedules; each runs in one transaction."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TypedDict, Unpack

from django.db import transaction
from django.utils import timezone

from common.writes import assign, field_names
from schedules.calendars import sync_cached_calendars
from schedules.feeds import FeedDownload
from schedules.models import CalendarKind, Schedule, ScheduleType
from schedules.shift_services import on_call_shift_create
from schedules.versions import bump_schedules
from shifts.models import OnCallShift, ShiftType, Source
from users.models import Organization, Team, User
from users.services import organization_lock


def slack_id(organization: Organization, value: str | None) -> str | None:
    # With a Slack workspace connected, ids are canonical upper case; without one we keep
    # them as given (upstream would refuse them; docs/differences.md#slack-ids-without-a-workspace).
    if value and organization.slack_team_id:
        return value.upper()
    return value


def lock_shifts(pks: Iterable[int]) -> set[int]:
    """Lock these shift rows until the transaction ends and return the pks still there.

    Always in pk order, so that two schedules exchanging shifts (or a schedule and a shift
    delete) wait for each other instead of deadlocking."""
    locked = OnCallShift.objects.select_for_update().filter(pk__in=set(pks)).order_by("pk")
    return set(locked.values_list("pk", flat=True))


def attach_shifts(schedule: Schedule, shifts: Sequence[OnCallShift]) -> None:
    """A calendar schedule links shifts; a web schedule owns them (taking them from another).

    Shifts deleted since validation are dropped, as unknown ids are."""
    web = schedule.type == ScheduleType.WEB
    current = schedule.owned_shifts if web else schedule.linked_shifts
    wanted = [shift.pk for shift in shifts]
    live = lock_shifts([*wanted, *current.values_list("pk", flat=True)])
    kept = [pk for pk in wanted if pk in live]
    if web:
        # Schedules losing shifts to this one change too.
        bump_schedules(
            OnCallShift.objects.filter(pk__in=kept, schedule__isnull=False)
            .exclude(schedule=schedule)
            .values_list("schedule_id", flat=True)
        )
        schedule.owned_shifts.exclude(pk__in=kept).update(schedule=None)
        OnCallShift.objects.filter(pk__in=kept).update(schedule=schedule)
    else:
        schedule.linked_shifts.set(kept)


URL_FIELDS = {
    "ical_url_primary": CalendarKind.PRIMARY,
    "ical_url_overrides": CalendarKind.OVERRIDES,
}


class ScheduleFields(TypedDict, total=False):
    """What a schedule write may set (model fields)."""

    name: str
    team: Team | None
    time_zone: str
    ical_url_primary: str | None
    ical_url_overrides: str | None
    enable_web_overrides: bool
    slack_channel_id: str | None
    slack_user_group_id: str | None


SCHEDULE_FIELDS = field_names(ScheduleFields)
SLACK_FIELDS = ("slack_channel_id", "slack_user_group_id")


def save_schedule(
    schedule: Schedule,
    fields: ScheduleFields,
    shifts: Sequence[OnCallShift] | None,
    feeds: Mapping[str, FeedDownload] | None,
) -> Schedule:
    assign(schedule, fields, SCHEDULE_FIELDS)
    for name in SLACK_FIELDS:
        if name in fields:
            setattr(schedule, name, slack_id(schedule.organization, getattr(schedule, name)))
    schedule.save()
    # An atomic increment: two concurrent writers must not both produce the same version.
    bump_schedules([schedule.pk])
    if shifts is not None:
        attach_shifts(schedule, shifts)
    sync_cached_calendars(schedule, feeds or {}, timezone.now())
    return schedule


@transaction.atomic
def schedule_create(
    *,
    organization: Organization,
    schedule_type: str,
    shifts: Sequence[OnCallShift] | None = None,
    feeds: Mapping[str, FeedDownload] | None = None,
    **fields: Unpack[ScheduleFields],
) -> Schedule:
    """`feeds`: the feeds of the URLs being set, by URL, downloaded before the transaction
    (`schedules.feeds.feeds_by_url`); a URL without one is downloaded on its first read."""
    schedule = Schedule(organization=organization, type=schedule_type)
    return save_schedule(schedule, fields, shifts, feeds)


@transaction.atomic
def schedule_update(
    *,
    schedule: Schedule,
    shifts: Sequence[OnCallShift] | None = None,
    feeds: Mapping[str, FeedDownload] | None = None,
    **fields: Unpack[ScheduleFields],
) -> Schedule:
    """Change the fields given (the shifts when `shifts` is given), as upstream's partial PUT."""
    return save_schedule(schedule, fields, shifts, feeds)


@transaction.atomic
def schedule_delete(*, schedule: Schedule) -> None:
    # Owned (web) shifts go with the schedule; linked (calendar) shifts stay. Lock the owned
    # ones first, in the same order as `attach_shifts`, so that a concurrent transfer waits.
    lock_shifts(schedule.owned_shifts.values_list("pk", flat=True))
    schedule.delete()


def takes_web_overrides(schedule: Schedule) -> bool:
    """Whether overrides added as shifts count in the schedule: a web schedule's always, a
    calendar schedule's when its web overrides are on (docs/resolution.md)."""
    return schedule.type == ScheduleType.WEB or (
        schedule.type == ScheduleType.CALENDAR and schedule.enable_web_overrides
    )


@transaction.atomic
def schedule_override_add(
    *, schedule: Schedule, users: Sequence[User], start: datetime, end: datetime
) -> OnCallShift:
    """An override of `users` over `[start, end)` (aware instants) in `schedule`, made as an API
    client makes one: an override shift, created by the API's shift service with its times in
    UTC, then added to the schedule's shifts by the API's schedule update.

    The organization's writers take turns, as the API's do."""
    if not takes_web_overrides(schedule):
        raise ValueError(f"schedule {schedule.public_id} takes no overrides as shifts")
    organization_lock(organization=schedule.organization)
    current = schedule.owned_shifts if schedule.type == ScheduleType.WEB else schedule.linked_shifts
    shift = on_call_shift_create(
        organization=schedule.organization,
        users=users,
        type=ShiftType.OVERRIDE,
        source=Source.WEB,
        team=schedule.team,
        start=start.astimezone(UTC),
        duration=end - start,
    )
    schedule_update(schedule=schedule, shifts=[*current.order_by("id"), shift])
    return shift
