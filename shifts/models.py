"""On-call shifts: rotations, single and recurring events, and overrides."""

from django.db import models

from common.ids import PublicIdField


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
