from django.contrib import admin

from oncall_events.models import (
    Delivery,
    OnCallLogEntry,
    ScheduleCursor,
    ScheduleWebhook,
    SlackConnection,
)


@admin.register(OnCallLogEntry)
class OnCallLogEntryAdmin(admin.ModelAdmin):
    """The log is written once and never changed (docs/oncall-events.md): read only."""

    list_display = ["schedule", "at", "reason", "user_ids", "recorded_at"]
    list_filter = ["reason"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ScheduleCursor)
class ScheduleCursorAdmin(admin.ModelAdmin):
    list_display = ["schedule", "settled_at", "next_check_at", "slack_error", "slack_error_at"]
    readonly_fields = [field.name for field in ScheduleCursor._meta.fields]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["public_id", "channel", "event_id", "state", "attempts", "next_attempt_at"]
    list_filter = ["channel", "state"]
    readonly_fields = [field.name for field in Delivery._meta.fields]


@admin.register(SlackConnection)
class SlackConnectionAdmin(admin.ModelAdmin):
    """The token is never shown (connect through the API to replace it)."""

    list_display = ["organization", "team_id", "team_name", "connected_at", "revoked_at"]
    exclude = ["encrypted_token"]
    readonly_fields = ["team_id", "team_name", "bot_user_id", "connected_at"]


@admin.register(ScheduleWebhook)
class ScheduleWebhookAdmin(admin.ModelAdmin):
    list_display = ["public_id", "organization", "url", "schedule", "created_at"]
    exclude = ["encrypted_secret"]
