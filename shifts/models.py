"""On-call shifts: rotations, single and recurring events, and overrides."""

from datetime import datetime, timedelta
from typing import Protocol

from django.db import models

from common import value_range
from common.ids import PublicIdField

# A shift lasts at least a second and at most ten years (docs/api.md#value-ranges).
MIN_DURATION = timedelta(seconds=1)
MAX_DURATION = timedelta(days=3660)


class ShiftValues(Protocol):
    """What `values_in_range` reads of a shift: a model instance or its values."""

    @property
    def start(self) -> datetime: ...
    @property
    def rotation_start(self) -> datetime | None: ...
    @property
    def until(self) -> datetime | None: ...
    @property
    def duration(self) -> timedelta: ...
    @property
    def interval(self) -> int | None: ...


def values_in_range(shift: ShiftValues) -> bool:
    """Whether a shift's times, length and step are in the range the API accepts: a row stored
    before the range was enforced may not be (docs/api.md#value-ranges)."""
    instants = (shift.start, shift.rotation_start, shift.until)
    return (
        all(value_range.in_range(instant) for instant in instants if instant is not None)
        and MIN_DURATION <= shift.duration <= MAX_DURATION
        and (shift.interval or 1) <= value_range.MAX_INTERVAL
    )


class ShiftType(models.TextChoices):
    SINGLE_EVENT = "single_event"
    RECURRENT_EVENT = "recurrent_event"
    ROLLING_USERS = "rolling_users"
    OVERRIDE = "override"


class Frequency(models.TextChoices):
    HOURLY = "hourly"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class Source(models.IntegerChoices):
    """Where a shift was created; upstream's codes, which clients send as `source`."""

    WEB = 0, "web"
    API = 1, "api"
    SLACK = 2, "slack"
    TERRAFORM = 3, "terraform"


class Weekday(models.TextChoices):
    MO = "MO"
    TU = "TU"
    WE = "WE"
    TH = "TH"
    FR = "FR"
    SA = "SA"
    SU = "SU"


# Level upstream gives web-created overrides so that they beat API and iCal overrides.
WEB_OVERRIDE_LEVEL = 99


class OnCallShift(models.Model):
    """A shift definition.

    `start`, `rotation_start` and `until` hold wall-clock readings: they are stored with a UTC label
    but mean "this clock time in the shift's effective zone" (`until` is read as UTC, as upstream).
    """

    public_id = PublicIdField(prefix="O")
    organization = models.ForeignKey(
        "users.Organization", on_delete=models.CASCADE, related_name="shifts"
    )
    team = models.ForeignKey(
        "users.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="shifts"
    )
    # The web schedule that owns this shift (calendar schedules link shifts many-to-many).
    schedule = models.ForeignKey(
        "schedules.Schedule",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="owned_shifts",
    )
    name = models.CharField(max_length=200, null=True, blank=True)
    type = models.CharField(max_length=20, choices=ShiftType.choices)
    source = models.PositiveSmallIntegerField(choices=Source.choices, default=Source.API)
    level = models.IntegerField(default=0)
    time_zone = models.CharField(max_length=100, null=True, blank=True)
    start = models.DateTimeField()
    rotation_start = models.DateTimeField()
    duration = models.DurationField()
    until = models.DateTimeField(null=True, blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, null=True, blank=True)
    interval = models.PositiveIntegerField(null=True, blank=True)
    week_start = models.CharField(max_length=2, choices=Weekday.choices, default=Weekday.SU)
    by_day = models.JSONField(null=True, blank=True)
    by_month = models.JSONField(null=True, blank=True)
    by_monthday = models.JSONField(null=True, blank=True)
    users = models.ManyToManyField("users.User", blank=True, related_name="shifts")
    # Groups of user public ids, in rotation order.
    rolling_users = models.JSONField(null=True, blank=True)
    start_rotation_from_user_index = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(type__in=ShiftType.values), name="shift_type_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(interval__isnull=True) | models.Q(interval__gte=1),
                name="shift_interval_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.public_id} ({self.type})"


class RotationKind(models.TextChoices):
    """How a rotation layer was described: its turns last a day, a week, a custom length, or a
    day each for the days of the week (a Signal weekly schedule)."""

    DAILY = "daily"
    WEEKLY = "weekly"
    CUSTOM = "custom"
    WEEKDAYS = "weekdays"


class LengthUnit(models.TextChoices):
    HOURS = "hours"
    DAYS = "days"
    WEEKS = "weeks"


class RestrictionKind(models.TextChoices):
    NONE = "none"
    TIME_OF_DAY = "time_of_day"
    WEEKLY = "weekly"


class Rotation(models.Model):
    """A rotation layer of a schedule of rotations (docs/rotations.md#restricted-rotations): its
    members take turns of `length` `unit`s from `start` until `end`, on call only inside its
    restriction windows, read like its day and week hand-overs in `time_zone`."""

    public_id = PublicIdField(prefix="R")
    schedule = models.ForeignKey(
        "schedules.Schedule", on_delete=models.CASCADE, related_name="rotations"
    )
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=200, null=True, blank=True)
    kind = models.CharField(max_length=10, choices=RotationKind.choices)
    length = models.PositiveIntegerField()
    unit = models.CharField(max_length=5, choices=LengthUnit.choices)
    time_zone = models.CharField(max_length=100, default="UTC")
    start = models.DateTimeField()
    end = models.DateTimeField(null=True, blank=True)
    restriction = models.CharField(
        max_length=11, choices=RestrictionKind.choices, default=RestrictionKind.NONE
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(length__gte=1), name="rotation_length_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")),
                name="rotation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.public_id} ({self.length} {self.unit})"


class RotationMember(models.Model):
    """A member's place in a rotation: its turn comes in `order` (then list position); a member
    without a user is a turn with nobody on call."""

    public_id = PublicIdField(prefix="M")
    rotation = models.ForeignKey(Rotation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        "users.User", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveIntegerField()
    order = models.PositiveIntegerField()
    color = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.rotation}: member {self.position}"


class RestrictionWindow(models.Model):
    """A window a rotation's members may be on call in: every day from `start_time` to
    `end_time`, or every week from `start_day` at `start_time` to `end_day` at `end_time`
    (Monday is 0); an end not after the start wraps."""

    public_id = PublicIdField(prefix="W")
    rotation = models.ForeignKey(Rotation, on_delete=models.CASCADE, related_name="windows")
    position = models.PositiveIntegerField()
    start_day = models.PositiveSmallIntegerField(null=True, blank=True)
    start_time = models.TimeField()
    end_day = models.PositiveSmallIntegerField(null=True, blank=True)
    end_time = models.TimeField()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_day__isnull=True, end_day__isnull=True)
                | models.Q(start_day__lte=6, end_day__lte=6),
                name="restriction_window_days",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rotation}: window {self.position}"
