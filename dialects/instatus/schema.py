"""OpenAPI of Instatus's on-call schedules API, under its own tag. Documentation only."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from dialects.instatus.serializers import (
    CUSTOM,
    DAYS_OF_WEEK,
    RESTRICTIONS,
    ROTATION_TYPES,
    STATUSES,
    UNITS,
    InstatusScheduleInput,
)
from dialects.schema import INSTATUS_ERROR, Operation, schedule_views


class TimeOfDaySchema(OpenApiSerializerFieldExtension):
    target_class = "dialects.instatus.serializers.TimeOfDayField"

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "string",
            "nullable": True,
            "description": "A time of day in UTC: `1970-01-01T21:00:00.000Z` (only the time "
            "counts) or `HH:MM`.",
        }


class InstatusUser(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(allow_null=True)
    email = serializers.CharField()
    avatar = serializers.CharField(allow_null=True)


class InstatusWorkspaceMember(serializers.Serializer):
    id = serializers.CharField(help_text="The user's id (`workspaceMemberId` in requests).")
    user = InstatusUser()


class InstatusShiftMember(serializers.Serializer):
    id = serializers.CharField()
    order = serializers.IntegerField()
    color = serializers.CharField()
    workspaceMember = InstatusWorkspaceMember()


class InstatusInterval(serializers.Serializer):
    id = serializers.CharField()
    startDay = serializers.ChoiceField(choices=DAYS_OF_WEEK)
    startDayTime = serializers.CharField()
    endDay = serializers.ChoiceField(choices=DAYS_OF_WEEK)
    endDayTime = serializers.CharField()


class InstatusShift(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(allow_null=True)
    order = serializers.IntegerField()
    members = InstatusShiftMember(many=True)
    rotationType = serializers.ChoiceField(choices=[*ROTATION_TYPES, CUSTOM])
    customRotationTypeValue = serializers.IntegerField(allow_null=True)
    customRotationTypeUnit = serializers.ChoiceField(choices=list(UNITS), allow_null=True)
    startDate = serializers.CharField()
    endDate = serializers.CharField(allow_null=True)
    restrictionType = serializers.ChoiceField(choices=list(RESTRICTIONS))
    timeOfDayRestrictionStartTime = serializers.CharField(allow_null=True)
    timeOfDayRestrictionEndTime = serializers.CharField(allow_null=True)
    timeIntervals = InstatusInterval(many=True)


class InstatusSchedule(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=STATUSES)
    onCallShifts = InstatusShift(many=True)


class InstatusPerson(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(allow_null=True)
    email = serializers.CharField()
    phone = serializers.CharField(allow_null=True)
    avatar = serializers.CharField(allow_null=True)


class InstatusMembers(serializers.Serializer):
    currentMembers = InstatusPerson(many=True)
    nextMembers = InstatusPerson(many=True)
    allMembers = InstatusPerson(many=True)


PUT = (
    "The whole schedule: shifts, members and intervals sent with their `id` are updated (their "
    "ids stay), the others are created, those left out are deleted. `description`, `status` and "
    "`onCallShifts` left out keep their values."
)


INSTATUS_VIEWS = schedule_views(
    "Instatus",
    INSTATUS_ERROR,
    {
        "list": Operation(200, InstatusSchedule(many=True), detail=False),
        "create": Operation(201, InstatusSchedule, request=InstatusScheduleInput, detail=False),
        "retrieve": Operation(200, InstatusSchedule),
        "update": Operation(200, InstatusSchedule, request=InstatusScheduleInput, description=PUT),
        "destroy": Operation(204, None),
        "members": Operation(
            200,
            InstatusMembers,
            description="Who is on call now and next, and every member of every shift.",
        ),
    },
)
