"""Serializer fields shared by several resources, with upstream's messages."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rest_framework import serializers

from apikit.bounds import BoundedDateTimeField

# `Etc/UTC`-style aliases are all valid; we validate against the installed tz database.
VALID_TIME_ZONES = frozenset(available_timezones())


def is_valid_time_zone(name: str) -> bool:
    if name not in VALID_TIME_ZONES:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


class TimeZoneField(serializers.CharField):
    default_error_messages = {"invalid_time_zone": "Invalid timezone"}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not is_valid_time_zone(value):
            self.fail("invalid_time_zone")
        return value


class SlackSerializer(serializers.Serializer):
    """Slack channel and user group of a schedule; always rendered as an object."""

    channel_id = serializers.CharField(allow_null=True, required=False, max_length=50)
    user_group_id = serializers.CharField(allow_null=True, required=False, max_length=50)


class ZonedDateTimeField(BoundedDateTimeField):
    """An instant that must carry its zone (`Z` or `±HH[:]MM`, microseconds optional), written
    back in UTC with six fractional digits: `YYYY-MM-DDTHH:MM:SS.ffffffZ` (upstream's shift
    swap times)."""

    OUTPUT_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
    INPUT_FORMATS = (
        "%Y-%m-%dT%H:%M:%SZ",
        "%Y-%m-%dT%H:%M:%S.%fZ",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S.%f%z",
    )

    def __init__(self, **kwargs):
        super().__init__(format=self.OUTPUT_FORMAT, input_formats=self.INPUT_FORMATS, **kwargs)
