"""Schedule versions, which cache keys include: a write bumps them, so no cached answer is stale
(the organization's `users_version` is bumped by `users.versions`).

Bumps run inside the writer's transaction (services are atomic); a reader reads the versions
(with the schedule row) before it reads anything else, so what it caches is never older than
its key.
"""

from collections.abc import Iterable

from django.db.models import F, Q
from django.utils import timezone

from schedules.models import Schedule


def bump_schedules(schedule_ids: Iterable[int]) -> None:
    ids = list(schedule_ids)
    if ids:
        Schedule.objects.filter(pk__in=ids).update(
            version=F("version") + 1, changed_at=timezone.now()
        )


def schedule_ids_using_shifts(shift_ids: Iterable[int]) -> list[int]:
    """Calendar schedules linking, and web schedules owning, any of the shifts."""
    ids = list(shift_ids)
    return list(
        Schedule.objects.filter(Q(linked_shifts__in=ids) | Q(owned_shifts__in=ids))
        .values_list("pk", flat=True)
        .distinct()
    )


def bump_schedules_using_shifts(shift_ids: Iterable[int]) -> None:
    bump_schedules(schedule_ids_using_shifts(shift_ids))
