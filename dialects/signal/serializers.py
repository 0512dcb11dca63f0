"""Bodies of Brainz Lab Signal's on-call schedules API (docs/dialects.md#signal): what a body may
hold, the schedule it describes once merged with the stored one, and the answers.

A Signal schedule is a schedule of one rotation layer: a `weekly` schedule is a weekdays
rotation (Monday's user first, a day each, from 00:00 in the schedule's zone), a `custom` one a
rotation of its members, a day or a week each from `rotation_start`. Its `members` are kept as the
schedule's people, in order.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone as django_timezone
from rest_framework import serializers

import timeline
from apikit.fields import TimeZoneField
from dialects.fields import MAX_MEMBERS, BoundedListField, DateTimeInZoneField, seconds_z
from schedules.models import Dialect, Schedule
from schedules.rotation_services import (
    MemberInput,
    RotationInput,
    RotationScheduleInput,
    weekdays_start,
)
from shifts.models import LengthUnit, RotationKind
from users.models import Organization, User
from users.selectors import active_users_by_email

ID_PREFIX = "sched_"
WEEKLY, CUSTOM = "weekly", "custom"
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# rotation_type → how the rotation is stored
ROTATION_TYPES = {
    "daily": (RotationKind.DAILY, LengthUnit.DAYS),
    "weekly": (RotationKind.WEEKLY, LengthUnit.WEEKS),
}
ROTATION_TYPE_OF = {kind: name for name, (kind, _) in ROTATION_TYPES.items()}
ONLY_CUSTOM = "Only custom schedules have this field."
ONLY_WEEKLY = "Only weekly schedules have this field."
REQUIRED = "This field is required."


def signal_id(schedule: Schedule) -> str:
    return ID_PREFIX + schedule.public_id


def public_id_of(signal_id: str) -> str:
    """The schedule id in a path: `sched_<id>` or the bare id."""
    return signal_id.removeprefix(ID_PREFIX)


def unwrapped(data: Any) -> Any:
    """A body sent as Rails wraps it, `{"on_call_schedule": {…}}`, is the inner object."""
    if isinstance(data, Mapping) and isinstance(data.get("on_call_schedule"), Mapping):
        return data["on_call_schedule"]
    return data


class WeeklyScheduleField(serializers.Field):
    """`{"monday": {"user": "<e-mail>"}, "tuesday": null, …}`: the days named and who has them
    (None: nobody)."""

    default_error_messages = {"invalid": "Expected an object of days (monday to sunday)."}

    def to_internal_value(self, data: Any) -> dict[str, str | None]:
        if not isinstance(data, Mapping):
            self.fail("invalid")
        days: dict[str, str | None] = {}
        errors: dict[str, Any] = {}
        for day, value in data.items():
            if day not in DAYS:
                errors[day] = ["Not a day: expected monday, tuesday, … sunday."]
            elif value is None:
                days[day] = None
            elif isinstance(value, Mapping) and isinstance(value.get("user"), str):
                days[day] = value["user"].strip()
            else:
                errors[day] = {"user": ["A user's e-mail is required (or null for nobody)."]}
        if errors:
            raise serializers.ValidationError(errors)
        return days

    def to_representation(self, value: Any) -> Any:
        return value


class SignalScheduleInput(serializers.Serializer):
    """What a create, `PATCH` or `PUT` body may hold (read-only fields are ignored)."""

    name = serializers.CharField(max_length=200)
    schedule_type = serializers.ChoiceField(choices=[WEEKLY, CUSTOM])
    timezone = TimeZoneField(required=False)
    enabled = serializers.BooleanField(required=False)
    members = BoundedListField(
        child=serializers.CharField(max_length=254),
        max_length=MAX_MEMBERS,
        allow_empty=False,
        required=False,
    )
    weekly_schedule = WeeklyScheduleField(required=False)
    rotation_type = serializers.ChoiceField(choices=list(ROTATION_TYPES), required=False)
    rotation_start = DateTimeInZoneField(required=False)


@dataclass(frozen=True, slots=True)
class SignalSchedule:
    """A Signal schedule as its fields say, e-mails as written."""

    name: str
    schedule_type: str
    timezone: str = "UTC"
    enabled: bool = True
    members: tuple[str, ...] = ()
    weekly: dict[str, str | None] = field(default_factory=dict)
    rotation_type: str | None = None
    rotation_start: datetime | None = None

    @property
    def weekly_users(self) -> list[str]:
        """The distinct e-mails of the weekly days, in week order (ignoring case)."""
        found: dict[str, str] = {}
        for day in DAYS:
            email = self.weekly.get(day)
            if email:
                found.setdefault(email.lower(), email)
        return list(found.values())

    @classmethod
    def stored(cls, schedule: Schedule) -> "SignalSchedule":
        rotation = schedule.rotations.all()[0]
        common: dict[str, Any] = {
            "name": schedule.name,
            "timezone": schedule.time_zone,
            "enabled": schedule.enabled,
            "members": tuple(member.user.email for member in schedule.roster.all()),
        }
        if rotation.kind != RotationKind.WEEKDAYS:
            return cls(
                schedule_type=CUSTOM,
                rotation_type=ROTATION_TYPE_OF[RotationKind(rotation.kind)],
                rotation_start=rotation.start,
                **common,
            )
        weekly = {
            DAYS[member.position]: member.user.email if member.user else None
            for member in rotation.members.all()
        }
        return cls(schedule_type=WEEKLY, weekly=weekly, **common)

    def merged(self, body: dict[str, Any]) -> "SignalSchedule":
        """This schedule with the fields of a validated body: `weekly_schedule` changes only
        the days it names; fields of the other type are dropped when the type changes. Without
        `members`, a weekly schedule's members gain the weekly users they lack, at the end."""
        schedule_type = body.get("schedule_type", self.schedule_type)
        same_type = schedule_type == self.schedule_type
        merged = SignalSchedule(
            name=body.get("name", self.name),
            schedule_type=schedule_type,
            timezone=body.get("timezone", self.timezone),
            enabled=body.get("enabled", self.enabled),
            members=tuple(body.get("members", self.members)),
            weekly={**(self.weekly if same_type else {}), **body.get("weekly_schedule", {})},
            rotation_type=body.get("rotation_type", self.rotation_type if same_type else None),
            rotation_start=body.get("rotation_start", self.rotation_start if same_type else None),
        )
        if "members" in body or schedule_type != WEEKLY:
            return merged
        known = {email.lower() for email in merged.members}
        added = tuple(email for email in merged.weekly_users if email.lower() not in known)
        return replace(merged, members=merged.members + added)

    @classmethod
    def created(cls, body: dict[str, Any]) -> "SignalSchedule":
        return cls(name=body["name"], schedule_type=body["schedule_type"]).merged(body)


