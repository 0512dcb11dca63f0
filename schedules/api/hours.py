"""The hours report's route: its query, its JSON body and its CSV (docs/hours.md#the-api)."""

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import orjson
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer

from apikit.fields import TimeZoneField
from reports.day_parts import Hours
from reports.hours import HoursReport
from schedules import selectors
from schedules.api.oncall_serializers import render_utc
from schedules.models import Schedule
from shifts.engine import Window

MAX_DAYS = 366
MAX_SCHEDULES = 50
DATE_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d"]
KINDS = ("total", "weekday", "weekend", "night")


class HoursQuery(serializers.Serializer):
    """`start_date`/`end_date` as `YYYY-MM-DD` or `YYYY-MM-DDThh:mm`, read in `time_zone`."""

    start_date = serializers.DateTimeField(input_formats=DATE_FORMATS, default_timezone=UTC)
    end_date = serializers.DateTimeField(input_formats=DATE_FORMATS, default_timezone=UTC)
    time_zone = TimeZoneField(default="UTC")

    def validate(self, attrs: dict) -> dict:
        # Parsed as UTC, then read as the same wall-clock reading in the zone (fold 0: the first
        # of an ambiguous reading, a missing one moved forward by the gap).
        start, end = (attrs[name].replace(tzinfo=None) for name in ("start_date", "end_date"))
        if start > end:
            raise serializers.ValidationError("start_date must be less than or equal to end_date")
        if end - start > timedelta(days=MAX_DAYS):
            raise serializers.ValidationError(
                f"The window from start_date to end_date must be at most {MAX_DAYS} days"
            )
        zone = ZoneInfo(attrs["time_zone"])
        attrs["window"] = Window(
            *(local.replace(tzinfo=zone).astimezone(UTC) for local in (start, end))
        )
        return attrs


class ScheduleIdsField(serializers.ListField):
    """Schedule ids, as repeated parameters (`schedule_ids=A&schedule_ids=B`, what a form
    sends) or comma-separated (`schedule_ids=A,B`), or both."""

    child = serializers.CharField()

    def to_internal_value(self, data):
        if isinstance(data, list):
            data = [part for value in data for part in str(value).split(",") if part.strip()]
        return list(dict.fromkeys(super().to_internal_value(data)))


class SchedulesHoursQuery(HoursQuery):
    schedule_ids = ScheduleIdsField(allow_empty=False, max_length=MAX_SCHEDULES)

    def validate_schedule_ids(self, ids: list[str]) -> list[Schedule]:
        found = {
            schedule.public_id: schedule
            for schedule in selectors.schedules_of(
                organization=self.context["organization"]
            ).filter(public_id__in=ids)
        }
        unknown = [public_id for public_id in ids if public_id not in found]
        if unknown:
            raise serializers.ValidationError(f"Unknown schedules: {', '.join(unknown)}")
        return [found[public_id] for public_id in ids]


def in_hours(time: timedelta) -> float:
    return round(time / timedelta(hours=1), 2)


def in_seconds(time: timedelta) -> float:
    seconds = time.total_seconds()
    return int(seconds) if seconds.is_integer() else seconds


def kinds(hours: Hours, unit) -> dict:
    return {kind: unit(getattr(hours, kind)) for kind in KINDS}


def instant(value: datetime) -> str:
    return render_utc(value, "Z")


def hours_body(report: HoursReport) -> dict:
    return {
        "start": instant(report.window.start),
        "end": instant(report.window.end),
        "time_zone": report.time_zone,
        "schedules": [
            {
                "id": item.schedule.public_id,
                "name": item.schedule.name,
                "logged": item.logged
                and {"start": instant(item.logged.start), "end": instant(item.logged.end)},
            }
            for item in report.schedules
        ],
        "users": [
            {
                "id": item.user.public_id,
                "username": item.user.username,
                "email": item.user.email,
                "hours": kinds(item.hours, in_hours),
                "seconds": kinds(item.hours, in_seconds),
            }
            for item in report.users
        ],
    }


CSV_HEADER = ["user_id", "username", "email", *(f"{kind}_hours" for kind in KINDS)]
# A cell starting with one of these is a formula to spreadsheets: it is written after a `'`.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def hours_csv(body: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for user in body["users"]:
        texts = [cell(user[name]) for name in ("id", "username", "email")]
        writer.writerow([*texts, *(f"{user['hours'][kind]:.2f}" for kind in KINDS)])
    return out.getvalue()


class HoursCsvRenderer(BaseRenderer):
    """The report as CSV, one row per user; errors stay JSON, with a JSON content type."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            response["Content-Type"] = "application/json"
            return orjson.dumps(data)
        return hours_csv(data).encode()


def csv_file_name(subject: str, query: dict) -> str:
    dates = (query[name].strftime("%Y-%m-%d") for name in ("start_date", "end_date"))
    return f"hours-{subject}-{'-'.join(dates)}.csv"
