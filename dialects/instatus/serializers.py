"""Bodies of Instatus's on-call schedules API (docs/dialects.md#instatus): what a body may hold,
what it stores, and the answers.

Each of a schedule's `onCallShifts` is a rotation layer: DAILY, WEEKLY or CUSTOM turns from
`startDate` to `endDate`, restricted to a time of day or to weekly time intervals (UTC), its
members in `order`. Ids of shifts, members and intervals are the ids of their rows, so they stay
the same across `PUT`s that send them back.
"""

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Any

from rest_framework import serializers

from apikit.bounds import BoundedDateTimeField
from dialects.fields import MAX_INTERVALS, MAX_MEMBERS, MAX_SHIFTS, millis_z
from schedules.models import Dialect, Schedule
from schedules.rotation_services import (
    MemberInput,
    RotationInput,
    RotationScheduleInput,
    WindowInput,
)
from shifts.models import LengthUnit, RestrictionKind, Rotation, RotationKind, RotationMember
from timeline import OnCallMembers
from users.models import Organization, User
from users.selectors import active_users_by_public_id

DAYS_OF_WEEK = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
ROTATION_TYPES = {
    "DAILY": (RotationKind.DAILY, 1, LengthUnit.DAYS),
    "WEEKLY": (RotationKind.WEEKLY, 1, LengthUnit.WEEKS),
}
ROTATION_TYPE_OF = {RotationKind.DAILY: "DAILY", RotationKind.WEEKLY: "WEEKLY"}
CUSTOM = "CUSTOM"
UNITS = {"HOURS": LengthUnit.HOURS, "DAYS": LengthUnit.DAYS, "WEEKS": LengthUnit.WEEKS}
UNIT_OF = {unit: name for name, unit in UNITS.items()}
# A turn lasts at most a year (365 days: 8760 hours, 52 weeks).
LONGEST_TURN = timedelta(days=365)
UNIT_LENGTH = {"HOURS": timedelta(hours=1), "DAYS": timedelta(days=1), "WEEKS": timedelta(weeks=1)}
RESTRICTIONS = {
    "NONE": RestrictionKind.NONE,
    "TIMEOFDAY": RestrictionKind.TIME_OF_DAY,
    "TIMEINTERVALS": RestrictionKind.WEEKLY,
}
RESTRICTION_OF = {kind: name for name, kind in RESTRICTIONS.items()}
STATUSES = ("ACTIVE", "INACTIVE")
# Colors of members sent without one, by list position.
PALETTE = ("#0470a6", "#195397", "#1e8449", "#b9770e", "#6c3483", "#b03a2e", "#117a65", "#5d6d7e")
COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
TIME_OF_DAY = re.compile(r"^\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?$")
EPOCH_DAY = "1970-01-01"
REQUIRED = "This field is required."


class TimeOfDayField(serializers.Field):
    """A time of day in UTC: a date-time whose UTC time counts
    (`1970-01-01T21:00:00.000Z`, an offset is applied, no zone is UTC) or `HH:MM[:SS]`."""

    default_error_messages = {
        "invalid": "Not a time of day: expected 1970-01-01THH:MM:SS.000Z or HH:MM."
    }

    def to_internal_value(self, data: Any) -> time:
        if not isinstance(data, str):
            self.fail("invalid")
        text = data.strip()
        try:
            if TIME_OF_DAY.match(text):
                return time.fromisoformat(text)
            instant = datetime.fromisoformat(text)
            if instant.tzinfo is not None:
                instant = instant.astimezone(UTC)
        except (ValueError, OverflowError):  # `0001-01-01T00:00:00+01:00` has no UTC time
            self.fail("invalid")
        return instant.time().replace(tzinfo=None)

    def to_representation(self, value: time) -> str:
        return time_of_day(value)


def time_of_day(value: time) -> str:
    """`1970-01-01T21:00:00.000Z`, as Instatus writes a time of day."""
    return f"{EPOCH_DAY}T{value:%H:%M:%S}.{value.microsecond // 1000:03d}Z"


class IntervalInput(serializers.Serializer):
    id = serializers.CharField(required=False, allow_null=True)
    startDay = serializers.ChoiceField(choices=DAYS_OF_WEEK)
    startDayTime = TimeOfDayField()
    endDay = serializers.ChoiceField(choices=DAYS_OF_WEEK)
    endDayTime = TimeOfDayField()


class WorkspaceMemberInput(serializers.Serializer):
    id = serializers.CharField()


