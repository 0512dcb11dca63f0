"""Reads of on-call shifts."""

from django.db.models import Q, QuerySet

from shifts.models import OnCallShift
from users.models import Organization


def on_call_shift_list(*, organization: Organization) -> QuerySet[OnCallShift]:
    """Each shift once, in creation order (docs/differences.md#the-shift-list), with what its
    representation needs."""
    return (
        OnCallShift.objects.filter(organization=organization)
        .select_related("team", "schedule")
        .prefetch_related("users", "calendar_schedules")
        .order_by("id")
    )


def shifts_of_schedule_filter(schedule_public_id: str) -> Q:
    """Shifts linked to a calendar schedule or owned by a web schedule."""
    return Q(calendar_schedules__public_id=schedule_public_id) | Q(
        schedule__public_id=schedule_public_id
    )