def checked(
    schedule: SignalSchedule, body: dict[str, Any], organization: Organization
) -> RotationScheduleInput:
    """What to store for `schedule` (merged from `body`); a 400 naming every field in error."""
    errors: dict[str, list[str]] = {}
    if schedule.schedule_type == WEEKLY:
        for name in ("rotation_type", "rotation_start"):
            if name in body:
                errors[name] = [ONLY_CUSTOM]
    else:
        if "weekly_schedule" in body:
            errors["weekly_schedule"] = [ONLY_WEEKLY]
        for name in ("rotation_type", "rotation_start", "members"):
            if not getattr(schedule, name):
                errors[name] = [REQUIRED]
    members = list(schedule.members)
    users = resolved(organization, [*members, *filter(None, schedule.weekly.values())])
    errors |= member_errors(members, users)
    if schedule.schedule_type == WEEKLY:
        errors |= weekly_errors(schedule.weekly, members, users)
    if errors:
        raise serializers.ValidationError(errors)
    return stored_input(schedule, [users[email.lower()][0] for email in members], users)


# The active users of each e-mail, lower-cased.
UsersByEmail = dict[str, list[User]]


def resolved(organization: Organization, emails: Sequence[str]) -> UsersByEmail:
    return active_users_by_email(organization=organization, emails=emails)


def user_error(email: str, users: UsersByEmail) -> str | None:
    """Why `email` names no single user (None when it does)."""
    found = users.get(email.lower(), [])
    if len(found) == 1:
        return None
    if found:
        return f"Several users have the e-mail {email}."
    return f"No user has the e-mail {email}." if email else "An e-mail is required."


