"""Carrying out the outbox: Slack calls and webhook deliveries, each claimed by one worker,
made outside any transaction with a wall-clock deadline, and retried with backoff until it
succeeds or expires (docs/oncall-events.md#deliveries)."""

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q

from common.encryption import InvalidToken, decrypted
from integrations import slack, webhooks
from oncall_events.models import (
    Channel,
    Delivery,
    DeliveryState,
    ScheduleCursor,
    SlackConnection,
)

logger = logging.getLogger(__name__)

FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
# How many due deliveries one run takes on (the next run takes the rest).
BATCH = 200


def lease() -> timedelta:
    """Long enough for one attempt: no other worker takes a delivery while one carries it out."""
    return timedelta(seconds=max(settings.HTTP_TIMEOUT, settings.SLACK_TIMEOUT) + 60)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … doubling up to an hour between attempts."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


@dataclass(slots=True)
class DeliveryCounts:
    delivered: int = 0
    failed: int = 0
    postponed: int = 0


def deliver_due(now: datetime) -> DeliveryCounts:
    """Carry out every due delivery this run can claim; one's failure never stops the others."""
    counts = DeliveryCounts()
    due = Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
    for delivery in due.select_related("webhook").order_by("id")[:BATCH]:
        try:
            carry_out(delivery, now, counts)
        except Exception:
            logger.exception("delivery %s", delivery.public_id)
            finish(delivery, now, error="internal error", retry=True)
            counts.failed += 1
    return counts


def claim(delivery: Delivery, now: datetime) -> bool:
    """Take the delivery for this worker, unless another took it (one UPDATE: atomic)."""
    claimed = (
        Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.PENDING)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
        .update(lease_until=now + lease(), attempts=F("attempts") + 1)
    )
    delivery.attempts += 1
    return claimed == 1


def finish(
    delivery: Delivery,
    now: datetime,
    *,
    error: str | None = None,
    retry: bool = False,
    retry_at: datetime | None = None,
    status_code: int | None = None,
    state: str | None = None,
) -> None:
    """Record how the attempt went: delivered, to be tried again, or given up."""
    fields: dict = {"lease_until": None, "last_error": error, "last_status_code": status_code}
    if error is None:
        fields |= {"state": state or DeliveryState.DELIVERED, "delivered_at": now}
    elif retry:
        next_attempt = retry_at or now + backoff(delivery.attempts)
        if next_attempt > delivery.expires_at:
            fields["state"] = DeliveryState.FAILED
        else:
            fields["next_attempt_at"] = next_attempt
    else:
        fields["state"] = state or DeliveryState.FAILED
    Delivery.objects.filter(pk=delivery.pk).update(**fields)


def postpone(delivery: Delivery, until: datetime) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=until)


def carry_out(delivery: Delivery, now: datetime, counts: DeliveryCounts) -> None:
    if delivery.channel == Channel.WEBHOOK:
        if claim(delivery, now):
            send_webhook(delivery, now, counts)
        return
    connection = SlackConnection.objects.filter(organization_id=delivery.organization_id).first()
    if connection is None or connection.revoked_at is not None:
        why = "Slack is not connected" if connection is None else "the Slack token was revoked"
        finish(delivery, now, error=why)
        counts.failed += 1
        return
    if connection.rate_limited_until and connection.rate_limited_until > now:
        postpone(delivery, connection.rate_limited_until)
        counts.postponed += 1
        return
    if waits_for_earlier(delivery):
        counts.postponed += 1
        return
    if delivery.channel == Channel.SLACK_USER_GROUP and superseded(delivery):
        finish(delivery, now, state=DeliveryState.SUPERSEDED)
        return
    if claim(delivery, now):
        call_slack(delivery, connection, now, counts)


