"""Shift fields whose parse errors are upstream's `400 {"detail": …}` rule errors."""

from datetime import UTC, datetime

from rest_framework import serializers

from apikit.bounds import check_instant
from apikit.exceptions import BadRequest
from shifts.models import MAX_DURATION, MIN_DURATION, Frequency, ShiftType, Weekday

WALL_CLOCK_FORMAT = "%Y-%m-%dT%H:%M:%S"
WEEKDAY_LIST = ", ".join(f"'{day}'" for day in Weekday.values)

INVALID_DATETIME = "Invalid datetime format, should be \"yyyy-mm-dd'T'hh:mm:ss\""
INVALID_SHIFT_TYPE = "Invalid shift type"
INVALID_FREQUENCY = "Invalid frequency type"
INVALID_WEEK_START = (
    f"Invalid day format for week start field. Should be one of the following: {WEEKDAY_LIST}"
)
INVALID_BY_DAY = f"Invalid day value in by_day field. Valid values: {WEEKDAY_LIST}"
INVALID_BY_MONTH = "Invalid month value in by_month field. Valid values: from 1 to 12"
INVALID_BY_MONTHDAY = (
    "Invalid monthday value in by_monthday field. Valid values: from 1 to 31 and from -31 to -1"
)


def render_wall_clock(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime(WALL_CLOCK_FORMAT) if value else None


class WallClockField(serializers.Field):
    """Strict `YYYY-MM-DDTHH:MM:SS` (no zone, no fraction) in the accepted range, kept with a
    UTC label."""

    def to_internal_value(self, data):
        try:
            parsed = datetime.strptime(str(data), WALL_CLOCK_FORMAT)
        except ValueError:
            raise BadRequest(INVALID_DATETIME) from None
        return check_instant(parsed.replace(tzinfo=UTC))

    def to_representation(self, value):
        return render_wall_clock(value)


class RuleChoiceField(serializers.Field):
    """A choice whose invalid value is a rule error with a fixed message."""

    def __init__(self, *, choices, message: str, **kwargs):
        self.choices = frozenset(choices)
        self.message = message
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or data not in self.choices:
            raise BadRequest(self.message)
        return data

    def to_representation(self, value):
        return value


class RuleListField(serializers.ListField):
    """A list of choices; `[]` is stored as null, as upstream does."""

    def __init__(self, *, valid, message: str, **kwargs):
        self.valid = valid
        self.message = message
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, list):
            # Upstream's plain ListField answers a non-list with the field error, not the rule.
            self.fail("not_a_list", input_type=type(data).__name__)
        if not all(self.valid(item) for item in data):
            raise BadRequest(self.message)
        return list(data) or None


def is_weekday(value) -> bool:
    return value in Weekday.values


def is_month(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 12


def is_monthday(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= abs(value) <= 31


def shift_type_field(**kwargs) -> RuleChoiceField:
    return RuleChoiceField(choices=ShiftType.values, message=INVALID_SHIFT_TYPE, **kwargs)


def frequency_field(**kwargs) -> RuleChoiceField:
    return RuleChoiceField(choices=Frequency.values, message=INVALID_FREQUENCY, **kwargs)


def week_start_field(**kwargs) -> RuleChoiceField:
    return RuleChoiceField(choices=Weekday.values, message=INVALID_WEEK_START, **kwargs)


def by_day_field() -> RuleListField:
    return RuleListField(valid=is_weekday, message=INVALID_BY_DAY)


def by_month_field() -> RuleListField:
    return RuleListField(valid=is_month, message=INVALID_BY_MONTH)


def by_monthday_field() -> RuleListField:
    return RuleListField(valid=is_monthday, message=INVALID_BY_MONTHDAY)


class ShiftDurationField(serializers.DurationField):
    """Seconds (number or numeric string), `[DD] [HH:[MM:]]ss[.uuuuuu]` or ISO 8601; out as
    integer seconds. Non-positive and absurdly long durations are refused (upstream accepts them
    and then renders nothing or overflows)."""

    def __init__(self, **kwargs):
        super().__init__(min_value=MIN_DURATION, max_value=MAX_DURATION, **kwargs)

    def to_internal_value(self, value):
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        try:
            return super().to_internal_value(value)
        except OverflowError:
            self.fail("max_value", max_value=MAX_DURATION)

    def to_representation(self, value):
        return int(value.total_seconds())
