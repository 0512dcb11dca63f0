"""Date-times in the range the service stores (`common.value_range`), in every API: out of it
is the field's 400, in the shape of the API it came through."""

from datetime import datetime

from rest_framework import serializers

from common.value_range import in_range

OUT_OF_RANGE = "Must be between 1970-01-01T00:00:00Z and 9000-01-01T00:00:00Z."


def check_instant(value: datetime) -> datetime:
    """`value`, or the field's validation error when it is out of range."""
    if not in_range(value):
        raise serializers.ValidationError(OUT_OF_RANGE, code="out_of_range")
    return value


class BoundedDateTimeField(serializers.DateTimeField):
    """A DRF date-time in the accepted range."""

    def to_internal_value(self, value):
        return check_instant(super().to_internal_value(value))