def waits_for_earlier(delivery: Delivery) -> bool:
    """Posts of a schedule go out in the order of their changes."""
    return (
        delivery.channel == Channel.SLACK_POST
        and Delivery.objects.filter(
            schedule_id=delivery.schedule_id,  # type: ignore[misc]  # never None here
            channel=Channel.SLACK_POST,
            state=DeliveryState.PENDING,
            pk__lt=delivery.pk,
        ).exists()
    )


def superseded(delivery: Delivery) -> bool:
    """Only the latest set of a schedule's user group matters."""
    return Delivery.objects.filter(
        schedule_id=delivery.schedule_id,  # type: ignore[misc]
        channel=Channel.SLACK_USER_GROUP,
        pk__gt=delivery.pk,
    ).exists()


def send_webhook(delivery: Delivery, now: datetime, counts: DeliveryCounts) -> None:
    webhook = delivery.webhook
    assert webhook is not None
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    try:
        status = webhooks.deliver(
            webhook.url,
            secret=decrypted(webhook.encrypted_secret),
            event_type=delivery.event_type,
            delivery_id=delivery.public_id,
            body=body,
            timestamp=int(now.timestamp()),
        )
    except webhooks.DeliveryFailed as exc:
        finish(delivery, now, error=str(exc), retry=True)
        counts.failed += 1
        return
    except InvalidToken:
        finish(delivery, now, error="the webhook's secret cannot be read: set it again")
        counts.failed += 1
        return
    finish(delivery, now, status_code=status)
    counts.delivered += 1


def call_slack(
    delivery: Delivery, connection: SlackConnection, now: datetime, counts: DeliveryCounts
) -> None:
    cursor = ScheduleCursor.objects.filter(
        schedule_id=delivery.schedule_id,  # type: ignore[misc]
    ).first()
    try:
        workspace = slack.SlackWorkspace(decrypted(connection.encrypted_token))
        if delivery.channel == Channel.SLACK_USER_GROUP:
            members = delivery.payload["slack_user_ids"]
            workspace.set_user_group(
                delivery.payload["user_group_id"],
                members,
                enable=bool(cursor and cursor.slack_user_group_disabled),
            )
            if cursor is not None:
                ScheduleCursor.objects.filter(pk=cursor.pk).update(
                    slack_user_group_disabled=not members
                )
        else:
            workspace.post_message(delivery.payload["channel_id"], delivery.payload["text"])
    except InvalidToken:
        revoke(connection, now, "the stored token cannot be read: connect Slack again")
        finish(delivery, now, error="the Slack token cannot be read")
        counts.failed += 1
        return
    except slack.SlackFailure as failure:
        slack_failed(delivery, connection, cursor, failure, now)
        counts.failed += 1
        return
    finish(delivery, now)
    counts.delivered += 1


def slack_failed(
    delivery: Delivery,
    connection: SlackConnection,
    cursor: ScheduleCursor | None,
    failure: slack.SlackFailure,
    now: datetime,
) -> None:
    """Rate limits wait as long as Slack asks, for the whole workspace; a dead token stops the
    workspace; a final error is recorded on the schedule; anything else is tried again."""
    error = f"Slack: {failure.code}"
    if failure.outcome is slack.Outcome.REVOKED:
        revoke(connection, now, error)
        finish(delivery, now, error=error)
        return
    if failure.retry_after is not None:
        until = now + timedelta(seconds=failure.retry_after)
        SlackConnection.objects.filter(pk=connection.pk).update(rate_limited_until=until)
        finish(delivery, now, error=error, retry=True, retry_at=until)
        return
    if cursor is not None:
        ScheduleCursor.objects.filter(pk=cursor.pk).update(slack_error=error, slack_error_at=now)
    finish(delivery, now, error=error, retry=failure.outcome is slack.Outcome.RETRY)


def revoke(connection: SlackConnection, now: datetime, error: str) -> None:
    SlackConnection.objects.filter(pk=connection.pk).update(
        revoked_at=now, last_error=error, last_error_at=now
    )
