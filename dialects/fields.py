"""Input bounds and time formats the dialects share (docs/dialects.md)."""

from datetime import UTC, datetime

from rest_framework import serializers

from apikit.bounds import BoundedDateTimeField

# Bodies are bounded before anything in them is looked at one by one: a rotation (and a Signal
# schedule) names at most this many members, an Instatus schedule has at most this many shifts,
# a shift at most this many time intervals.
MAX_MEMBERS = 1000
MAX_SHIFTS = 50
MAX_INTERVALS = 50


class BoundedListField(serializers.ListField):
    """A list field that refuses a list longer than `max_length` before validating its items
    (DRF's own check runs after them)."""

    def to_internal_value(self, data):
        if self.max_length is not None and isinstance(data, list) and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class DateTimeInZoneField(BoundedDateTimeField):
    """A date-time; one without an offset stays naive, to be read in the schedule's zone."""

    def enforce_timezone(self, value: datetime) -> datetime:
        return value if value.tzinfo is None else super().enforce_timezone(value)


def seconds_z(instant: datetime | None) -> str | None:
    """`2024-01-15T00:00:00Z` (Signal's answers)."""
    return None if instant is None else instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def millis_z(instant: datetime | None) -> str | None:
    """`2024-08-09T08:42:34.557Z` (Instatus's answers)."""
    if instant is None:
        return None
    instant = instant.astimezone(UTC)
    return f"{instant:%Y-%m-%dT%H:%M:%S}.{instant.microsecond // 1000:03d}Z"
