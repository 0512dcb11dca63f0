"""The admin of schedules and of the shifts and rotation layers they own.

Writes through the admin bump the versions of every schedule they touch, before and after the
change, exactly as the API's write services do: cached answers are keyed by those versions
(docs/performance.md), so without the bump an edit made here would stay invisible to cached reads.
Shifts and rotations are registered here, not in `shifts`, because bumping a schedule's version
belongs to this layer (docs/architecture.md#layers)."""

from collections.abc import Iterable

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from schedules.models import CachedCalendar, ExportToken, Schedule, ScheduleMember
from schedules.versions import bump_schedules, schedule_ids_using_shifts
from shifts.models import OnCallShift, RestrictionWindow, Rotation, RotationMember


class SchedulesVersionedAdmin(admin.ModelAdmin):
    """An admin whose writes bump the versions of the schedules its objects belong to, as
    stored (before an edit is saved, or after)."""

    schedule_field = "schedule_id"

    def schedule_ids(self, objects: Iterable[Model]) -> set[int]:
        stored = self.model._default_manager.filter(pk__in=[obj.pk for obj in objects])
        return set(stored.values_list(self.schedule_field, flat=True))

    def save_model(self, request: HttpRequest, obj: Model, form, change: bool) -> None:
        # The schedules the object belongs to before the edit, too: a shift moved to another
        # schedule changes the answers of both. Both bumps commit with the edit.
        if change:
            bump_schedules(self.schedule_ids([obj]))
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        bump_schedules(self.schedule_ids([form.instance]))

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        self.delete_queryset(request, self.get_queryset(request).filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        touched = self.schedule_ids(queryset)
        super().delete_queryset(request, queryset)
        bump_schedules(touched)


class ScheduleMemberInline(admin.TabularInline):
    """A Signal schedule's members."""

    model = ScheduleMember
    extra = 0


@admin.register(Schedule)
class ScheduleAdmin(SchedulesVersionedAdmin):
    list_display = ["name", "type", "public_id", "organization", "time_zone", "team"]
    list_filter = ["organization", "type"]
    search_fields = ["name"]
    filter_horizontal = ["linked_shifts"]
    inlines = [ScheduleMemberInline]
    schedule_field = "pk"


@admin.register(OnCallShift)
class OnCallShiftAdmin(SchedulesVersionedAdmin):
    list_display = ["name", "type", "public_id", "organization", "start", "duration", "schedule"]
    list_filter = ["organization", "type", "source"]
    search_fields = ["name"]
    filter_horizontal = ["users"]

    def schedule_ids(self, objects: Iterable[Model]) -> set[int]:
        return set(schedule_ids_using_shifts(shift.pk for shift in objects))


class RotationMemberInline(admin.TabularInline):
    model = RotationMember
    extra = 0
    readonly_fields = ["public_id"]


class RestrictionWindowInline(admin.TabularInline):
    model = RestrictionWindow
    extra = 0
    readonly_fields = ["public_id"]


@admin.register(Rotation)
class RotationAdmin(SchedulesVersionedAdmin):
    """Rotation layers of the Signal and Instatus APIs' schedules, with members and windows."""

    list_display = ["name", "public_id", "schedule", "kind", "length", "unit", "start", "end"]
    list_filter = ["kind", "unit", "restriction"]
    inlines = [RotationMemberInline, RestrictionWindowInline]


@admin.register(CachedCalendar)
class CachedCalendarAdmin(SchedulesVersionedAdmin):
    list_display = ["schedule", "kind", "url", "fetched_at", "last_error", "last_error_at"]
    readonly_fields = ["text", "fetched_at", "etag", "last_modified", "last_error", "last_error_at"]


@admin.register(ExportToken)
class ExportTokenAdmin(admin.ModelAdmin):
    """Export tokens can be revoked here; their values are never stored."""

    list_display = ["prefix", "schedule", "user", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at"]
