"""OpenAPI of Signal's on-call schedules API, under its own tag. Documentation only."""

from dataclasses import replace

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema_serializer,
)
from rest_framework import serializers

from dialects.schema import SIGNAL_ERROR, Operation, schedule_views
from dialects.signal.serializers import (
    CUSTOM,
    DAYS,
    ROTATION_TYPES,
    WEEKLY,
    SignalScheduleInput,
)

DAY = {"type": "object", "nullable": True, "properties": {"user": {"type": "string"}}}
WEEK = {
    "type": "object",
    "properties": dict.fromkeys(DAYS, DAY),
    "additionalProperties": False,
    "description": "Who has each day (null: nobody); a PATCH changes only the days it names.",
}


class WeeklyScheduleSchema(OpenApiSerializerFieldExtension):
    target_class = "dialects.signal.serializers.WeeklyScheduleField"

    def map_serializer_field(self, auto_schema, direction):
        return WEEK


def nullable_string(help_text: str = "") -> serializers.CharField:
    return serializers.CharField(allow_null=True, help_text=help_text)


class SignalSummary(serializers.Serializer):
    id = serializers.CharField(help_text="`sched_` and the schedule's id.")
    name = serializers.CharField()
    schedule_type = serializers.ChoiceField(choices=[WEEKLY, CUSTOM])
    timezone = serializers.CharField()
    enabled = serializers.BooleanField()
    current_on_call = nullable_string("The e-mail of who is on call now.")
    created_at = serializers.CharField()


class SignalDetailBase(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    timezone = serializers.CharField()
    enabled = serializers.BooleanField()
    members = serializers.ListField(child=serializers.CharField())
    current_on_call = nullable_string()
    current_shift_start = nullable_string()
    current_shift_end = nullable_string("The current stretch's last second.")
    created_at = serializers.CharField()


class SignalWeeklyDetail(SignalDetailBase):
    schedule_type = serializers.ChoiceField(choices=[WEEKLY])
    weekly_schedule = serializers.JSONField()


class SignalCustomDetail(SignalDetailBase):
    schedule_type = serializers.ChoiceField(choices=[CUSTOM])
    rotation_type = serializers.ChoiceField(choices=list(ROTATION_TYPES))
    rotation_start = serializers.CharField()


SIGNAL_DETAIL = PolymorphicProxySerializer(
    component_name="SignalSchedule",
    serializers={WEEKLY: SignalWeeklyDetail, CUSTOM: SignalCustomDetail},
    resource_type_field_name="schedule_type",
)


@extend_schema_serializer(many=False)  # a list action whose answer is one object
class SignalScheduleList(serializers.Serializer):
    data = SignalSummary(many=True)


class SignalScheduleEnvelope(serializers.Serializer):
    data = SIGNAL_DETAIL


class SignalCurrent(serializers.Serializer):
    on_call = nullable_string()
    shift_start = nullable_string()
    shift_end = nullable_string()


class SignalScheduleUpdate(SignalScheduleInput):
    """A PATCH (or PUT) body: only the fields to change."""


ENABLED = OpenApiParameter("enabled", OpenApiTypes.BOOL, description="Only enabled or disabled.")
WRAPPED = 'The body may also come wrapped as `{"on_call_schedule": {…}}`.'
UPDATE = Operation(
    200, SignalScheduleEnvelope, request=SignalScheduleUpdate(partial=True), description=WRAPPED
)

SIGNAL_VIEWS = schedule_views(
    "Signal",
    SIGNAL_ERROR,
    {
        "list": Operation(200, SignalScheduleList, detail=False, parameters=(ENABLED,)),
        "create": Operation(
            201,
            SignalScheduleEnvelope,
            request=SignalScheduleInput,
            detail=False,
            description=WRAPPED,
        ),
        "retrieve": Operation(200, SignalScheduleEnvelope),
        "partial_update": UPDATE,
        "update": replace(UPDATE, description=f"The same as PATCH. {WRAPPED}"),
        "destroy": Operation(204, None),
        "current": Operation(200, SignalCurrent),
    },
    id_description="`sched_<id>` or `<id>`.",
)
