"""Inputs and outputs of the on-call actions: final_shifts, current/previous/next_oncall."""

from datetime import UTC, datetime, timedelta

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


def final_shifts_page(rows: list[FinalShiftRow]) -> dict:
    """Everything in one fake page, whatever `page`/`perpage` say (upstream behaviour)."""
    # Rows share their bounds (one shift's end is the next one's start): render each once.
    texts = {instant: render_utc(instant, "Z") for row in rows for instant in (row.start, row.end)}
    user_fields: dict[int, dict] = {}
    for row in rows:
        if row.user.pk not in user_fields:
            user_fields[row.user.pk] = {
                "user_pk": row.user.public_id,
                "user_email": row.user.email,
                "user_username": row.user.username,
            }
    return {
        "count": len(rows),
        "next": None,
        "previous": None,
        "results": [
            {
                **user_fields[row.user.pk],
                "shift_start": texts[row.start],
                "shift_end": texts[row.end],
            }
            for row in rows
        ],
        "current_page_number": 1,
        "page_size": FINAL_SHIFTS_PAGE_SIZE,
        "total_pages": 1,
    }


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
