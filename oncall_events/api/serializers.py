"""Bodies of the on-call log, the Slack connection and the webhooks (extensions: upstream has
none of them)."""

from datetime import UTC, datetime

from rest_framework import serializers

from integrations.webhooks import WebhookUrlRefused, check_webhook_url
from oncall_events.models import EventType
from schedules.models import Schedule

URL_MAX_LENGTH = 500
SECRET_MIN_LENGTH = 16


def utc(value: datetime | None) -> str | None:
    """`YYYY-MM-DDTHH:MM:SSZ`, as `final_shifts` writes its times."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


class LogUserSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    username = serializers.CharField()
    email = serializers.CharField()


class OnCallPeriodSerializer(serializers.Serializer):
    """A period of the on-call log: who was on call from `start` to `end` (null: still)."""

    start = serializers.SerializerMethodField()
    end = serializers.SerializerMethodField()
    reason = serializers.CharField()
    users = LogUserSerializer(many=True)

    def get_start(self, period) -> str:
        return utc(period.start)  # type: ignore[return-value]  # a period always starts

    def get_end(self, period) -> str | None:
        return utc(period.end)


class SlackConnectInput(serializers.Serializer):
    bot_token = serializers.CharField(max_length=500, write_only=True, trim_whitespace=True)


class ScheduleSlackError(serializers.Serializer):
    schedule_id = serializers.CharField(source="schedule.public_id")
    error = serializers.CharField(source="slack_error")
    at = serializers.SerializerMethodField()

    def get_at(self, cursor) -> str | None:
        return utc(cursor.slack_error_at)


class SlackConnectionSerializer(serializers.Serializer):
    """The connected workspace; the token is never shown."""

    team_id = serializers.CharField()
    team_name = serializers.CharField()
    bot_user_id = serializers.CharField()
    connected_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    rate_limited_until = serializers.DateTimeField(allow_null=True)
    last_error = serializers.CharField(allow_null=True)
    last_error_at = serializers.DateTimeField(allow_null=True)
    schedule_errors = serializers.SerializerMethodField()

    def get_schedule_errors(self, connection) -> list[dict]:
        """Schedules whose last Slack call failed for good (e.g. `channel_not_found`)."""
        return ScheduleSlackError(self.context["errors"], many=True).data  # type: ignore[return-value]


class WebhookInput(serializers.Serializer):
    url = serializers.URLField(max_length=URL_MAX_LENGTH)
    schedule_id = serializers.CharField(source="schedule", allow_null=True, required=False)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.values), allow_empty=False
    )
    secret = serializers.CharField(
        min_length=SECRET_MIN_LENGTH, max_length=200, required=False, write_only=True
    )

    def validate_url(self, value: str) -> str:
        # The address check resolves the host: the view runs it before the write's lock,
        # and the validation under the lock reuses its verdict.
        checked = self.context.setdefault("checked_urls", {})  # type: ignore[attr-defined]
        if value not in checked:
            try:
                check_webhook_url(value)
                checked[value] = None
            except WebhookUrlRefused as exc:
                checked[value] = str(exc)
        if checked[value] is not None:
            raise serializers.ValidationError(checked[value])
        return value

    def validate_schedule_id(self, value: str | None) -> Schedule | None:
        if value is None:
            return None
        schedule = Schedule.objects.filter(
            organization=self.context["organization"], public_id=value
        ).first()
        if schedule is None:
            raise serializers.ValidationError("Object does not exist")
        return schedule

    def validate_event_types(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class WebhookSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    url = serializers.CharField()
    schedule_id = serializers.SerializerMethodField()
    event_types = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()

    def get_schedule_id(self, webhook) -> str | None:
        return webhook.schedule.public_id if webhook.schedule else None


class CreatedWebhookSerializer(WebhookSerializer):
    """The creation answer: the only one that shows the secret."""

    secret = serializers.CharField()


class DeliverySerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    event_id = serializers.CharField()
    event_type = serializers.CharField()
    state = serializers.CharField()
    attempts = serializers.IntegerField()
    last_status_code = serializers.IntegerField(allow_null=True)
    last_error = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    next_attempt_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)
    payload = serializers.JSONField()
