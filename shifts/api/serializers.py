"""On-call shifts on the wire: upstream's request rules and per-type response key sets."""

from typing import Any, Protocol

from rest_framework import serializers

from apikit.exceptions import BadRequest
from apikit.fields import TimeZoneField
from common import value_range
from shifts.api import fields
from shifts.models import Frequency, OnCallShift, ShiftType, Source
from users.api.fields import TeamIdField
from users.models import User

FREQUENCY_REQUIRED = "Field 'frequency' is required for this on-call shift type"
INTERVAL_REQUIRED = "Field 'interval' must be a positive integer"
INTERVAL_INVALID = "Invalid value for interval"
WEEK_START_REQUIRED = "Field 'week_start' is required for frequency type 'weekly'"
START_INDEX_REQUIRED = (
    "Field 'start_rotation_from_user_index' is required for this on-call shift type"
)
DAILY_DAY_LIMITS = (
    "Day limits are temporarily disabled for on-call shifts with type 'rolling_users' "
    "and frequency 'daily'"
)
INTERVAL_OVER_DAYS = "Interval must be less than or equal to the number of selected days"

RECURRING_TYPES = (ShiftType.RECURRENT_EVENT, ShiftType.ROLLING_USERS)

# Fields each type does not use; upstream resets them on every write (docs/api.md#shifts).
CLEARED_BY_TYPE: dict[str, dict[str, Any]] = {
    ShiftType.SINGLE_EVENT: {
        "frequency": None,
        "interval": None,
        "by_day": None,
        "by_month": None,
        "by_monthday": None,
        "rolling_users": None,
        "start_rotation_from_user_index": None,
    },
    ShiftType.RECURRENT_EVENT: {"rolling_users": None, "start_rotation_from_user_index": None},
    ShiftType.ROLLING_USERS: {"users": []},
    ShiftType.OVERRIDE: {
        "frequency": None,
        "interval": None,
        "by_day": None,
        "by_month": None,
        "by_monthday": None,
        "rolling_users": None,
        "start_rotation_from_user_index": None,
        "until": None,
    },
}


def source_from_request(value) -> int:
    """Only web (0) and terraform (3) are honoured; anything else, absent included, is api."""
    return value if value in (Source.WEB, Source.TERRAFORM) else Source.API


class SourceField(serializers.Field):
    def to_internal_value(self, data):
        return source_from_request(data)


class UserIdListField(serializers.ListField):
    """User ids of the organization; unknown ids are dropped silently, as upstream does."""

    child = serializers.CharField()

    def validate_empty_values(self, data):
        if data is None:
            return True, []
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        ids = super().to_internal_value(data)
        found = User.objects.filter(organization=self.context["organization"], public_id__in=ids)
        return list(found.order_by("id"))


class RollingUsersField(serializers.ListField):
    """Groups of user ids; every id must exist (errors keyed by group index)."""

    child = serializers.ListField(child=serializers.CharField(), allow_empty=True)

    def to_internal_value(self, data):
        groups = super().to_internal_value(data)
        known = set(
            User.objects.filter(
                organization=self.context["organization"],
                public_id__in={uid for group in groups for uid in group},
            ).values_list("public_id", flat=True)
        )
        errors = {}
        for index, group in enumerate(groups):
            unknown = sorted(set(group) - known)
            if unknown:
                listed = ", ".join(repr(uid) for uid in unknown)
                errors[str(index)] = [f"User does not exist {{{listed}}}"]
        if errors:
            raise serializers.ValidationError(errors)
        return [list(group) for group in groups] or None


