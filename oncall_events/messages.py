"""What each recorded change or gap check calls for: the webhook events and Slack calls, with
their bodies built when the change is recorded (docs/oncall-events.md#what-acts-on-a-change)."""

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from django.conf import settings
from django.db.models import Q

from oncall_events.models import (
    Channel,
    Delivery,
    EventType,
    LogReason,
    OnCallLogEntry,
    ScheduleCursor,
    ScheduleWebhook,
    SlackConnection,
)
from schedules.models import Schedule
from shifts import engine
from users.models import Organization, User

if TYPE_CHECKING:
    from oncall_events.detection import Plan

# Gaps and empty shifts listed in one Slack warning; the webhook event carries them all.
LISTED_IN_SLACK = 10


class Upcoming(NamedTuple):
    """The change after a log entry: from `at` on, `users` are on call."""

    at: datetime
    users: tuple[str, ...]


def instant(value: datetime) -> str:
    """UTC, as `final_shifts` writes its times."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def user_body(user_id: str, users: dict[str, User]) -> dict:
    user = users.get(user_id)
    if user is None:
        return {"id": user_id, "username": None, "email": None}
    return {"id": user.public_id, "username": user.username, "email": user.email}


def users_by_id(organization: Organization, ids: Iterable[str]) -> dict[str, User]:
    return {
        user.public_id: user
        for user in User.objects.filter(organization=organization, public_id__in=set(ids))
    }


def subscribed_webhooks(schedule: Schedule, event_type: str) -> list[ScheduleWebhook]:
    webhooks = ScheduleWebhook.objects.filter(organization_id=schedule.organization_id).filter(
        Q(schedule__isnull=True) | Q(schedule=schedule)
    )
    return [webhook for webhook in webhooks if event_type in webhook.event_types]


def slack_connected(organization: Organization) -> bool:
    return SlackConnection.objects.filter(
        organization=organization, revoked_at__isnull=True
    ).exists()


def new_delivery(
    schedule: Schedule,
    channel: str,
    event_id: str,
    event_type: str,
    payload: dict,
    now: datetime,
    webhook: ScheduleWebhook | None = None,
) -> Delivery:
    return Delivery(
        organization_id=schedule.organization_id,
        schedule=schedule,
        webhook=webhook,
        channel=channel,
        event_id=event_id,
        event_type=event_type,
        payload=payload,
        next_attempt_at=now,
        expires_at=now + timedelta(hours=settings.DELIVERY_RETRY_HOURS),
    )


def webhook_deliveries(
    schedule: Schedule, event_type: str, event_id: str, data: dict, now: datetime
) -> list[Delivery]:
    body = {"id": event_id, "type": event_type, "created_at": instant(now), "data": data}
    return [
        new_delivery(schedule, Channel.WEBHOOK, event_id, event_type, body, now, webhook)
        for webhook in subscribed_webhooks(schedule, event_type)
    ]


def schedule_body(schedule: Schedule) -> dict:
    return {"id": schedule.public_id, "name": schedule.name}


def deliveries_for(
    schedule: Schedule,
    cursor: ScheduleCursor | None,
    entries: Sequence[OnCallLogEntry],
    plan: "Plan",
    now: datetime,
) -> list[Delivery]:
    """The webhook events and Slack calls the plan's entries and gap check call for."""
    following = [Upcoming(entry.at, tuple(entry.user_ids)) for entry in entries[1:]]
    if plan.foretold:
        following.append(Upcoming(plan.foretold[0].at, plan.foretold[0].users))
    mentioned = {user_id for entry in entries for user_id in entry.user_ids}
    mentioned |= {user_id for change in following for user_id in change.users}
    mentioned |= set(cursor.user_ids if cursor else ())
    users = users_by_id(schedule.organization, mentioned)
    slack = slack_connected(schedule.organization)
    deliveries = []
    previous = tuple(cursor.user_ids) if cursor else ()
    for index, entry in enumerate(entries):
        upcoming = following[index] if index < len(following) else None
        event_id = f"{EventType.ONCALL_CHANGED}:{entry.public_id}"
        data = changed_data(schedule, entry, previous, upcoming, users)
        deliveries += webhook_deliveries(schedule, EventType.ONCALL_CHANGED, event_id, data, now)
        if slack and schedule.slack_channel_id and entry.reason != LogReason.START:
            text = handoff_text(schedule, entry, upcoming, users)
            payload: dict[str, object] = {"channel_id": schedule.slack_channel_id, "text": text}
            deliveries.append(
                new_delivery(schedule, Channel.SLACK_POST, event_id, "handoff", payload, now)
            )
        previous = tuple(entry.user_ids)
    group_id = schedule.slack_user_group_id
    group_moved = group_id != (cursor.slack_user_group_id if cursor else None)
    if slack and group_id and (entries or group_moved):
        event_id = (
            f"{EventType.ONCALL_CHANGED}:{entries[-1].public_id}"
            if entries
            else f"user_group:{schedule.public_id}:{group_id}:{instant(now)}"
        )
        slack_ids = [
            users[user_id].slack_user_id
            for user_id in plan.user_ids
            if user_id in users and users[user_id].slack_user_id
        ]
        payload = {"user_group_id": group_id, "slack_user_ids": slack_ids}
        deliveries.append(
            new_delivery(schedule, Channel.SLACK_USER_GROUP, event_id, "user_group", payload, now)
        )
    if plan.gap_problems:
        deliveries += gap_deliveries(schedule, plan.gap_problems, slack, now)
    return deliveries


