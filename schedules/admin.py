from django.contrib import admin

from schedules.models import CachedCalendar, ExportToken, Schedule, ScheduleMember


class ScheduleMemberInline(admin.TabularInline):
    """A Signal schedule's members."""

    model = ScheduleMember
    extra = 0


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "public_id", "organization", "time_zone", "team"]
    list_filter = ["organization", "type"]
    search_fields = ["name"]
    filter_horizontal = ["linked_shifts"]
    inlines = [ScheduleMemberInline]


@admin.register(CachedCalendar)
class CachedCalendarAdmin(admin.ModelAdmin):
    list_display = ["schedule", "kind", "url", "fetched_at", "last_error", "last_error_at"]
    readonly_fields = ["text", "fetched_at", "etag", "last_modified", "last_error", "last_error_at"]


@admin.register(ExportToken)
class ExportTokenAdmin(admin.ModelAdmin):
    """Export tokens can be revoked here; their values are never stored."""

    list_display = ["prefix", "schedule", "user", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at"]
