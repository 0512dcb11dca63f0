"""Reads of the on-call log, the webhooks and their deliveries.

The on-call log is what a report of the past reads: who was actually on call, as recorded when
it happened, whatever the schedule says now (docs/oncall-events.md#the-on-call-log)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Min, QuerySet

from oncall_events.models import Delivery, OnCallLogEntry, ScheduleCursor, ScheduleWebhook
from schedules.models import Schedule
from users.models import Organization, User


@dataclass(frozen=True, slots=True)
class OnCallPeriod:
    """`users` were on call from `start` to `end` (None: still on call), since `reason`."""

    start: datetime
    end: datetime | None
    users: list[User]
    reason: str


def oncall_log_entries(schedule: Schedule, start: datetime, end: datetime) -> QuerySet:
    """The entries whose periods meet `[start, end)`: the last one at or before `start` and
    every one after it that begins before `end`, in time order."""
    entries = OnCallLogEntry.objects.filter(schedule=schedule).order_by("at")
    opening = entries.filter(at__lte=start).order_by("-at").values_list("at", flat=True).first()
    return entries.filter(at__gte=opening or start, at__lt=end)


def periods_of(schedule: Schedule, entries: Sequence[OnCallLogEntry]) -> list[OnCallPeriod]:
    """The periods of consecutive `entries` (each ends where the next begins; the last one
    where the entry after it, if any, begins)."""
    if not entries:
        return []
    following = (
        OnCallLogEntry.objects.filter(schedule=schedule, at__gt=entries[-1].at)
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )
    ends = [entry.at for entry in entries[1:]] + [following]
    ids = {user_id for entry in entries for user_id in entry.user_ids}
    users = {
        user.public_id: user
        for user in User.objects.filter(organization_id=schedule.organization_id, public_id__in=ids)
    }
    return [
        OnCallPeriod(
            start=entry.at,
            end=end,
            users=[users[user_id] for user_id in entry.user_ids if user_id in users],
            reason=entry.reason,
        )
        for entry, end in zip(entries, ends, strict=True)
    ]


def oncall_periods(schedule: Schedule, start: datetime, end: datetime) -> list[OnCallPeriod]:
    """Every recorded period that meets `[start, end)`, not clipped to it."""
    return periods_of(schedule, list(oncall_log_entries(schedule, start, end)))


@dataclass(frozen=True, slots=True)
class LogReach:
    """A schedule's log says who was on call from `start` (its first entry) until `end` (the
    instant it is settled to: docs/oncall-events.md#exactly-once)."""

    start: datetime
    end: datetime


def oncall_log_reach(schedules: Sequence[Schedule]) -> dict[int, LogReach]:
    """How far back and forth the log of each of `schedules` reaches, by pk; a schedule whose
    log has not begun is left out."""
    pks = [schedule.pk for schedule in schedules]
    firsts = dict(
        OnCallLogEntry.objects.filter(schedule__in=pks)
        .order_by()
        .values("schedule")
        .annotate(first=Min("at"))
        .values_list("schedule", "first")
    )
    settled = ScheduleCursor.objects.filter(schedule__in=pks).values_list("schedule", "settled_at")
    return {pk: LogReach(firsts[pk], end) for pk, end in settled if pk in firsts}


def webhook_list(*, organization: Organization) -> QuerySet[ScheduleWebhook]:
    return ScheduleWebhook.objects.filter(organization=organization).select_related("schedule")


def delivery_list(*, webhook: ScheduleWebhook) -> QuerySet[Delivery]:
    return Delivery.objects.filter(webhook=webhook).order_by("-id")


def slack_errors(*, organization: Organization) -> QuerySet[ScheduleCursor]:
    """The schedules whose last Slack call failed for good, with the error."""
    return (
        ScheduleCursor.objects.filter(
            schedule__organization=organization, slack_error__isnull=False
        )
        .select_related("schedule")
        .order_by("schedule_id")
    )