def changed_data(
    schedule: Schedule,
    entry: OnCallLogEntry,
    previous: tuple[str, ...],
    upcoming: Upcoming | None,
    users: dict[str, User],
) -> dict:
    return {
        "schedule": schedule_body(schedule),
        "at": instant(entry.at),
        "reason": entry.reason,
        "users": [user_body(user_id, users) for user_id in entry.user_ids],
        "previous_users": [user_body(user_id, users) for user_id in previous],
        "next": None
        if upcoming is None
        else {
            "at": instant(upcoming.at),
            "users": [user_body(user_id, users) for user_id in upcoming.users],
        },
    }


def slack_time(value: datetime) -> str:
    """A time each reader sees in their own zone, with a UTC fallback."""
    fallback = value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(value.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def slack_names(user_ids: Sequence[str], users: dict[str, User]) -> str:
    names = []
    for user_id in user_ids:
        user = users.get(user_id)
        if user is None:
            continue
        names.append(f"<@{user.slack_user_id}>" if user.slack_user_id else user.username)
    return ", ".join(names) or "nobody"


def handoff_text(
    schedule: Schedule,
    entry: OnCallLogEntry,
    upcoming: Upcoming | None,
    users: dict[str, User],
) -> str:
    lines = [
        f"*{schedule.name}*: on call since {slack_time(entry.at)}: "
        f"{slack_names(entry.user_ids, users)} ({entry.reason})"
    ]
    if upcoming is not None:
        lines.append(f"Next, from {slack_time(upcoming.at)}: {slack_names(upcoming.users, users)}")
    return "\n".join(lines)


def gap_deliveries(
    schedule: Schedule, problems: engine.CoverageProblems, slack: bool, now: datetime
) -> list[Delivery]:
    event_id = f"{EventType.SCHEDULE_GAPS}:{schedule.public_id}:{now.date().isoformat()}"
    data = {
        "schedule": schedule_body(schedule),
        "window": {"start": instant(now), "end": instant(now + timedelta(days=7))},
        "gaps": [{"start": instant(start), "end": instant(end)} for start, end in problems.gaps],
        "empty_shifts": [
            {"start": instant(event.start), "end": instant(event.end), "shift_id": event.shift_id}
            for event in problems.empty
        ],
    }
    deliveries = webhook_deliveries(schedule, EventType.SCHEDULE_GAPS, event_id, data, now)
    if slack and schedule.slack_channel_id:
        payload = {"channel_id": schedule.slack_channel_id, "text": gaps_text(schedule, problems)}
        deliveries.append(
            new_delivery(schedule, Channel.SLACK_POST, event_id, "gaps", payload, now)
        )
    return deliveries


def gaps_text(schedule: Schedule, problems: engine.CoverageProblems) -> str:
    lines = [f":warning: *{schedule.name}* has trouble in the next 7 days:"]
    items = [
        f"• nobody on call from {slack_time(start)} to {slack_time(end)}"
        for start, end in problems.gaps
    ]
    items += [
        f"• a shift nobody can take, from {slack_time(event.start)} to {slack_time(event.end)}"
        for event in problems.empty
    ]
    lines += items[:LISTED_IN_SLACK]
    if len(items) > LISTED_IN_SLACK:
        lines.append(f"… and {len(items) - LISTED_IN_SLACK} more")
    return "\n".join(lines)
