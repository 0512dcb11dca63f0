"""Inputs and outputs of the on-call actions: final_shifts, current/previous/next_oncall."""

from datetime import UTC, datetime, timedelta

import orjson
from rest_framework import serializers

from schedules.models import Schedule
from schedules.selectors import FinalShiftRow, OnCallAnswer
from users.api.serializers import UserSerializer
from users.models import User

MAX_WINDOW = timedelta(days=365)
FINAL_SHIFTS_PAGE_SIZE = 50


class FinalShiftsQuery(serializers.Serializer):
    """`start_date`/`end_date` as `YYYY-MM-DD` or `YYYY-MM-DDThh:mm`, read as UTC."""

    start_date = serializers.DateTimeField(input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d"])
    end_date = serializers.DateTimeField(input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d"])

    def validate(self, attrs: dict) -> dict:
        # The same tzinfo object as the engine's instants: comparing datetimes whose tzinfo
        # objects differ asks both for their offsets, every time.
        attrs = {name: value.astimezone(UTC) for name, value in attrs.items()}
        if attrs["start_date"] > attrs["end_date"]:
            raise serializers.ValidationError("start_date must be less than or equal to end_date")
        if attrs["end_date"] - attrs["start_date"] > MAX_WINDOW:
            raise serializers.ValidationError(
                "The difference between start_date and end_date must be less than one year "
                "(365 days)"
            )
        return attrs


def render_utc(instant: datetime, suffix: str) -> str:
    """`YYYY-MM-DDTHH:MM:SS` (+ microseconds when present) in UTC with the given zone suffix:
    `Z` for final_shifts, `+00:00` for the on-call actions (seed 002)."""
    return instant.astimezone(UTC).replace(tzinfo=None).isoformat() + suffix


# final_shifts bodies carry datetimes, which orjson writes itself: `Z` for UTC (the engine's
# instants are all UTC), microseconds only when present, as `render_utc(instant, "Z")` does.
FINAL_SHIFTS_JSON = orjson.OPT_UTC_Z


def render_utc_z(value: object) -> str:
    """orjson's fallback, for datetime subclasses (freezegun's) that it does not write itself."""
    if isinstance(value, datetime):
        return render_utc(value, "Z")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


# Everything in one fake page, whatever `page`/`perpage` say (upstream behaviour): the page's
# fields around the results, as orjson writes them.
FINAL_SHIFTS_HEAD = b'{"count":%d,"next":null,"previous":null,"results":['
FINAL_SHIFTS_TAIL = b'],"current_page_number":1,"page_size":%d,"total_pages":1}' % (
    FINAL_SHIFTS_PAGE_SIZE
)


class FinalShiftsWriter:
    """Writes final_shifts bodies, keeping the JSON of each row that no window edge cut: windows
    sliding over a schedule's block of time list mostly the same rows (`timeline_cache`).

    One writer serves one schedule and its users as they are (their versions key it).
    """

    def __init__(self) -> None:
        self.written: dict[tuple[str, datetime, datetime], bytes] = {}

    def body(self, rows: list[FinalShiftRow], window_start: datetime, window_end: datetime):
        written = self.written
        results = []
        for user, start, end in rows:
            key = (user.public_id, start, end)
            row_json = written.get(key)
            if row_json is None:
                row_json = final_shift_json(user, start, end)
                # rows cut at the window's edges differ from window to window: keeping them
                # would grow the writer with every window asked
                if window_start < start and end < window_end:
                    # orjson's bytes keep the capacity of its buffer (about 2 KB): keep a copy
                    # of the row's size instead
                    row_json = memoryview(row_json).tobytes()
                    written[key] = row_json
            results.append(row_json)
        return b"".join((FINAL_SHIFTS_HEAD % len(results), b",".join(results), FINAL_SHIFTS_TAIL))


def final_shift_json(user: User, start: datetime, end: datetime) -> bytes:
    row = {
        "user_pk": user.public_id,
        "user_email": user.email,
        "user_username": user.username,
        "shift_start": start,
        "shift_end": end,
    }
    return orjson.dumps(row, default=render_utc_z, option=FINAL_SHIFTS_JSON)


class OnCallDaysQuery(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=30, default=7)


# Seed 002 lists the phone fields right after `is_phone_number_verified`.
PHONE_AT = UserSerializer.Meta.fields.index("is_phone_number_verified") + 1


class OnCallUserSerializer(UserSerializer):
    """Seed 002's user: `slack` as a list, and the phone number unless the user hid it."""

    phone_number = serializers.SerializerMethodField()
    phone_number_status = serializers.SerializerMethodField()

    class Meta(UserSerializer.Meta):
        fields = [
            *UserSerializer.Meta.fields[:PHONE_AT],
            "phone_number",
            "phone_number_status",
            *UserSerializer.Meta.fields[PHONE_AT:],
        ]

    def get_slack(self, user: User) -> list[dict] | None:
        slack = super().get_slack(user)
        return [slack] if slack else None

    def phone_is_private(self, user: User) -> bool:
        return user.hide_phone_number and not user.organization.override_phone_privacy

    def get_phone_number(self, user: User) -> str | None:
        if not user.phone_number or self.phone_is_private(user):
            return None
        return user.phone_number

    def get_phone_number_status(self, user: User) -> str:
        if not user.phone_number:
            return "not_configured"
        return "private" if self.phone_is_private(user) else "available"


def on_call_answer_body(schedule: Schedule, answer: OnCallAnswer) -> dict:
    team_id = schedule.team.public_id if schedule.team else None
    return {
        "count": len(answer.users),
        "users": OnCallUserSerializer(answer.users, many=True).data,
        "shifts": [
            {
                "schedule_id": schedule.public_id,
                "schedule_name": schedule.name,
                "team_id": team_id,
                "shift_start": render_utc(event.start, "+00:00"),
                "shift_end": render_utc(event.end, "+00:00"),
                "users": list(event.users),
            }
            for event in answer.events
        ],
    }
