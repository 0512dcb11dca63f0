"""OpenAPI of `/api/v1/schedules/`: per-type bodies (the key set depends on `type`), the on-call
actions and the export routes. Documentation only: nothing here validates or renders."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import serializers

from apikit.schema import (
    ID_PARAMETER,
    DetailError,
    api_key_scheme,
    const_field,
    documented_field,
    error_responses,
    paginated,
)
from oncall_events.api.serializers import OnCallPeriodSerializer
from schedules.api.export_serializers import CreatedExportTokenSerializer, ExportTokenSerializer
from schedules.api.hours_schema import HOURS_VIEWS
from schedules.api.oncall_serializers import OnCallUserSerializer
from schedules.api.serializers import CalendarScheduleInput, IcalScheduleInput, WebScheduleInput
from schedules.models import ScheduleType


class ScheduleExportTokenScheme(OpenApiAuthenticationExtension):
    target_class = "schedules.api.export_routes.ScheduleExportAuthentication"
    name = "ScheduleExportToken"
    owner = "schedule"

    def get_security_definition(self, auto_schema):
        description = f"The export token of the {self.owner} named in the path."
        return api_key_scheme("query", "token", description)


class UserExportTokenScheme(ScheduleExportTokenScheme):
    target_class = "schedules.api.export_routes.UserExportAuthentication"
    name = "UserExportToken"
    owner = "user"


ID_LIST = {"type": "array", "items": {"type": "string"}}


class ScheduleSlack(serializers.Serializer):
    channel_id = serializers.CharField(allow_null=True)
    user_group_id = serializers.CharField(allow_null=True)


class ScheduleBase(serializers.Serializer):
    id = serializers.CharField()
    team_id = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    on_call_now = serializers.ListField(child=serializers.CharField())
    slack = ScheduleSlack()


class IcalSchedule(ScheduleBase):
    type = const_field(ScheduleType.ICAL.value)
    ical_url_primary = serializers.CharField()
    ical_url_overrides = serializers.CharField(allow_null=True)


class CalendarSchedule(ScheduleBase):
    type = const_field(ScheduleType.CALENDAR.value)
    time_zone = serializers.CharField()
    shifts = serializers.ListField(child=serializers.CharField())
    ical_url_overrides = serializers.CharField(allow_null=True)
    enable_web_overrides = serializers.BooleanField()


class WebSchedule(ScheduleBase):
    type = const_field(ScheduleType.WEB.value)
    time_zone = serializers.CharField()
    shifts = serializers.ListField(child=serializers.CharField())


def schedule_response(**kwargs) -> PolymorphicProxySerializer:
    return PolymorphicProxySerializer(
        component_name="Schedule",
        serializers={
            ScheduleType.ICAL.value: IcalSchedule,
            ScheduleType.CALENDAR.value: CalendarSchedule,
            ScheduleType.WEB.value: WebSchedule,
        },
        resource_type_field_name="type",
        **kwargs,
    )


SCHEDULE = schedule_response()

# Request bodies: the input serializers plus the `type` they are chosen by (create only).
INPUT_SHIFT_IDS = documented_field({**ID_LIST, "nullable": True}, required=False)


class IcalScheduleCreate(IcalScheduleInput):
    type = const_field(ScheduleType.ICAL.value)


class CalendarScheduleCreate(CalendarScheduleInput):
    type = const_field(ScheduleType.CALENDAR.value)
    shifts = INPUT_SHIFT_IDS


class WebScheduleCreate(WebScheduleInput):
    type = const_field(ScheduleType.WEB.value)
    shifts = INPUT_SHIFT_IDS


class CalendarScheduleUpdate(CalendarScheduleInput):
    shifts = INPUT_SHIFT_IDS


class WebScheduleUpdate(WebScheduleInput):
    shifts = INPUT_SHIFT_IDS


SCHEDULE_CREATE = PolymorphicProxySerializer(
    component_name="ScheduleCreate",
    serializers={
        ScheduleType.ICAL.value: IcalScheduleCreate,
        ScheduleType.CALENDAR.value: CalendarScheduleCreate,
        ScheduleType.WEB.value: WebScheduleCreate,
    },
    resource_type_field_name="type",
)

# Updates are partial (PUT too) and the stored type chooses the rules; `type` is ignored.
SCHEDULE_UPDATE = PolymorphicProxySerializer(
    component_name="ScheduleUpdate",
    serializers=[
        IcalScheduleInput(partial=True),
        CalendarScheduleUpdate(partial=True),
        WebScheduleUpdate(partial=True),
    ],
    resource_type_field_name=None,
)


class FinalShift(serializers.Serializer):
    user_pk = serializers.CharField()
    user_email = serializers.CharField()
    user_username = serializers.CharField()
    shift_start = serializers.CharField(help_text="`YYYY-MM-DDTHH:MM:SSZ`")
    shift_end = serializers.CharField(help_text="`YYYY-MM-DDTHH:MM:SSZ`")


FinalShiftPage = paginated(FinalShift(many=True), "PaginatedFinalShiftList")


class OnCallShiftSpan(serializers.Serializer):
    schedule_id = serializers.CharField()
    schedule_name = serializers.CharField()
    team_id = serializers.CharField(allow_null=True)
    shift_start = serializers.CharField(help_text="`YYYY-MM-DDTHH:MM:SS+00:00`")
    shift_end = serializers.CharField(help_text="`YYYY-MM-DDTHH:MM:SS+00:00`")
    users = serializers.ListField(child=serializers.CharField())


class OnCallAnswer(serializers.Serializer):
    count = serializers.IntegerField()
    users = OnCallUserSerializer(many=True)
    shifts = OnCallShiftSpan(many=True)


DATE_PARAMETERS = [
    OpenApiParameter(
        name,
        OpenApiTypes.STR,
        required=True,
        description="`YYYY-MM-DD` or `YYYY-MM-DDThh:mm`, read as UTC.",
    )
    for name in ("start_date", "end_date")
]
# Accepted and ignored: everything comes in one page.
IGNORED_PAGE_PARAMETERS = [
    OpenApiParameter(name, int, description="Ignored: all rows come in one page.")
    for name in ("page", "perpage")
]
DAYS_PARAMETER = OpenApiParameter(
    "days", int, description="Days to look back or ahead, 1 to 30 (default 7)."
)

CALENDAR = OpenApiResponse(OpenApiTypes.STR, description="An iCalendar document (`text/calendar`).")
EXPORT_ERRORS = {
    status: OpenApiResponse(DetailError, description=description)
    for status, description in (
        (403, "Invalid or deactivated export token (JSON text, same content type)."),
        (405, "Method not allowed."),
        (429, "Throttled; see `RateLimit-Reset`."),
    )
}
WITH_ID: dict[str, Any] = {"parameters": [ID_PARAMETER]}


def export_token_views() -> dict:
    """`GET`/`POST`/`DELETE` on `…/export_token` (shared by schedules and users)."""
    return {
        "export_token": [
            extend_schema(
                methods=["GET"],
                responses={200: ExportTokenSerializer, **error_responses(body=False)},
                **WITH_ID,
            ),
            extend_schema(
                methods=["POST"],
                request=None,
                responses={201: CreatedExportTokenSerializer, **error_responses(body=False)},
                **WITH_ID,
            ),
            extend_schema(
                methods=["DELETE"],
                responses={204: None, **error_responses(body=False)},
                **WITH_ID,
            ),
        ]
    }


def export_view(description: str):
    return extend_schema(
        description=description,
        parameters=[
            ID_PARAMETER,
            OpenApiParameter(
                "token",
                OpenApiTypes.STR,
                description="The export token (or in the `X-Export-Token` header).",
            ),
            OpenApiParameter(
                "X-Export-Token",
                OpenApiTypes.STR,
                location=OpenApiParameter.HEADER,
                description="The export token, kept out of the URL (and of access logs).",
            ),
        ],
        responses={(200, "text/calendar"): CALENDAR, **EXPORT_ERRORS},
    )


SCHEDULE_VIEWS = {
    "list": extend_schema(
        responses={
            200: paginated(schedule_response(many=True), "PaginatedScheduleList"),
            **error_responses(),
        },
    ),
    "create": extend_schema(
        request=SCHEDULE_CREATE, responses={201: SCHEDULE, **error_responses(not_found=False)}
    ),
    "retrieve": extend_schema(responses={200: SCHEDULE, **error_responses(body=False)}, **WITH_ID),
    "update": extend_schema(
        request=SCHEDULE_UPDATE, responses={200: SCHEDULE, **error_responses()}, **WITH_ID
    ),
    "partial_update": extend_schema(
        request=SCHEDULE_UPDATE, responses={200: SCHEDULE, **error_responses()}, **WITH_ID
    ),
    "destroy": extend_schema(responses={204: None, **error_responses(body=False)}, **WITH_ID),
    "final_shifts": extend_schema(
        description="Final shifts of the window, all in one page.",
        parameters=[ID_PARAMETER, *DATE_PARAMETERS, *IGNORED_PAGE_PARAMETERS],
        responses={200: FinalShiftPage, **error_responses()},
    ),
    "current_oncall": extend_schema(
        responses={200: OnCallAnswer, **error_responses(body=False)}, **WITH_ID
    ),
    "previous_oncall": extend_schema(
        parameters=[ID_PARAMETER, DAYS_PARAMETER],
        responses={200: OnCallAnswer, **error_responses()},
    ),
    "next_oncall": extend_schema(
        parameters=[ID_PARAMETER, DAYS_PARAMETER],
        responses={200: OnCallAnswer, **error_responses()},
    ),
    "oncall_log": extend_schema(
        description=(
            "Who was actually on call, as recorded when it happened: the periods that meet the "
            "window, not clipped to it (`end` null: still on call), in time order."
        ),
        parameters=[ID_PARAMETER, *DATE_PARAMETERS],
        responses={
            200: paginated(OnCallPeriodSerializer(many=True), "PaginatedOnCallPeriodList"),
            **error_responses(),
        },
    ),
    **HOURS_VIEWS,
    **export_token_views(),
    "export": export_view("The schedule's final shifts as iCalendar; export token, no API key."),
}

# The export routes of users (`/api/v1/users/{id}/…`).
USER_EXPORT_VIEWS = {
    **export_token_views(),
    "schedule_export": export_view(
        "The user's final shifts across schedules as iCalendar; export token, no API key."
    ),
}
