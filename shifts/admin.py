from django.contrib import admin

from shifts.models import OnCallShift, RestrictionWindow, Rotation, RotationMember


@admin.register(OnCallShift)
class OnCallShiftAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "public_id", "organization", "start", "duration", "schedule"]
    list_filter = ["organization", "type", "source"]
    search_fields = ["name"]
    filter_horizontal = ["users"]


class RotationMemberInline(admin.TabularInline):
    model = RotationMember
    extra = 0
    readonly_fields = ["public_id"]


class RestrictionWindowInline(admin.TabularInline):
    model = RestrictionWindow
    extra = 0
    readonly_fields = ["public_id"]


@admin.register(Rotation)
class RotationAdmin(admin.ModelAdmin):
    """Rotation layers of the Signal and Instatus APIs' schedules, with members and windows."""

    list_display = ["name", "public_id", "schedule", "kind", "length", "unit", "start", "end"]
    list_filter = ["kind", "unit", "restriction"]
    inlines = [RotationMemberInline, RestrictionWindowInline]
