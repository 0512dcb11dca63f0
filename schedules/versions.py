"""Schedule versions, which cache keys include: a write bumps them, so no cached answer is stale
(the organization's `users_version` is bumped by `users.versions`).

Bumps run inside the writer's transaction (services are atomic); a reader reads the versions
(with the schedule row) before it reads anything else, so what it caches is never older than
its key.

Open swaps change a schedule's answers without a write when their start passes: the schedule
row also keeps the starts of its open swaps still ahead, and answer keys count how many of them
have passed at the reader's "now" (docs/performance.md#answers-that-change-with-time).
"""

from bisect import bisect_left
from collections.abc import Iterable
from datetime import UTC, datetime

from django.db.models import F, Q
from django.utils import timezone

from schedules.models import Schedule, ShiftSwap


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


class TooManyOpenSwaps(Exception):
    """A schedule would wait on more open swaps than its row keeps the starts of."""


# Every open swap still ahead is part of the schedule row, read by every answer about it.
MAX_OPEN_SWAPS = 500


def instant_text(instant: datetime) -> str:
    """An instant as text whose order is time order: UTC, always with microseconds."""
    return instant.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def bump_schedules_after_swap_write(schedule_ids: Iterable[int], now: datetime) -> None:
    """Bump the schedules' versions and keep the starts of their open swaps still ahead at
    `now` (an open swap whose start has passed changes nothing any more, for good)."""
    for pk in sorted(set(schedule_ids)):
        starts = [
            instant_text(start)
            for start in ShiftSwap.objects.filter(
                schedule_id=pk,
                deleted_at__isnull=True,
                benefactor__isnull=True,
                swap_start__gte=now,
            )
            .order_by("swap_start")
            .values_list("swap_start", flat=True)[: MAX_OPEN_SWAPS + 1]
        ]
        if len(starts) > MAX_OPEN_SWAPS:
            raise TooManyOpenSwaps
        Schedule.objects.filter(pk=pk).update(
            version=F("version") + 1, changed_at=now, open_swap_starts=starts
        )


def open_swaps_started(schedule: Schedule, now: datetime) -> int:
    """How many of the schedule's kept open swap starts have passed at `now`: with its version,
    what its answers at `now` depend on."""
    if not schedule.open_swap_starts:
        return 0
    return bisect_left(schedule.open_swap_starts, instant_text(now))
