"""Writes of on-call shifts; each runs in one transaction."""

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from schedules.versions import (
    bump_schedules,
    bump_schedules_using_shifts,
    schedule_ids_using_shifts,
)
from shifts.models import WEB_OVERRIDE_LEVEL, OnCallShift, ShiftType, Source
from users.models import Organization


def apply_override_rules(shift: OnCallShift) -> None:
    """Upstream pins an override's level (web ones beat API/iCal overrides) and, for web
    overrides, its rotation start."""
    if shift.type != ShiftType.OVERRIDE:
        return
    shift.level = WEB_OVERRIDE_LEVEL if shift.source == Source.WEB else 0
    if shift.source == Source.WEB:
        shift.rotation_start = shift.start


def save_shift(shift: OnCallShift, fields: dict[str, Any]) -> OnCallShift:
    users = fields.pop("users", None)
    for name, value in fields.items():
        setattr(shift, name, value)
    if shift.rotation_start is None:
        shift.rotation_start = shift.start
    apply_override_rules(shift)
    shift.save()
    if users is not None:
        shift.users.set(users)
    return shift


@transaction.atomic
def on_call_shift_create(*, organization: Organization, **fields: Any) -> OnCallShift:
    fields["team"] = fields.pop("team_id", None)
    return save_shift(OnCallShift(organization=organization), fields)


@transaction.atomic
def on_call_shift_update(*, shift: OnCallShift, **fields: Any) -> OnCallShift:
    if "team_id" in fields:
        fields["team"] = fields.pop("team_id")
    save_shift(shift, fields)
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
