"""The on-call log and what acts on its changes: each schedule's cursor, the log's entries, the
outbox of Slack calls and webhook deliveries, the Slack connection and the webhooks
(docs/oncall-events.md)."""

from django.db import models

from common.ids import PublicIdField


class LogReason(models.TextChoices):
    """Why the users on call changed (docs/oncall-events.md#reasons)."""

    START = "start"  # the log of the schedule began
    ROTATION = "rotation"  # a turn of a rotation or an event of the primary calendar
    OVERRIDE = "override"  # an override began or ended
    SWAP = "swap"  # a shift swap began or ended
    EDIT = "edit"  # the schedule, its shifts, its feeds or its users were changed


class OnCallLogEntry(models.Model):
    """From `at` on, the users `user_ids` (public ids, creation order) were on call, until the
    schedule's next entry. Entries are written once and never changed."""

    public_id = PublicIdField(prefix="L")
    schedule = models.ForeignKey(
        "schedules.Schedule", on_delete=models.CASCADE, related_name="oncall_log"
    )
    at = models.DateTimeField()
    user_ids = models.JSONField(default=list)
    reason = models.CharField(max_length=10, choices=LogReason.choices)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["schedule", "at"]
        constraints = [
            # What makes recording idempotent: a change is recorded once, whoever records it.
            models.UniqueConstraint(fields=["schedule", "at"], name="one_log_entry_per_instant")
        ]

    def __str__(self) -> str:
        return f"{self.schedule_id} {self.at.isoformat()} {self.reason}: {self.user_ids}"


class ScheduleCursor(models.Model):
    """How far the log of a schedule is settled, and what the detector needs to go on from
    there (docs/oncall-events.md#exactly-once)."""

    schedule = models.OneToOneField(
        "schedules.Schedule", on_delete=models.CASCADE, related_name="oncall_cursor"
    )
    # The log holds every change up to this instant, and `user_ids` are on call at it.
    settled_at = models.DateTimeField()
    user_ids = models.JSONField(default=list)
    # The versions of the schedule and of its organization's users the log was settled with.
    version = models.PositiveBigIntegerField()
    users_version = models.PositiveBigIntegerField()
    # The changes those versions foretold after `settled_at`, up to `foretold_until`, as
    # [instant, user ids, cause]: what happened before an edit that the detector learns of late.
    foretold = models.JSONField(default=list)
    foretold_until = models.DateTimeField()
    # When the detector must look again: the next change, the next gap check, or the horizon.
    next_check_at = models.DateTimeField(db_index=True)
    # Bumped by every settling: two detectors racing on one schedule, one of them loses.
    revision = models.PositiveBigIntegerField(default=0)
    gaps_checked_on = models.DateField(null=True, blank=True)
    # Slack: the user group last filled (a new one is filled at once) and whether we disabled
    # it (Slack's way to empty a group), and the last error a call about the schedule met.
    slack_user_group_id = models.CharField(max_length=50, null=True, blank=True)
    slack_user_group_disabled = models.BooleanField(default=False)
    slack_error = models.TextField(null=True, blank=True)
    slack_error_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"cursor of {self.schedule_id} at {self.settled_at.isoformat()}"


class Channel(models.TextChoices):
    SLACK_USER_GROUP = "slack_user_group"
    SLACK_POST = "slack_post"
    WEBHOOK = "webhook"


class DeliveryState(models.TextChoices):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"  # given up: a final error, or retried until it expired
    SUPERSEDED = "superseded"  # a later user group update made it moot


class Delivery(models.Model):
    """One side effect to carry out after its change was recorded: a Slack call or a webhook
    delivery. Written in the same transaction as the change, carried out after it, retried
    until it succeeds or expires (docs/oncall-events.md#deliveries)."""

    public_id = PublicIdField(prefix="D")
    organization = models.ForeignKey(
        "users.Organization", on_delete=models.CASCADE, related_name="deliveries"
    )
    schedule = models.ForeignKey(
        "schedules.Schedule",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    webhook = models.ForeignKey(
        "ScheduleWebhook",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    # The event this carries out ("oncall.changed:<log entry id>", "schedule.gaps:…").
    event_id = models.CharField(max_length=100)
    event_type = models.CharField(max_length=30)
    payload = models.JSONField(default=dict)
    state = models.CharField(
        max_length=12, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # Set while a worker carries it out: no other worker takes it before this instant.
    lease_until = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]
        constraints = [
            # An event is carried out once per webhook and once per Slack channel.
            models.UniqueConstraint(
                fields=["event_id", "webhook"],
                condition=models.Q(webhook__isnull=False),
                name="one_delivery_per_webhook_event",
            ),
            models.UniqueConstraint(
                fields=["event_id", "channel"],
                condition=models.Q(webhook__isnull=True),
                name="one_slack_call_per_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.event_id} ({self.state})"


class SlackConnection(models.Model):
    """An organization's Slack workspace: its bot token, encrypted (common/encryption.py), and
    what Slack said last."""

    organization = models.OneToOneField(
        "users.Organization", on_delete=models.CASCADE, related_name="slack_connection"
    )
    team_id = models.CharField(max_length=50)
    team_name = models.CharField(max_length=200, blank=True, default="")
    bot_user_id = models.CharField(max_length=50, blank=True, default="")
    encrypted_token = models.TextField()
    connected_at = models.DateTimeField()
    # Slack said the token is dead: nothing is sent until the workspace is connected again.
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Slack asked us to wait: no call for this workspace before then.
    rate_limited_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(null=True, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Slack {self.team_id} for {self.organization_id}"


class EventType(models.TextChoices):
    ONCALL_CHANGED = "oncall.changed"
    SCHEDULE_GAPS = "schedule.gaps"


# Sent by the test route only; webhooks do not subscribe to it.
TEST_EVENT = "webhook.test"


class ScheduleWebhook(models.Model):
    """A URL that receives signed JSON events about one schedule or all of them."""

    public_id = PublicIdField(prefix="W")
    organization = models.ForeignKey(
        "users.Organization", on_delete=models.CASCADE, related_name="schedule_webhooks"
    )
    url = models.CharField(max_length=500)
    # None: every schedule of the organization.
    schedule = models.ForeignKey(
        "schedules.Schedule",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhooks",
    )
    event_types = models.JSONField(default=list)
    encrypted_secret = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.url} ({', '.join(self.event_types)})"
