"""The only bridge from shift and rotation rows to the engine's value types."""

from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, overload

from shifts import engine
from shifts.models import (
    RestrictionKind,
    RestrictionWindow,
    Rotation,
    ShiftType,
    Source,
)

ENGINE_SOURCE: dict[int, engine.Source] = {
    Source.WEB: engine.Source.WEB,
    Source.API: engine.Source.API,
    Source.SLACK: engine.Source.SLACK,
    Source.TERRAFORM: engine.Source.TERRAFORM,
}


@overload
def wall_clock(value: datetime) -> datetime: ...
@overload
def wall_clock(value: datetime | None) -> datetime | None: ...
def wall_clock(value: datetime | None) -> datetime | None:
    """Stored wall-clock readings carry a UTC label; the engine takes them naive."""
    return value.astimezone(UTC).replace(tzinfo=None) if value else None


def zone_name(name: str) -> str:
    return "UTC" if name == "Etc/UTC" else name


class ShiftFields(NamedTuple):
    """The fields of a stored shift that a timeline reads, by their model names: those the
    engine reads, and its name, which pages show (model instances would cost more to build than
    expanding most shifts). Lists are tuples (`of`), so that a shift's fields are a key for
    what is computed from them."""

    public_id: str
    type: str
    source: int
    level: int
    time_zone: str | None
    start: datetime
    rotation_start: datetime | None
    duration: timedelta
    until: datetime | None
    frequency: str | None
    interval: int | None
    week_start: str
    by_day: tuple[str, ...] | None
    by_month: tuple[int, ...] | None
    by_monthday: tuple[int, ...] | None
    rolling_users: tuple[tuple[str, ...], ...] | None
    start_rotation_from_user_index: int | None
    name: str | None

    @classmethod
    def of(cls, values: Sequence[Any]) -> "ShiftFields":
        """The fields from their stored values, in order, the lists of the JSON fields as
        tuples."""
        fields = cls(*values)
        lists = (fields.by_day, fields.by_month, fields.by_monthday, fields.rolling_users)
        if not any(lists):
            return fields
        by_day, by_month, by_monthday, rolling_users = lists
        return fields._replace(
            by_day=tuple(by_day) if by_day is not None else None,
            by_month=tuple(by_month) if by_month is not None else None,
            by_monthday=tuple(by_monthday) if by_monthday is not None else None,
            rolling_users=(
                tuple(tuple(group) for group in rolling_users)
                if rolling_users is not None
                else None
            ),
        )


def shift_spec(
    shift: ShiftFields,
    *,
    user_ids: Sequence[str],
    default_zone: str,
    on_call_user_ids: Collection[str],
) -> engine.ShiftSpec:
    """The engine's view of `shift`, whose `users` have the public ids `user_ids`.

    `default_zone` is the zone of shifts without their own
    (docs/resolution.md#calendars-of-a-schedule); users not in
    `on_call_user_ids` (viewers, deleted users) are left out, but their rotation turns stay.
    """
    is_override = shift.type == ShiftType.OVERRIDE
    return engine.ShiftSpec(
        shift_id=shift.public_id,
        type=engine.ShiftType(shift.type),
        calendar_type=engine.CalendarType.OVERRIDES if is_override else engine.CalendarType.PRIMARY,
        time_zone=zone_name(shift.time_zone or default_zone),
        start=wall_clock(shift.start),
        duration=shift.duration,
        level=shift.level,
        source=ENGINE_SOURCE[shift.source],
        rotation_start=wall_clock(shift.rotation_start),
        until=wall_clock(shift.until),
        frequency=engine.Frequency(shift.frequency) if shift.frequency else None,
        interval=shift.interval,
        week_start=shift.week_start,
        by_day=tuple(shift.by_day or ()),
        by_month=tuple(shift.by_month or ()),
        by_monthday=tuple(shift.by_monthday or ()),
        users=tuple(user_id for user_id in user_ids if user_id in on_call_user_ids),
        rolling_users=tuple(
            tuple(user_id for user_id in group if user_id in on_call_user_ids)
            for group in shift.rolling_users or ()
        ),
        start_rotation_from_user_index=shift.start_rotation_from_user_index,
    )


def rotation_spec(
    rotation: Rotation,
    *,
    turn_user_ids: Sequence[str | None],
    windows: Sequence[RestrictionWindow],
    on_call_user_ids: Collection[str],
) -> engine.RotationSpec:
    """The engine's view of a rotation layer whose turns, in rotation order, name the users
    `turn_user_ids` (None: nobody); users not in `on_call_user_ids` keep their turns, which then
    put nobody on call. Windows are read in the rotation's zone."""
    zone = zone_name(rotation.time_zone)
    restricted = rotation.restriction != RestrictionKind.NONE
    return engine.RotationSpec(
        rotation_id=rotation.public_id,
        time_zone=zone,
        start=rotation.start.astimezone(UTC),
        length=rotation.length,
        unit=engine.LengthUnit(rotation.unit),
        turns=tuple(
            (user_id,) if user_id is not None and user_id in on_call_user_ids else ()
            for user_id in turn_user_ids
        ),
        end=rotation.end.astimezone(UTC) if rotation.end else None,
        restrictions=tuple(restriction(window, zone) for window in windows) if restricted else (),
    )


def restriction(window: RestrictionWindow, zone: str) -> engine.Restriction:
    if window.start_day is None or window.end_day is None:
        return engine.DailyWindow(window.start_time, window.end_time, zone)
    return engine.WeeklyWindow(
        window.start_day, window.start_time, window.end_day, window.end_time, zone
    )
