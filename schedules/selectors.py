"""Reads of schedules, and the one path to "who is on call"."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet

from schedules.models import Schedule
from users.models import Organization


def schedule_list(*, organization: Organization) -> QuerySet[Schedule]:
    return (
        Schedule.objects.filter(organization=organization)
        .select_related("team", "organization")
        .prefetch_related("linked_shifts", "owned_shifts")
        .order_by("id")
    )


def on_call_now_by_schedule(schedules: Iterable[Schedule], now: datetime) -> dict[int, list[str]]:
    """User ids on call at `now`, per schedule pk (filled by the resolution engine)."""
    return {schedule.pk: [] for schedule in schedules}
