from django.contrib import admin

from schedules.models import Schedule


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "public_id", "organization", "time_zone", "team"]
    list_filter = ["organization", "type"]
    search_fields = ["name"]
    filter_horizontal = ["linked_shifts"]
