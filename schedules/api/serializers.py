"""Schedules on the wire: one input serializer per type, per-type response key sets."""

from rest_framework import serializers

from apikit.exceptions import BadRequest, FieldMessage
from apikit.fields import SlackSerializer, TimeZoneField
from integrations.ical_feed import DOWNLOAD_FAILED, CalendarFeedError
from schedules.models import URL_MAX_LENGTH, Schedule, ScheduleType
from shifts.models import OnCallShift, ShiftType
from users.api.fields import TeamIdField

OVERRIDES_NOT_SUPPORTED = "Shifts of type override are not supported in this schedule"


class IcalUrlField(serializers.CharField):
    """A feed URL that must download and parse, as upstream checks it. The view downloads it
    before the write's transaction and passes the outcome by URL in `feed_downloads`;
    validation itself never downloads."""

    def __init__(self, **kwargs):
        super().__init__(max_length=URL_MAX_LENGTH, **kwargs)

    def run_validation(self, data=serializers.empty) -> str | None:
        url = super().run_validation(data)
        if url is None:
            return None
        outcome = self.context.get("feed_downloads", {}).get(url)
        if outcome is None:
            raise serializers.ValidationError(DOWNLOAD_FAILED)
        if isinstance(outcome, CalendarFeedError):
            raise serializers.ValidationError(str(outcome))
        return url


def feed_urls_written(data, instance: Schedule | None) -> list[str]:
    """The feed URLs a create or update sets, as the input serializer will read them: each URL
    given for an ical schedule (upstream checks them on every write); a calendar schedule's
    overrides URL when it changes (not checked: its feed is downloaded to be kept)."""
    if not isinstance(data, dict):
        return []
    schedule_type = instance.type if instance is not None else data.get("type")
    urls = []
    for name in ("ical_url_primary", "ical_url_overrides"):
        value = data.get(name)
        url = value.strip() if isinstance(value, str) else ""
        if not url or len(url) > URL_MAX_LENGTH:
            continue
        if schedule_type == ScheduleType.ICAL or (
            schedule_type == ScheduleType.CALENDAR
            and name == "ical_url_overrides"
            and (instance is None or url != instance.ical_url_overrides)
        ):
            urls.append(url)
    return urls


class ShiftIdListField(serializers.ListField):
    """Shift ids of the organization; unknown ids are dropped silently, null means none."""

    child = serializers.CharField()

    def validate_empty_values(self, data):
        if data is None:
            return True, []
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        ids = super().to_internal_value(data)
        found = OnCallShift.objects.filter(
            organization=self.context["organization"], public_id__in=ids
        )
        return list(found.order_by("id"))


# `slack` on the wire, two fields of the schedule.
SLACK_FIELDS = {"channel_id": "slack_channel_id", "user_group_id": "slack_user_group_id"}


class ScheduleInputBase(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    team_id = TeamIdField(source="team")
    slack = SlackSerializer(required=False)

    def validate(self, attrs: dict) -> dict:
        # Only the keys present change; `{}` changes nothing.
        slack = attrs.pop("slack", {})
        for key, field in SLACK_FIELDS.items():
            if key in slack:
                attrs[field] = slack[key]
        return attrs


class IcalScheduleInput(ScheduleInputBase):
    ical_url_primary = IcalUrlField()
    ical_url_overrides = IcalUrlField(allow_null=True, required=False)


class CalendarScheduleInput(ScheduleInputBase):
    time_zone = TimeZoneField()
    ical_url_overrides = serializers.CharField(
        max_length=URL_MAX_LENGTH, allow_null=True, allow_blank=True, required=False
    )
    enable_web_overrides = serializers.BooleanField(allow_null=True, required=False)
    shifts = ShiftIdListField(required=False, allow_null=True)

    def validate_enable_web_overrides(self, value) -> bool:
        return bool(value)

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        web_overrides = attrs.get(
            "enable_web_overrides", self.instance.enable_web_overrides if self.instance else False
        )
        shifts = attrs.get("shifts") or []
        # With web overrides on, override shifts form the override layer
        # (docs/differences.md#overrides-through-the-api).
        if not web_overrides and any(shift.type == ShiftType.OVERRIDE for shift in shifts):
            raise BadRequest(OVERRIDES_NOT_SUPPORTED)
        return attrs


class WebScheduleInput(ScheduleInputBase):
    time_zone = TimeZoneField()
    shifts = ShiftIdListField(required=False, allow_null=True)


INPUT_BY_TYPE = {
    ScheduleType.ICAL: IcalScheduleInput,
    ScheduleType.CALENDAR: CalendarScheduleInput,
    ScheduleType.WEB: WebScheduleInput,
}


def input_serializer_for_create(data) -> type[ScheduleInputBase]:
    """Upstream requires `type` and infers nothing; its errors are bare strings."""
    schedule_type = data.get("type") if isinstance(data, dict) else None
    if schedule_type is None:
        raise FieldMessage("type", "This field is required")
    if schedule_type not in INPUT_BY_TYPE:
        raise FieldMessage("type", "Invalid type")
    return INPUT_BY_TYPE[schedule_type]


KEYS_BY_TYPE: dict[str, list[str]] = {
    ScheduleType.ICAL: [
        "id",
        "team_id",
        "name",
        "type",
        "ical_url_primary",
        "ical_url_overrides",
        "on_call_now",
        "slack",
    ],
    ScheduleType.CALENDAR: [
        "id",
        "team_id",
        "name",
        "type",
        "time_zone",
        "on_call_now",
        "shifts",
        "ical_url_overrides",
        "enable_web_overrides",
        "slack",
    ],
    ScheduleType.WEB: [
        "id",
        "team_id",
        "name",
        "type",
        "time_zone",
        "on_call_now",
        "shifts",
        "slack",
    ],
}


def listed_shifts(schedule: Schedule) -> list[OnCallShift]:
    """The shifts `selectors.schedule_list` listed on `schedule`: those a web schedule owns, or
    those linked to any other."""
    listed = "listed_owned_shifts" if schedule.type == ScheduleType.WEB else "listed_linked_shifts"
    return getattr(schedule, listed)


class ScheduleSerializer(serializers.BaseSerializer):
    """Renders a schedule with upstream's key set for its type (read-only; inputs are above).

    Needs `on_call_now` in the context (schedule pk → on-call user ids) and the shift id
    lists of `selectors.schedule_list`. Written out by hand: lists render 50 at a time.
    """

    def to_representation(self, schedule: Schedule) -> dict:
        shifts = listed_shifts(schedule)
        values = {
            "id": schedule.public_id,
            "team_id": schedule.team.public_id if schedule.team else None,
            "name": schedule.name,
            "type": schedule.type,
            "time_zone": schedule.time_zone,
            "on_call_now": self.context["on_call_now"].get(schedule.pk, []),
            "shifts": [shift.public_id for shift in shifts],
            "ical_url_primary": schedule.ical_url_primary,
            "ical_url_overrides": schedule.ical_url_overrides,
            "enable_web_overrides": schedule.enable_web_overrides,
            "slack": {
                "channel_id": schedule.slack_channel_id,
                "user_group_id": schedule.slack_user_group_id,
            },
        }
        return {key: values[key] for key in KEYS_BY_TYPE[schedule.type]}