class OnCallShiftInputSerializer(serializers.Serializer):
    """Validates a create (instance None) or a partial update of `instance`."""

    name = serializers.CharField(max_length=200, allow_null=True, allow_blank=True, required=False)
    type = fields.shift_type_field()
    team_id = TeamIdField(source="team")
    time_zone = TimeZoneField(allow_null=True, required=False)
    level = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=value_range.INT32_MIN,
        max_value=value_range.INT32_MAX,
    )
    start = fields.WallClockField()
    rotation_start = fields.WallClockField(required=False, allow_null=True)
    until = fields.WallClockField(required=False, allow_null=True)
    duration = fields.ShiftDurationField()
    frequency = fields.frequency_field(required=False, allow_null=True)
    interval = serializers.IntegerField(
        required=False, allow_null=True, max_value=value_range.MAX_INTERVAL
    )
    week_start = fields.week_start_field(required=False, allow_null=True)
    by_day = fields.by_day_field()
    by_month = fields.by_month_field()
    by_monthday = fields.by_monthday_field()
    users = UserIdListField(required=False, allow_null=True)
    rolling_users = RollingUsersField(required=False, allow_null=True)
    start_rotation_from_user_index = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=value_range.INT32_MAX
    )
    source = SourceField(required=False, allow_null=True)  # type: ignore[assignment]

    def validate_name(self, value):
        # Upstream refuses a null name on update; a nameless shift's GET body sent back as a PUT
        # carries `name: null` and must be accepted (docs/api.md#request-quirks), so only a real
        # change fails.
        if value is None and self.instance is not None and self.instance.name is not None:
            raise serializers.ValidationError("This field may not be null.")
        return value

    def validate_interval(self, value):
        if value is not None and value < 1:
            raise BadRequest(INTERVAL_INVALID)
        return value

    def validate_level(self, value):
        return value or 0

    def validate(self, attrs: dict) -> dict:
        # An explicit `source: null` (Terraform) is "absent" too: it must not reach the model.
        attrs["source"] = source_from_request(attrs.get("source"))
        if attrs.get("rotation_start") is None:
            attrs.pop("rotation_start", None)
        if attrs.get("week_start") is None:
            attrs.pop("week_start", None)
        shift_type = attrs.get("type") or self.instance.type
        attrs.update(CLEARED_BY_TYPE[shift_type])
        self.check_frequency(attrs, shift_type)
        self.check_start_index(attrs, shift_type)
        check_daily_rotation(self.merged(attrs), shift_type)
        return attrs

    def stored(self, name: str):
        return getattr(self.instance, name) if self.instance is not None else None

    def merged(self, attrs: dict) -> dict:
        names = ("frequency", "interval", "by_day", "by_monthday")
        return {name: attrs[name] if name in attrs else self.stored(name) for name in names}

    def check_frequency(self, attrs: dict, shift_type: str) -> None:
        frequency = attrs.get("frequency", self.stored("frequency"))
        if shift_type in RECURRING_TYPES and frequency is None:
            raise BadRequest(FREQUENCY_REQUIRED)
        if "frequency" not in attrs or attrs["frequency"] is None:
            return
        if "interval" not in self.initial_data:
            # Upstream defaults the interval whenever a frequency arrives without one.
            attrs["interval"] = 1
        elif attrs["interval"] is None:
            raise BadRequest(INTERVAL_REQUIRED)
        # Upstream checks week_start only when the frequency changes, and only from the body.
        changed = self.instance is None or attrs["frequency"] != self.instance.frequency
        if changed and attrs["frequency"] == Frequency.WEEKLY and "week_start" not in attrs:
            raise BadRequest(WEEK_START_REQUIRED)

    def check_start_index(self, attrs: dict, shift_type: str) -> None:
        if shift_type != ShiftType.ROLLING_USERS:
            return
        key = "start_rotation_from_user_index"
        if self.instance is None or key in attrs:
            value = attrs.get(key)
            changed = self.instance is None or value != self.instance.start_rotation_from_user_index
            if changed and value is None:
                raise BadRequest(START_INDEX_REQUIRED)


def check_daily_rotation(values: dict, shift_type: str) -> None:
    if shift_type != ShiftType.ROLLING_USERS or values["frequency"] != Frequency.DAILY:
        return
    if values["by_monthday"]:
        raise BadRequest(DAILY_DAY_LIMITS)
    if values["by_day"] and (values["interval"] or 1) > len(values["by_day"]):
        raise BadRequest(INTERVAL_OVER_DAYS)


# Response keys per type, in upstream's order (docs/api.md#shifts).
BASE_KEYS = ["id", "team_id", "schedule", "name", "type", "time_zone"]
TIMING_KEYS = ["start", "rotation_start", "duration"]
RECURRENCE_KEYS = ["frequency", "interval", "until", "week_start", "by_day"]
MONTH_KEYS = ["by_month", "by_monthday"]
KEYS_BY_TYPE: dict[str, list[str]] = {
    ShiftType.SINGLE_EVENT: [*BASE_KEYS, "level", *TIMING_KEYS, "users"],
    ShiftType.RECURRENT_EVENT: [
        *BASE_KEYS,
        "level",
        *TIMING_KEYS,
        *RECURRENCE_KEYS,
        "users",
        *MONTH_KEYS,
    ],
    ShiftType.ROLLING_USERS: [
        *BASE_KEYS,
        "level",
        *TIMING_KEYS,
        *RECURRENCE_KEYS,
        "rolling_users",
        "start_rotation_from_user_index",
        *MONTH_KEYS,
    ],
    ShiftType.OVERRIDE: [*BASE_KEYS, *TIMING_KEYS, "users"],
}


class Listed(Protocol):
    public_id: str


class ListedShift(Protocol):
    """A shift of `selectors.on_call_shift_list`: its users and calendar schedules listed."""

    listed_users: list[Listed]
    listed_calendar_schedules: list[Listed]
    schedule: Listed | None


class OnCallShiftSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id")
    team_id = serializers.SerializerMethodField()
    schedule = serializers.SerializerMethodField()
    start = fields.WallClockField()
    rotation_start = fields.WallClockField()
    until = fields.WallClockField()
    duration = fields.ShiftDurationField()
    users = serializers.SerializerMethodField()

    class Meta:
        model = OnCallShift
        fields = sorted({key for keys in KEYS_BY_TYPE.values() for key in keys})

    def get_team_id(self, shift: OnCallShift) -> str | None:
        return shift.team.public_id if shift.team else None

    def get_schedule(self, shift: ListedShift) -> str | None:
        linked = shift.listed_calendar_schedules
        owner = linked[0] if linked else shift.schedule
        return owner.public_id if owner else None

    def get_users(self, shift: ListedShift) -> list[str]:
        return [user.public_id for user in shift.listed_users]

    def to_representation(self, shift: OnCallShift) -> dict:
        data = super().to_representation(shift)
        keys = KEYS_BY_TYPE[shift.type]
        if shift.frequency != Frequency.WEEKLY:
            keys = [key for key in keys if key != "week_start"]
        return {key: data[key] for key in keys}
