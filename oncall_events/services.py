"""Writes of the Slack connection and the webhooks. Slack's `auth.test` and a webhook's test
delivery run outside any transaction, each with its deadline."""

import secrets
from datetime import datetime
from typing import TypedDict, Unpack

from django.db import transaction

from common.encryption import encrypted
from common.ids import new_public_id
from common.writes import assign, field_names
from integrations.slack import SlackIdentity, SlackWorkspace
from oncall_events.deliveries import DeliveryCounts, carry_out
from oncall_events.models import (
    TEST_EVENT,
    Channel,
    Delivery,
    ScheduleWebhook,
    SlackConnection,
)
from schedules.models import Schedule
from users.models import Organization

SECRET_BYTES = 32


def slack_identity(*, token: str) -> SlackIdentity:
    """Who the token speaks as; raises `SlackFailure` when Slack refuses it. Call it before
    the write: it talks to Slack."""
    return SlackWorkspace(token).identity()


@transaction.atomic
def slack_connect(
    *, organization: Organization, token: str, identity: SlackIdentity, now: datetime
) -> SlackConnection:
    """Store the token (encrypted) for the workspace `identity` names; a new token replaces the
    old one and clears what Slack said about it."""
    connection, _ = SlackConnection.objects.update_or_create(
        organization=organization,
        defaults={
            "team_id": identity.team_id,
            "team_name": identity.team_name,
            "bot_user_id": identity.bot_user_id,
            "encrypted_token": encrypted(token),
            "connected_at": now,
            "revoked_at": None,
            "rate_limited_until": None,
            "last_error": None,
            "last_error_at": None,
        },
    )
    # Slack ids are canonical upper case from now on (docs/differences.md).
    Organization.objects.filter(pk=organization.pk).update(slack_team_id=identity.team_id)
    return connection


@transaction.atomic
def slack_disconnect(*, organization: Organization) -> None:
    SlackConnection.objects.filter(organization=organization).delete()
    Organization.objects.filter(pk=organization.pk).update(slack_team_id=None)


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


class WebhookFields(TypedDict, total=False):
    """What a webhook write may set."""

    url: str
    schedule: Schedule | None
    event_types: list[str]


WEBHOOK_FIELDS = field_names(WebhookFields)


def webhook_create(
    *,
    organization: Organization,
    secret: str | None = None,
    **fields: Unpack[WebhookFields],
) -> tuple[ScheduleWebhook, str]:
    """A new webhook and its secret (generated unless given), which is shown only now."""
    secret = secret or new_secret()
    webhook = ScheduleWebhook(organization=organization, encrypted_secret=encrypted(secret))
    assign(webhook, fields, WEBHOOK_FIELDS)
    webhook.save()
    return webhook, secret


def webhook_update(
    *, webhook: ScheduleWebhook, secret: str | None = None, **fields: Unpack[WebhookFields]
) -> ScheduleWebhook:
    """Change the fields given; a new `secret` replaces the old one."""
    assign(webhook, fields, WEBHOOK_FIELDS)
    if secret:
        webhook.encrypted_secret = encrypted(secret)
    webhook.save()
    return webhook


def webhook_delete(*, webhook: ScheduleWebhook) -> None:
    webhook.delete()


def webhook_send_test(*, webhook: ScheduleWebhook, now: datetime) -> Delivery:
    """Deliver a `webhook.test` event now, once (no retries), and return how it went."""
    event_id = f"{TEST_EVENT}:{new_public_id('E')}"
    delivery = Delivery.objects.create(
        organization_id=webhook.organization_id,
        schedule=webhook.schedule,
        webhook=webhook,
        channel=Channel.WEBHOOK,
        event_id=event_id,
        event_type=TEST_EVENT,
        payload={
            "id": event_id,
            "type": TEST_EVENT,
            "created_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "data": {"webhook_id": webhook.public_id},
        },
        next_attempt_at=now,
        expires_at=now,
    )
    carry_out(delivery, now, DeliveryCounts())
    delivery.refresh_from_db()
    return delivery
