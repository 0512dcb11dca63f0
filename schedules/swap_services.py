"""Writes of shift swap requests; each runs in one transaction and bumps the versions of the
schedules whose final shifts it changes (docs/resolution.md#shift-swaps).

A swap whose start has passed is kept as it is until it ends: it can no longer be changed,
deleted or taken (docs/differences.md#started-swaps).
"""

from datetime import datetime
from enum import Enum
from typing import Final

from django.db import transaction

from schedules.models import Schedule, ShiftSwap, SwapStatus
from schedules.versions import bump_schedules_after_swap_write
from users.models import User


class Keep(Enum):
    """An update leaves a field given this as it is."""

    KEEP = "keep"


KEEP: Final = Keep.KEEP


class SwapStarted(Exception):
    """The swap's start has passed: it stays as it is."""


class SwapNotOpen(Exception):
    """Only an open swap can be taken (not a taken, deleted or past-due one)."""


class SwapTakenByBeneficiary(Exception):
    """The beneficiary cannot take their own swap."""


@transaction.atomic
def shift_swap_create(
    *,
    schedule: Schedule,
    beneficiary: User,
    swap_start: datetime,
    swap_end: datetime,
    description: str | None = None,
    now: datetime,
) -> ShiftSwap:
    swap = ShiftSwap.objects.create(
        schedule=schedule,
        beneficiary=beneficiary,
        swap_start=swap_start,
        swap_end=swap_end,
        description=description,
        created_at=now,
    )
    bump_schedules_after_swap_write([schedule.pk], now)
    return swap


@transaction.atomic
def shift_swap_update(
    *,
    swap: ShiftSwap,
    now: datetime,
    schedule: Schedule | Keep = KEEP,
    swap_start: datetime | Keep = KEEP,
    swap_end: datetime | Keep = KEEP,
    description: str | Keep | None = KEEP,
) -> ShiftSwap:
    """Change what is given (a swap may move to another schedule: both change)."""
    if swap.has_started(now):
        raise SwapStarted
    touched = {swap.schedule_id}
    if schedule is not KEEP:
        swap.schedule = schedule
        touched.add(schedule.pk)
    if swap_start is not KEEP:
        swap.swap_start = swap_start
    if swap_end is not KEEP:
        swap.swap_end = swap_end
    if description is not KEEP:
        swap.description = description
    swap.save()
    bump_schedules_after_swap_write(touched, now)
    return swap


@transaction.atomic
def shift_swap_delete(*, swap: ShiftSwap, now: datetime) -> None:
    """Soft delete, as upstream: the swap is gone from the API and changes nothing any more."""
    if swap.has_started(now):
        raise SwapStarted
    swap.deleted_at = now
    swap.save(update_fields=["deleted_at", "updated_at"])
    bump_schedules_after_swap_write([swap.schedule_id], now)


@transaction.atomic
def shift_swap_take(*, swap: ShiftSwap, benefactor: User, now: datetime) -> ShiftSwap:
    """`swap` must be read under its row lock (two callers taking it at once: one wins)."""
    if benefactor.pk == swap.beneficiary_id:
        raise SwapTakenByBeneficiary
    if swap.status(now) != SwapStatus.OPEN:
        raise SwapNotOpen
    swap.benefactor = benefactor
    swap.save(update_fields=["benefactor", "updated_at"])
    bump_schedules_after_swap_write([swap.schedule_id], now)
    return swap
