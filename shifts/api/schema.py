"""OpenAPI of `/api/v1/on_call_shifts/`: the shift fields' wire formats and the per-type response
bodies (the key set depends on `type`). Documentation only."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import serializers

from apikit.schema import ID_PARAMETER, const_field, error_responses, paginated
from shifts.api.fields import WALL_CLOCK_FORMAT
from shifts.api.serializers import OnCallShiftInputSerializer
from shifts.models import Frequency, ShiftType

WALL_CLOCK = {
    "type": "string",
    "description": f"Wall clock time in the shift's zone, strictly `{WALL_CLOCK_FORMAT}`.",
}
STRING_LIST = {"type": "array", "items": {"type": "string"}}


def nullable(schema: dict, field) -> dict:
    return {**schema, "nullable": True} if field.allow_null else schema


class WallClockFieldSchema(OpenApiSerializerFieldExtension):
    target_class = "shifts.api.fields.WallClockField"

    def map_serializer_field(self, auto_schema, direction):
        return nullable(WALL_CLOCK, self.target)


class RuleChoiceFieldSchema(OpenApiSerializerFieldExtension):
    target_class = "shifts.api.fields.RuleChoiceField"

    def map_serializer_field(self, auto_schema, direction):
        return nullable({"type": "string", "enum": sorted(self.target.choices)}, self.target)


class RuleListFieldSchema(OpenApiSerializerFieldExtension):
    """by_day (weekday codes), by_month (1..12), by_monthday (±1..31); `[]` is stored as null."""

    target_class = "shifts.api.fields.RuleListField"

    def map_serializer_field(self, auto_schema, direction):
        item = {"type": "string"} if self.target.field_name == "by_day" else {"type": "integer"}
        return {"type": "array", "items": item, "nullable": True}


class ShiftDurationFieldSchema(OpenApiSerializerFieldExtension):
    target_class = "shifts.api.fields.ShiftDurationField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "response":
            return {"type": "integer", "description": "Seconds."}
        return {
            "oneOf": [{"type": "integer"}, {"type": "string"}],
            "description": "Seconds, `[DD] [HH:[MM:]]ss[.uuuuuu]` or ISO 8601; 1 s to 3660 days.",
        }


class SourceFieldSchema(OpenApiSerializerFieldExtension):
    target_class = "shifts.api.serializers.SourceField"

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "integer",
            "nullable": True,
            "description": "0 web, 3 terraform; anything else is recorded as api.",
        }


class UserIdListFieldSchema(OpenApiSerializerFieldExtension):
    target_class = "shifts.api.serializers.UserIdListField"

    def map_serializer_field(self, auto_schema, direction):
        return {**STRING_LIST, "nullable": True, "description": "Unknown ids are dropped."}


class RollingUsersFieldSchema(OpenApiSerializerFieldExtension):
    target_class = "shifts.api.serializers.RollingUsersField"

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "array", "items": STRING_LIST, "nullable": True}


# Response bodies, one per type, with upstream's key sets (serializers.KEYS_BY_TYPE).
def nullable_string() -> serializers.CharField:
    return serializers.CharField(allow_null=True)


def wall_clock(**kwargs) -> serializers.CharField:
    return serializers.CharField(help_text=WALL_CLOCK["description"], **kwargs)


def id_list() -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField())


def int_list() -> serializers.ListField:
    return serializers.ListField(child=serializers.IntegerField(), allow_null=True)


class ShiftBase(serializers.Serializer):
    id = serializers.CharField()
    team_id = nullable_string()
    schedule = nullable_string()
    name = nullable_string()
    time_zone = nullable_string()
    start = wall_clock()
    rotation_start = wall_clock()
    duration = serializers.IntegerField(help_text="Seconds.")


class RecurrenceMixin(serializers.Serializer):
    level = serializers.IntegerField()
    frequency = serializers.ChoiceField(choices=Frequency.choices, allow_null=True)
    interval = serializers.IntegerField(allow_null=True)
    until = wall_clock(allow_null=True)
    week_start = serializers.CharField(required=False, help_text="Only when frequency is weekly.")
    by_day = serializers.ListField(child=serializers.CharField(), allow_null=True)
    by_month = int_list()
    by_monthday = int_list()


class SingleEventShift(ShiftBase):
    type = const_field(ShiftType.SINGLE_EVENT.value)
    level = serializers.IntegerField()
    users = id_list()


class RecurrentEventShift(ShiftBase, RecurrenceMixin):
    type = const_field(ShiftType.RECURRENT_EVENT.value)
    users = id_list()


class RollingUsersShift(ShiftBase, RecurrenceMixin):
    type = const_field(ShiftType.ROLLING_USERS.value)
    rolling_users = serializers.ListField(child=id_list(), allow_null=True)
    start_rotation_from_user_index = serializers.IntegerField(allow_null=True)


class OverrideShift(ShiftBase):
    type = const_field(ShiftType.OVERRIDE.value)
    users = id_list()


def shift_response(**kwargs) -> PolymorphicProxySerializer:
    return PolymorphicProxySerializer(
        component_name="OnCallShift",
        serializers={
            ShiftType.SINGLE_EVENT.value: SingleEventShift,
            ShiftType.RECURRENT_EVENT.value: RecurrentEventShift,
            ShiftType.ROLLING_USERS.value: RollingUsersShift,
            ShiftType.OVERRIDE.value: OverrideShift,
        },
        resource_type_field_name="type",
        **kwargs,
    )


SHIFT = shift_response()
# PUT is partial too: every field optional, omitted fields keep their values.
SHIFT_UPDATE = OnCallShiftInputSerializer(partial=True)

SHIFT_VIEWS = {
    "list": extend_schema(
        responses={
            200: paginated(shift_response(many=True), "PaginatedOnCallShiftList"),
            **error_responses(),
        },
    ),
    "create": extend_schema(
        request=OnCallShiftInputSerializer,
        responses={201: SHIFT, **error_responses(not_found=False)},
    ),
    "retrieve": extend_schema(
        parameters=[ID_PARAMETER], responses={200: SHIFT, **error_responses(body=False)}
    ),
    "update": extend_schema(
        parameters=[ID_PARAMETER],
        request=SHIFT_UPDATE,
        responses={200: SHIFT, **error_responses()},
    ),
    "partial_update": extend_schema(
        parameters=[ID_PARAMETER],
        request=SHIFT_UPDATE,
        responses={200: SHIFT, **error_responses()},
    ),
    "destroy": extend_schema(
        parameters=[ID_PARAMETER], responses={204: None, **error_responses(body=False)}
    ),
}
