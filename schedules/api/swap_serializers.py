"""Shift swap requests on the wire: upstream's bodies, time formats and messages
(docs/api.md#shift-swaps)."""

import hashlib
from datetime import UTC, datetime, timedelta

from rest_framework import serializers

import timeline
from apikit.fields import ZonedDateTimeField
from schedules.models import Schedule, ShiftSwap
from shifts import engine
from users.models import User

DESCRIPTION_MAX_LENGTH = 3000
# The longest swap: its `shifts` are a final schedule of its period, bounded as final_shifts'
# windows are (docs/differences.md#shift-swaps).
MAX_SWAP = timedelta(days=365)
IN_THE_PAST = "swap_start must be a datetime in the future"
END_BEFORE_START = "swap_end must occur after swap_start"
TOO_LONG = "The difference between swap_start and swap_end must be less than one year (365 days)"
ONE_TIME_ONLY = (
    "when doing a partial update on time related fields, both start and end times must be specified"
)


class OrganizationScheduleField(serializers.RelatedField):
    """A schedule of the caller's organization by public id, with upstream's messages."""

    default_error_messages = {
        "does_not_exist": "Object does not exist",
        "invalid": "Invalid values",
    }

    def get_queryset(self):
        return Schedule.objects.filter(organization=self.context["organization"])

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid")
        try:
            return self.get_queryset().get(public_id=str(data))
        except Schedule.DoesNotExist:
            self.fail("does_not_exist")

    def to_representation(self, value: Schedule) -> str:  # type: ignore[override]
        return value.public_id


class ShiftSwapInput(serializers.Serializer):
    """Body of POST (all times required), PUT (too) and PATCH (both times or neither)."""

    schedule = OrganizationScheduleField()
    swap_start = ZonedDateTimeField()
    swap_end = ZonedDateTimeField()
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX_LENGTH, allow_null=True, required=False
    )

    def validate(self, attrs: dict) -> dict:
        start, end = attrs.get("swap_start"), attrs.get("swap_end")
        if self.partial and (start is None) != (end is None):
            raise serializers.ValidationError(ONE_TIME_ONLY)
        if start is not None and end is not None:
            if self.context["now"] > start:
                raise serializers.ValidationError(IN_THE_PAST)
            if start > end:
                raise serializers.ValidationError(END_BEFORE_START)
            if end - start > MAX_SWAP:
                raise serializers.ValidationError(TOO_LONG)
        return attrs


def avatar_url(user: User) -> str:
    """Upstream shows the user's Grafana avatar, which Grafana draws from Gravatar by the
    e-mail's MD5 digest; there is no Grafana here, so this is Gravatar's address for it."""
    digest = hashlib.md5(user.email.strip().lower().encode(), usedforsecurity=False).hexdigest()
    return f"https://www.gravatar.com/avatar/{digest}"


def event_user(user: User) -> dict:
    """A user as upstream's schedule events and expanded swaps show one."""
    return {
        "display_name": user.username,
        "email": user.email,
        "pk": user.public_id,
        "avatar_full": avatar_url(user),
    }


def event_time(instant: datetime) -> str:
    """Times of upstream's schedule events (its JSON encoder's): ISO 8601 in UTC with `Z`,
    milliseconds only when there are any."""
    text = instant.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds")
    return (text.removesuffix(".000") if not instant.microsecond else text) + "Z"


def swap_event(event: engine.FinalEvent, users: dict[str, User]) -> dict:
    """A final event as upstream's schedule events show it; the user there through a swap
    carries it (`swap_request`, with the user stood in for when the swap is taken)."""
    marks = {mark.user_index: mark for mark in event.swaps}
    shown = []
    for index, user_id in enumerate(event.users):
        entry = event_user(users[user_id])
        mark = marks.get(index)
        if mark is not None:
            entry["swap_request"] = {"pk": mark.swap_id}
            if mark.taken:
                entry["swap_request"]["user"] = event_user(users[mark.beneficiary])
        shown.append(entry)
    is_override = event.calendar_type == engine.CalendarType.OVERRIDES
    return {
        "all_day": event.all_day,
        "start": event_time(event.start),
        "end": event_time(event.end),
        "users": shown,
        # Names a feed gives that match nobody are not kept with final events.
        "missing_users": [],
        "priority_level": event.level,
        "source": event.source.value if event.source else None,
        "calendar_type": None if event.calendar_type is None else int(event.calendar_type),
        "is_empty": False,
        "is_gap": event.is_gap,
        "is_override": is_override,
        "shift": {"pk": event.shift_id},
    }


class ShiftSwapSerializer(serializers.ModelSerializer):
    """A swap in lists. Its `status` is as of the request's time (`now` in the context)."""

    id = serializers.CharField(source="public_id", read_only=True)
    created_at = ZonedDateTimeField(read_only=True)
    updated_at = ZonedDateTimeField(read_only=True)
    status = serializers.SerializerMethodField()
    schedule = serializers.CharField(source="schedule.public_id", read_only=True)
    swap_start = ZonedDateTimeField(read_only=True)
    swap_end = ZonedDateTimeField(read_only=True)
    beneficiary = serializers.SerializerMethodField()
    benefactor = serializers.SerializerMethodField()

    class Meta:
        model = ShiftSwap
        fields = [
            "id",
            "created_at",
            "updated_at",
            "status",
            "schedule",
            "swap_start",
            "swap_end",
            "description",
            "beneficiary",
            "benefactor",
        ]

    def get_status(self, swap: ShiftSwap) -> str:
        return swap.status(self.context["now"])

    def get_beneficiary(self, swap: ShiftSwap) -> str:
        return swap.beneficiary.public_id

    def get_benefactor(self, swap: ShiftSwap) -> str | None:
        return swap.benefactor.public_id if swap.benefactor else None


class ShiftSwapDetailSerializer(ShiftSwapSerializer):
    """A swap on its own: also the final events of its period it puts someone in."""

    shifts = serializers.SerializerMethodField()

    class Meta(ShiftSwapSerializer.Meta):
        fields = [*ShiftSwapSerializer.Meta.fields, "shifts"]

    def get_shifts(self, swap: ShiftSwap) -> list[dict]:
        found = timeline.swap_shifts(swap, self.context["now"])
        return [swap_event(event, found.users) for event in found.by_schedule[swap.schedule_id]]


class ExpandedUsers:
    """`expand_users=true`: beneficiary and benefactor as users rather than ids."""

    def get_beneficiary(self, swap: ShiftSwap) -> dict:
        return event_user(swap.beneficiary)

    def get_benefactor(self, swap: ShiftSwap) -> dict | None:
        return event_user(swap.benefactor) if swap.benefactor else None


class ExpandedShiftSwapSerializer(ExpandedUsers, ShiftSwapSerializer):  # type: ignore[misc]
    pass


class ExpandedShiftSwapDetailSerializer(ExpandedUsers, ShiftSwapDetailSerializer):  # type: ignore[misc]
    pass
