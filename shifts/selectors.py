"""Reads of on-call shifts."""

from django.db.models import Prefetch, Q, QuerySet

from shifts.models import OnCallShift
from users.models import Organization, User


def on_call_shift_list(*, organization: Organization) -> QuerySet[OnCallShift]:
    """Each shift once, in creation order (docs/differences.md#the-shift-list), with what its
    representation needs. Of its users and calendar schedules that is only their public ids:
    building whole users and schedules (a schedule's JSON fields decoded) took more than half of
    a page's time; any other field still loads when read. They come as lists
    (`listed_users`, `listed_calendar_schedules`), not as the managers' caches: Django builds a
    manager and a queryset for each shift to fill a cache, which cost more than the rows."""
    calendar_schedules = OnCallShift.calendar_schedules.rel.related_model
    return (
        OnCallShift.objects.filter(organization=organization)
        .select_related("team", "schedule")
        .prefetch_related(
            Prefetch(
                "users", queryset=User.objects.only("id", "public_id"), to_attr="listed_users"
            ),
            Prefetch(
                "calendar_schedules",
                queryset=calendar_schedules._default_manager.only("id", "public_id"),
                to_attr="listed_calendar_schedules",
            ),
        )
        .order_by("id")
    )


def shifts_of_schedule_filter(schedule_public_id: str) -> Q:
    """Shifts linked to a calendar schedule or owned by a web schedule."""
    return Q(calendar_schedules__public_id=schedule_public_id) | Q(
        schedule__public_id=schedule_public_id
    )
