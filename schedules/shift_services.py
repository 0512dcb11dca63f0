"""Writes of on-call shifts; each runs in one transaction."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TypedDict, Unpack
from zoneinfo import ZoneInfo

from django.db import transaction

from common.writes import assign, field_names
from schedules.versions import (
    bump_schedules,
    bump_schedules_using_shifts,
    schedule_ids_using_shifts,
)
from shifts.models import WEB_OVERRIDE_LEVEL, OnCallShift, ShiftType, Source
from users.models import Organization, Team, User


def apply_override_rules(shift: OnCallShift) -> None:
    """Upstream pins an override's level (web ones beat API/iCal overrides) and, for web
    overrides, its rotation start."""
    if shift.type != ShiftType.OVERRIDE:
        return
    shift.level = WEB_OVERRIDE_LEVEL if shift.source == Source.WEB else 0
    if shift.source == Source.WEB:
        shift.rotation_start = shift.start


class ShiftFields(TypedDict, total=False):
    """What a shift write may set (model fields; wall-clock times carry a UTC label)."""

    name: str | None
    type: str
    team: Team | None
    time_zone: str | None
    level: int
    start: datetime
    rotation_start: datetime
    until: datetime | None
    duration: timedelta
    frequency: str | None
    interval: int | None
    week_start: str
    by_day: list[str] | None
    by_month: list[int] | None
    by_monthday: list[int] | None
    rolling_users: list[list[str]] | None
    start_rotation_from_user_index: int | None
    source: int


SHIFT_FIELDS = field_names(ShiftFields)


def save_shift(
    shift: OnCallShift, fields: ShiftFields, users: Sequence[User] | None
) -> OnCallShift:
    assign(shift, fields, SHIFT_FIELDS)
    if shift.rotation_start is None:
        shift.rotation_start = shift.start
    apply_override_rules(shift)
    shift.save()
    if users is not None:
        shift.users.set(users)
    return shift


@transaction.atomic
def on_call_shift_create(
    *,
    organization: Organization,
    users: Sequence[User] | None = None,
    **fields: Unpack[ShiftFields],
) -> OnCallShift:
    return save_shift(OnCallShift(organization=organization), fields, users)


@transaction.atomic
def on_call_shift_update(
    *, shift: OnCallShift, users: Sequence[User] | None = None, **fields: Unpack[ShiftFields]
) -> OnCallShift:
    """Change the fields given (the users when `users` is given), as upstream's partial PUT."""
    save_shift(shift, fields, users)
    bump_schedules_using_shifts([shift.pk])
    return shift


def web_shift_start(shift: OnCallShift) -> datetime:
    """The instant a web-owned shift starts: its wall clock read in its own zone, else UTC."""
    return shift.start.astimezone(UTC).replace(tzinfo=ZoneInfo(shift.time_zone or "UTC"))


@transaction.atomic
def on_call_shift_delete(*, shift: OnCallShift, now: datetime) -> None:
    """Delete a shift; a started shift owned by a web schedule is only ended, so that the past
    of that schedule stays as it was (upstream behaviour)."""
    bump_schedules(schedule_ids_using_shifts([shift.pk]))
    if shift.schedule_id is None or web_shift_start(shift) > now:
        shift.delete()
        return
    # Never extend a shift that already ended.
    shift.until = min(shift.until, now) if shift.until else now.astimezone(UTC)
    if shift.type == ShiftType.OVERRIDE:
        shift.duration = min(shift.duration, now - web_shift_start(shift))
    shift.save(update_fields=["until", "duration"])
