"""Writes of schedules of rotation layers (the Signal and Instatus APIs, docs/dialects.md); each
runs in one transaction and bumps the schedule's version.

A write takes the whole schedule as it must be afterwards. Rotations, members and windows named
by the public id of one the schedule already has are updated in place (their ids stay), the
others are created, and the ones left out are deleted. The API validates everything first, ids
included: a service is only called with input it can store.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.db import models, transaction

from schedules.models import Dialect, Schedule, ScheduleMember, ScheduleType
from schedules.versions import bump_schedules
from shifts.models import (
    LengthUnit,
    RestrictionKind,
    RestrictionWindow,
    Rotation,
    RotationKind,
    RotationMember,
)
from users.models import Organization, User

# A weekdays rotation hands over at 00:00 of its zone, Monday's member first: its turns start on
# a Monday (this one) and last a day.
WEEKDAYS_MONDAY = date(2000, 1, 3)


@dataclass(frozen=True, slots=True)
class WindowInput:
    """A restriction window: daily without days, weekly with them (Monday is 0)."""

    start_time: time
    end_time: time
    start_day: int | None = None
    end_day: int | None = None
    public_id: str | None = None


@dataclass(frozen=True, slots=True)
class MemberInput:
    """A member of a rotation (None: a turn with nobody); turns come by `order`, then by list
    position."""

    user: User | None
    order: int
    color: str = ""
    public_id: str | None = None


@dataclass(frozen=True, slots=True)
class RotationInput:
    kind: RotationKind
    length: int
    unit: LengthUnit
    time_zone: str
    start: datetime
    members: tuple[MemberInput, ...]
    end: datetime | None = None
    name: str | None = None
    restriction: RestrictionKind = RestrictionKind.NONE
    windows: tuple[WindowInput, ...] = ()
    public_id: str | None = None


@dataclass(frozen=True, slots=True)
class RotationScheduleInput:
    """A schedule of rotation layers as it must be after the write; `roster` is the people it
    names besides its rotations (a Signal schedule's `members`). A `roster` or `rotations` of
    None leaves the stored ones as they are."""

    dialect: Dialect
    name: str
    time_zone: str = "UTC"
    enabled: bool = True
    description: str | None = None
    roster: tuple[User, ...] | None = ()
    rotations: tuple[RotationInput, ...] | None = ()


def weekdays_start(time_zone: str) -> datetime:
    """The start of every weekdays rotation read in `time_zone`: a Monday at 00:00."""
    return datetime.combine(WEEKDAYS_MONDAY, time(), ZoneInfo(time_zone))


@transaction.atomic
def rotation_schedule_create(
    *, organization: Organization, data: RotationScheduleInput
) -> Schedule:
    schedule = Schedule(organization=organization, type=ScheduleType.ROTATIONS)
    return save_rotation_schedule(schedule, data)


@transaction.atomic
def rotation_schedule_update(*, schedule: Schedule, data: RotationScheduleInput) -> Schedule:
    return save_rotation_schedule(schedule, data)


@transaction.atomic
def rotation_schedule_delete(*, schedule: Schedule) -> None:
    schedule.delete()


def save_rotation_schedule(schedule: Schedule, data: RotationScheduleInput) -> Schedule:
    schedule.dialect = data.dialect
    schedule.name = data.name
    schedule.time_zone = data.time_zone
    schedule.enabled = data.enabled
    schedule.description = data.description
    schedule.save()
    # An atomic increment: two concurrent writers must not both produce the same version.
    bump_schedules([schedule.pk])
    if data.roster is not None:
        schedule.roster.all().delete()
        ScheduleMember.objects.bulk_create(
            ScheduleMember(schedule=schedule, user=user, position=position)
            for position, user in enumerate(data.roster)
        )
    if data.rotations is not None:
        save_rotations(schedule, data.rotations)
    return schedule


def save_rotations(schedule: Schedule, wanted: Sequence[RotationInput]) -> None:
    rotations = sync_children(
        Rotation.objects.filter(schedule=schedule),
        [
            (rotation.public_id, rotation_fields(schedule, position, rotation))
            for position, rotation in enumerate(wanted)
        ],
    )
    for rotation, data in zip(rotations, wanted, strict=True):
        sync_children(
            RotationMember.objects.filter(rotation=rotation),
            [
                (member.public_id, member_fields(rotation, position, member))
                for position, member in enumerate(data.members)
            ],
        )
        sync_children(
            RestrictionWindow.objects.filter(rotation=rotation),
            [
                (window.public_id, window_fields(rotation, position, window))
                for position, window in enumerate(data.windows)
            ],
        )


def rotation_fields(schedule: Schedule, position: int, rotation: RotationInput) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "schedule": schedule,
        "position": position,
        "name": rotation.name,
        "kind": rotation.kind,
        "length": rotation.length,
        "unit": rotation.unit,
        "time_zone": rotation.time_zone,
        "start": rotation.start,
        "end": rotation.end,
        "restriction": rotation.restriction,
    }
    if rotation.kind == RotationKind.WEEKDAYS:
        fields |= {
            "length": 1,
            "unit": LengthUnit.DAYS,
            "start": weekdays_start(rotation.time_zone),
        }
    return fields


def member_fields(rotation: Rotation, position: int, member: MemberInput) -> dict[str, Any]:
    return {
        "rotation": rotation,
        "user": member.user,
        "position": position,
        "order": member.order,
        "color": member.color,
    }


def window_fields(rotation: Rotation, position: int, window: WindowInput) -> dict[str, Any]:
    return {
        "rotation": rotation,
        "position": position,
        "start_day": window.start_day,
        "start_time": window.start_time,
        "end_day": window.end_day,
        "end_time": window.end_time,
    }


Child = TypeVar("Child", bound=models.Model)


def sync_children(
    current: models.QuerySet[Child], wanted: Sequence[tuple[str | None, dict[str, Any]]]
) -> list[Child]:
    """Make the rows of `current` those of `wanted` (public id or None, fields), in its order:
    a row whose public id is given keeps it and is updated, the others are created, and the
    rows left out are deleted. A few queries whatever the number of rows."""
    model: type[Child] = current.model
    existing = {row.public_id: row for row in current}  # type: ignore[attr-defined]
    rows, changed, created = [], [], []
    for public_id, fields in wanted:
        row = existing.pop(public_id, None) if public_id is not None else None
        if row is None:
            row = model(**fields)
            created.append(row)
        else:
            assign(row, fields)
            changed.append(row)
        rows.append(row)
    manager = model._default_manager
    manager.filter(pk__in=[row.pk for row in existing.values()]).delete()
    if changed:
        manager.bulk_update(changed, list(wanted[0][1]))
    manager.bulk_create(created)
    return rows


def assign(row: models.Model, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(row, name, value)
