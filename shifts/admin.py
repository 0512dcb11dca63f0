from django.contrib import admin

from shifts.models import OnCallShift


@admin.register(OnCallShift)
class OnCallShiftAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "public_id", "organization", "start", "duration", "schedule"]
    list_filter = ["organization", "type", "source"]
    search_fields = ["name"]
    filter_horizontal = ["users"]
