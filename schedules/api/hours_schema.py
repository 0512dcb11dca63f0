"""OpenAPI of the hours report (`…/schedules/{id}/hours`, `…/schedules/hours`). Documentation
only: nothing here validates or renders."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers

from apikit.schema import ID_PARAMETER, error_responses
from schedules.api.hours import KINDS, MAX_DAYS, MAX_SCHEDULES

JSON = "application/json"
CSV = "text/csv"


def kinds_serializer(name: str, help_text: str) -> type[serializers.Serializer]:
    fields = {kind: serializers.FloatField(help_text=help_text) for kind in KINDS}
    return type(name, (serializers.Serializer,), fields)


HoursInHours = kinds_serializer("HoursInHours", "Hours, rounded to two decimals.")
HoursInSeconds = kinds_serializer("HoursInSeconds", "Seconds, exact.")


class HoursWindow(serializers.Serializer):
    start = serializers.CharField(help_text="`YYYY-MM-DDTHH:MM:SSZ`")
    end = serializers.CharField(help_text="`YYYY-MM-DDTHH:MM:SSZ`")


class HoursSchedule(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    logged = HoursWindow(
        allow_null=True, help_text="The part of the window the on-call log answered, if any."
    )


class HoursUser(serializers.Serializer):
    id = serializers.CharField()
    username = serializers.CharField()
    email = serializers.CharField()
    hours = HoursInHours()
    seconds = HoursInSeconds()


class HoursReport(serializers.Serializer):
    start = serializers.CharField(help_text="The window's start, `YYYY-MM-DDTHH:MM:SSZ`.")
    end = serializers.CharField(help_text="The window's end (excluded), `YYYY-MM-DDTHH:MM:SSZ`.")
    time_zone = serializers.CharField()
    schedules = HoursSchedule(many=True)
    users = HoursUser(many=True)


QUERY = [
    *(
        OpenApiParameter(
            name,
            OpenApiTypes.STR,
            required=True,
            description=(
                f"`YYYY-MM-DD` or `YYYY-MM-DDThh:mm`, read in `time_zone`; at most {MAX_DAYS} "
                "days apart. The window is `[start_date, end_date)`."
            ),
        )
        for name in ("start_date", "end_date")
    ),
    OpenApiParameter(
        "time_zone",
        OpenApiTypes.STR,
        description="The zone of the dates, of nights (22:00-07:00) and of weekends (default UTC).",
    ),
    OpenApiParameter(
        "format", OpenApiTypes.STR, enum=["json", "csv"], description="Instead of `Accept`."
    ),
]
SCHEDULE_IDS = OpenApiParameter(
    "schedule_ids",
    {"type": "array", "items": {"type": "string"}},
    required=True,
    description=(
        f"1 to {MAX_SCHEDULES} schedule ids, repeated or comma-separated; the hours of each user "
        "are summed over them."
    ),
)


def responses(*, not_found: bool) -> dict:
    """The report in JSON or CSV; errors are JSON whatever was asked."""
    errors = error_responses(not_found=not_found)
    return {
        (200, JSON): HoursReport,
        (200, CSV): OpenApiResponse(
            OpenApiTypes.STR,
            description="`user_id,username,email,total_hours,weekday_hours,weekend_hours,"
            "night_hours`, one row per user.",
        ),
        **{(code, JSON): answer for code, answer in errors.items()},
    }


DESCRIPTION = (
    "Hours on call per user over the window, split into weekday and weekend (local days of "
    "`time_zone`) with night (22:00-07:00) counted within them: the on-call log answers the "
    "past it records, the schedule the rest. JSON, or CSV for `Accept: text/csv` or "
    "`format=csv`."
)

HOURS_VIEWS = {
    "hours": extend_schema(
        operation_id="schedules_hours",
        description=DESCRIPTION,
        parameters=[ID_PARAMETER, *QUERY],
        responses=responses(not_found=True),
    ),
    "hours_of_schedules": extend_schema(
        operation_id="schedules_hours_of_schedules",
        description=DESCRIPTION,
        parameters=[SCHEDULE_IDS, *QUERY],
        responses=responses(not_found=False),
    ),
}