class ShiftMemberInput(serializers.Serializer):
    """A member as the seed's requests send it (`workspaceMemberId`) or as the answers show it
    (`workspaceMember.id`), so an answer can be sent back as it is."""

    id = serializers.CharField(required=False, allow_null=True)
    workspaceMemberId = serializers.CharField(required=False)
    workspaceMember = WorkspaceMemberInput(required=False)
    color = serializers.CharField(required=False, allow_null=True, max_length=20)
    order = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=10**6)

    def validate_color(self, value: str | None) -> str | None:
        if value is not None and not COLOR.match(value):
            raise serializers.ValidationError("Not a color: expected #RRGGBB.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "workspaceMemberId" not in attrs and "workspaceMember" not in attrs:
            raise serializers.ValidationError({"workspaceMemberId": [REQUIRED]})
        return attrs


class ShiftInput(serializers.Serializer):
    id = serializers.CharField(required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=200)
    members = ShiftMemberInput(many=True, allow_empty=False, max_length=MAX_MEMBERS)  # type: ignore[call-arg]
    rotationType = serializers.ChoiceField(choices=[*ROTATION_TYPES, CUSTOM])
    customRotationTypeValue = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=8760
    )
    customRotationTypeUnit = serializers.ChoiceField(
        choices=list(UNITS), required=False, allow_null=True
    )
    startDate = BoundedDateTimeField()
    endDate = BoundedDateTimeField(required=False, allow_null=True)
    restrictionType = serializers.ChoiceField(choices=list(RESTRICTIONS), required=False)
    timeOfDayRestrictionStartTime = TimeOfDayField(required=False, allow_null=True)
    timeOfDayRestrictionEndTime = TimeOfDayField(required=False, allow_null=True)
    timeIntervals = IntervalInput(
        many=True,
        required=False,
        allow_null=True,
        max_length=MAX_INTERVALS,  # type: ignore[call-arg]
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        if attrs["rotationType"] == CUSTOM:
            errors |= custom_length_errors(attrs)
        end = attrs.get("endDate")
        if end is not None and end <= attrs["startDate"]:
            errors["endDate"] = ["Must be after startDate."]
        restriction = attrs.get("restrictionType", "NONE")
        if restriction == "TIMEOFDAY":
            for name in ("timeOfDayRestrictionStartTime", "timeOfDayRestrictionEndTime"):
                if attrs.get(name) is None:
                    errors[name] = [REQUIRED]
        if restriction == "TIMEINTERVALS" and not attrs.get("timeIntervals"):
            errors["timeIntervals"] = ["At least one interval is required."]
        users = [member_id(member) for member in attrs["members"]]
        repeated = sorted({user for user in users if users.count(user) > 1})
        if repeated:
            errors["members"] = [f"{user} is listed more than once." for user in repeated]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def custom_length_errors(attrs: dict[str, Any]) -> dict[str, list[str]]:
    value, unit = attrs.get("customRotationTypeValue"), attrs.get("customRotationTypeUnit")
    errors = {}
    if value is None:
        errors["customRotationTypeValue"] = [REQUIRED]
    if unit is None:
        errors["customRotationTypeUnit"] = [REQUIRED]
    if value is not None and unit is not None and value * UNIT_LENGTH[unit] > LONGEST_TURN:
        errors["customRotationTypeValue"] = [
            "A turn lasts at most 365 days (8760 hours, 365 days, 52 weeks)."
        ]
    return errors


class InstatusScheduleInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=2000
    )
    status = serializers.ChoiceField(choices=STATUSES, required=False)
    onCallShifts = ShiftInput(many=True, required=False, max_length=MAX_SHIFTS)  # type: ignore[call-arg]


def member_id(member: Mapping[str, Any]) -> str:
    """The workspace member (user) id a member names."""
    if "workspaceMemberId" in member:
        return member["workspaceMemberId"]
    return member["workspaceMember"]["id"]


def checked(
    body: dict[str, Any], organization: Organization, current: Schedule | None = None
) -> RotationScheduleInput:
    """What to store for a validated body (a `PUT` keeps what it leaves out of `current`); a
    400 naming every unknown member."""
    shifts = body.get("onCallShifts")
    users = active_users_by_public_id(
        organization=organization,
        public_ids={member_id(m) for shift in shifts or () for m in shift["members"]},
    )
    errors = {
        f"onCallShifts.{i}.members.{j}.workspaceMemberId": [
            f"No workspace member has the id {member_id(member)}."
        ]
        for i, shift in enumerate(shifts or ())
        for j, member in enumerate(shift["members"])
        if member_id(member) not in users
    }
    if errors:
        raise serializers.ValidationError(errors)
    status = body.get("status", current_status(current))
    return RotationScheduleInput(
        dialect=Dialect.INSTATUS,
        name=body["name"],
        description=body.get("description", current.description if current else None),
        enabled=status == "ACTIVE",
        rotations=None if shifts is None else tuple(rotation_input(s, users) for s in shifts),
    )


def current_status(schedule: Schedule | None) -> str:
    return "INACTIVE" if schedule is not None and not schedule.enabled else "ACTIVE"