def member_errors(members: list[str], users: UsersByEmail) -> dict[str, list[str]]:
    messages = [message for email in members if (message := user_error(email, users))]
    lowered = [email.lower() for email in members]
    repeated = sorted({email for email in lowered if lowered.count(email) > 1})
    messages += [f"{email} is listed more than once." for email in repeated]
    return {"members": messages} if messages else {}


def weekly_errors(
    weekly: dict[str, str | None], members: list[str], users: UsersByEmail
) -> dict[str, list[str]]:
    lowered = {email.lower() for email in members}
    errors = {}
    for day, email in weekly.items():
        if email is None:
            continue
        message = user_error(email, users)
        if message is None and email.lower() not in lowered:
            message = f"{email} is not one of the schedule's members."
        if message:
            errors[f"weekly_schedule.{day}.user"] = [message]
    return errors


def stored_input(
    schedule: SignalSchedule, roster: list[User], users: UsersByEmail
) -> RotationScheduleInput:
    if schedule.schedule_type == WEEKLY:
        day_users = [schedule.weekly.get(day) for day in DAYS]
        rotation = RotationInput(
            kind=RotationKind.WEEKDAYS,
            length=1,
            unit=LengthUnit.DAYS,
            time_zone=schedule.timezone,
            start=weekdays_start(schedule.timezone),
            members=tuple(
                MemberInput(user=users[email.lower()][0] if email else None, order=position + 1)
                for position, email in enumerate(day_users)
            ),
        )
    else:
        assert schedule.rotation_type is not None and schedule.rotation_start is not None
        kind, unit = ROTATION_TYPES[schedule.rotation_type]
        start = schedule.rotation_start
        if django_timezone.is_naive(start):
            start = start.replace(tzinfo=ZoneInfo(schedule.timezone))
        rotation = RotationInput(
            kind=kind,
            length=1,
            unit=unit,
            time_zone=schedule.timezone,
            start=start.replace(microsecond=0),
            members=tuple(
                MemberInput(user=user, order=position + 1) for position, user in enumerate(roster)
            ),
        )
    return RotationScheduleInput(
        dialect=Dialect.SIGNAL,
        name=schedule.name,
        time_zone=schedule.timezone,
        enabled=schedule.enabled,
        roster=tuple(roster),
        rotations=(rotation,),
    )


def summary(schedule: Schedule, on_call: User | None) -> dict[str, Any]:
    stored = SignalSchedule.stored(schedule)
    return {
        "id": signal_id(schedule),
        "name": schedule.name,
        "schedule_type": stored.schedule_type,
        "timezone": schedule.time_zone,
        "enabled": schedule.enabled,
        "current_on_call": on_call.email if on_call else None,
        "created_at": seconds_z(schedule.created_at),
    }


def detail(schedule: Schedule, stretch: timeline.Stretch) -> dict[str, Any]:
    stored = SignalSchedule.stored(schedule)
    body: dict[str, Any] = {
        "id": signal_id(schedule),
        "name": schedule.name,
        "schedule_type": stored.schedule_type,
        "timezone": schedule.time_zone,
        "enabled": schedule.enabled,
        "members": [member.user.email for member in schedule.roster.all()],
    }
    if stored.schedule_type == WEEKLY:
        body["weekly_schedule"] = {
            day: {"user": email} if (email := stored.weekly.get(day)) else None for day in DAYS
        }
    else:
        body["rotation_type"] = stored.rotation_type
        body["rotation_start"] = seconds_z(stored.rotation_start)
    current = current_shift(stretch)
    body["current_on_call"] = current["on_call"]
    body["current_shift_start"] = current["shift_start"]
    body["current_shift_end"] = current["shift_end"]
    body["created_at"] = seconds_z(schedule.created_at)
    return body


def current_shift(stretch: timeline.Stretch) -> dict[str, Any]:
    """The stretch, its end shown as its last second (`…T23:59:59Z`)."""
    if stretch.user is None or stretch.start is None or stretch.end is None:
        return {"on_call": None, "shift_start": None, "shift_end": None}
    return {
        "on_call": stretch.user.email,
        "shift_start": seconds_z(stretch.start),
        "shift_end": seconds_z(stretch.end - timedelta(seconds=1)),
    }