def rotation_input(shift: dict[str, Any], users: dict[str, User]) -> RotationInput:
    if shift["rotationType"] == CUSTOM:
        kind = RotationKind.CUSTOM
        length, unit = shift["customRotationTypeValue"], UNITS[shift["customRotationTypeUnit"]]
    else:
        kind, length, unit = ROTATION_TYPES[shift["rotationType"]]
    restriction = RESTRICTIONS[shift.get("restrictionType", "NONE")]
    return RotationInput(
        public_id=shift.get("id"),
        name=shift.get("name"),
        kind=kind,
        length=length,
        unit=unit,
        time_zone="UTC",
        start=shift["startDate"],
        end=shift.get("endDate"),
        restriction=restriction,
        windows=windows(shift, restriction),
        members=tuple(
            MemberInput(
                public_id=member.get("id"),
                user=users[member_id(member)],
                order=position + 1 if member.get("order") is None else member["order"],
                color=member.get("color") or PALETTE[position % len(PALETTE)],
            )
            for position, member in enumerate(shift["members"])
        ),
    )


def windows(shift: dict[str, Any], restriction: RestrictionKind) -> tuple[WindowInput, ...]:
    if restriction == RestrictionKind.TIME_OF_DAY:
        start, end = shift["timeOfDayRestrictionStartTime"], shift["timeOfDayRestrictionEndTime"]
        return (WindowInput(start_time=start, end_time=end),)
    if restriction == RestrictionKind.WEEKLY:
        return tuple(
            WindowInput(
                public_id=interval.get("id"),
                start_day=DAYS_OF_WEEK.index(interval["startDay"]),
                start_time=interval["startDayTime"],
                end_day=DAYS_OF_WEEK.index(interval["endDay"]),
                end_time=interval["endDayTime"],
            )
            for interval in shift["timeIntervals"]
        )
    return ()


def schedule_body(schedule: Schedule) -> dict[str, Any]:
    return {
        "id": schedule.public_id,
        "name": schedule.name,
        "description": schedule.description,
        "status": current_status(schedule),
        "onCallShifts": [
            shift_body(rotation, position + 1)
            for position, rotation in enumerate(schedule.rotations.all())
        ],
    }


def shift_body(rotation: Rotation, order: int) -> dict[str, Any]:
    custom = rotation.kind == RotationKind.CUSTOM
    windows = list(rotation.windows.all())
    time_of_day_window = windows[0] if rotation.restriction == RestrictionKind.TIME_OF_DAY else None
    return {
        "id": rotation.public_id,
        "name": rotation.name,
        "order": order,
        "members": [member_body(member) for member in rotation.members.all()],
        "rotationType": CUSTOM if custom else ROTATION_TYPE_OF[RotationKind(rotation.kind)],
        "customRotationTypeValue": rotation.length if custom else None,
        "customRotationTypeUnit": UNIT_OF[LengthUnit(rotation.unit)] if custom else None,
        "startDate": millis_z(rotation.start),
        "endDate": millis_z(rotation.end),
        "restrictionType": RESTRICTION_OF[RestrictionKind(rotation.restriction)],
        "timeOfDayRestrictionStartTime": (
            time_of_day(time_of_day_window.start_time) if time_of_day_window else None
        ),
        "timeOfDayRestrictionEndTime": (
            time_of_day(time_of_day_window.end_time) if time_of_day_window else None
        ),
        "timeIntervals": [
            {
                "id": window.public_id,
                "startDay": DAYS_OF_WEEK[window.start_day],
                "startDayTime": time_of_day(window.start_time),
                "endDay": DAYS_OF_WEEK[window.end_day],
                "endDayTime": time_of_day(window.end_time),
            }
            for window in windows
            if rotation.restriction == RestrictionKind.WEEKLY
            and window.start_day is not None
            and window.end_day is not None
        ],
    }


def member_body(member: RotationMember) -> dict[str, Any]:
    user = member.user
    assert user is not None, "Instatus members always name a user"
    return {
        "id": member.public_id,
        "order": member.order,
        "color": member.color,
        "workspaceMember": {
            "id": user.public_id,
            "user": {
                "id": user.public_id,
                "name": user.username,
                "email": user.email,
                "avatar": None,
            },
        },
    }


def person(user: User, organization: Organization) -> dict[str, Any]:
    """An entry of `/members`: the phone number unless the user hides it (and the organization
    does not override that), as the on-call answers of upstream's API show it."""
    hidden = user.hide_phone_number and not organization.override_phone_privacy
    return {
        "id": user.public_id,
        "name": user.username,
        "email": user.email,
        "phone": None if hidden else user.phone_number or None,
        "avatar": None,
    }


def members_body(
    schedule: Schedule, turns: list[RotationMember], members: OnCallMembers
) -> dict[str, Any]:
    """`/members`: who is on call now and next, and every member of every shift (`turns`, in
    shift then rotation order) once."""
    users = {turn.user.public_id: turn.user for turn in turns if turn.user is not None}
    organization = schedule.organization

    def people(user_ids: Iterable[str]) -> list[dict[str, Any]]:
        return [person(users[user_id], organization) for user_id in user_ids]

    return {
        "currentMembers": people(members.current),
        "nextMembers": people(members.next),
        "allMembers": people(users),
    }
