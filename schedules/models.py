"""Schedules: one model for the three upstream types; their shift swap requests."""

from datetime import datetime

from django.db import models
from django.utils import timezone

from common.ids import PublicIdField
from users.models import HashedSecret


class ScheduleType(models.TextChoices):
    ICAL = "ical"
    CALENDAR = "calendar"
    WEB = "web"
    # Rotation layers written through the Signal or Instatus API (docs/dialects.md).
    ROTATIONS = "rotations"


class Dialect(models.TextChoices):
    """The API other than upstream's that a schedule is written through."""

    SIGNAL = "signal"
    INSTATUS = "instatus"


URL_MAX_LENGTH = 500


class Schedule(models.Model):
    public_id = PublicIdField(prefix="S")
    organization = models.ForeignKey(
        "users.Organization", on_delete=models.CASCADE, related_name="schedules"
    )
    type = models.CharField(max_length=10, choices=ScheduleType.choices)
    name = models.CharField(max_length=200)
    team = models.ForeignKey(
        "users.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="schedules"
    )
    time_zone = models.CharField(max_length=100, default="UTC")
    slack_channel_id = models.CharField(max_length=50, null=True, blank=True)
    slack_user_group_id = models.CharField(max_length=50, null=True, blank=True)
    ical_url_primary = models.CharField(max_length=URL_MAX_LENGTH, null=True, blank=True)
    ical_url_overrides = models.CharField(max_length=URL_MAX_LENGTH, null=True, blank=True)
    enable_web_overrides = models.BooleanField(default=False)
    # Shifts linked to a calendar schedule; web schedules own theirs (OnCallShift.schedule).
    linked_shifts = models.ManyToManyField(
        "shifts.OnCallShift", blank=True, related_name="calendar_schedules"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped by every write that can change the schedule's final shifts; part of cache keys.
    version = models.PositiveBigIntegerField(default=0)
    # Schedules of rotation layers (`shifts.Rotation`): the API that writes them, whether anybody
    # is on call (switched off, they keep their data), and their description.
    dialect = models.CharField(max_length=10, choices=Dialect.choices, null=True, blank=True)
    enabled = models.BooleanField(default=True)
    description = models.TextField(null=True, blank=True)
    # When a write last bumped `version`: the on-call log dates an edit's change by it
    # (docs/oncall-events.md#edits).
    changed_at = models.DateTimeField(null=True, blank=True)
    # The starts of the schedule's open swaps that were still ahead at the last swap write,
    # sorted, as `schedules.versions.instant_text` writes them: an open swap changes the final
    # shifts until its start passes, with no write then; cache keys count how many have passed
    # (docs/performance.md#answers-that-change-with-time).
    open_swap_starts = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(type__in=ScheduleType.values), name="schedule_type_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(type=ScheduleType.ROTATIONS, dialect__isnull=False)
                | (~models.Q(type=ScheduleType.ROTATIONS) & models.Q(dialect__isnull=True)),
                name="rotations_schedule_has_dialect",
            ),
            models.CheckConstraint(
                condition=~models.Q(type=ScheduleType.ICAL)
                | models.Q(ical_url_primary__isnull=False),
                name="ical_schedule_has_primary_url",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.type})"


class ScheduleMember(models.Model):
    """The people a schedule names besides its rotations, in order: a Signal schedule's
    `members` (its weekly days may only name them)."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="roster")
    user = models.ForeignKey("users.User", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.schedule}: member {self.position}"


class CalendarKind(models.TextChoices):
    PRIMARY = "primary"
    OVERRIDES = "overrides"


class CachedCalendar(models.Model):
    """The last good copy of a schedule's remote iCal feed, and what happened when fetching it.

    A failed refresh keeps `text` (docs/differences.md#failed-feed-downloads) and records the error
    and when it happened.
    """

    schedule = models.ForeignKey(
        Schedule, on_delete=models.CASCADE, related_name="cached_calendars"
    )
    kind = models.CharField(max_length=10, choices=CalendarKind.choices)
    url = models.CharField(max_length=URL_MAX_LENGTH)
    text = models.TextField(null=True, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    # Validators of the copy, sent back as If-None-Match / If-Modified-Since on refresh.
    etag = models.CharField(max_length=200, null=True, blank=True)
    last_modified = models.CharField(max_length=100, null=True, blank=True)
    last_error = models.TextField(null=True, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["schedule", "kind"], name="one_calendar_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.schedule} {self.kind}: {self.url}"


class ExportToken(HashedSecret):
    """A secret that opens one iCal export (a schedule's or a user's) without an API token.

    Only a lookup prefix and a SHA-256 digest are stored (`users.tokens`). Revoked and replaced
    tokens are kept with `revoked_at` set so that using one answers "deactivated", as upstream.
    """

    organization = models.ForeignKey(
        "users.Organization", on_delete=models.CASCADE, related_name="export_tokens"
    )
    schedule = models.ForeignKey(
        Schedule, null=True, blank=True, on_delete=models.CASCADE, related_name="export_tokens"
    )
    user = models.ForeignKey(
        "users.User", null=True, blank=True, on_delete=models.CASCADE, related_name="export_tokens"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(schedule__isnull=False, user__isnull=True)
                | models.Q(schedule__isnull=True, user__isnull=False),
                name="export_token_for_schedule_xor_user",
            ),
            # At most one live token per schedule and per user: a new one replaces the old.
            models.UniqueConstraint(
                fields=["schedule"],
                condition=models.Q(revoked_at__isnull=True, schedule__isnull=False),
                name="one_live_export_token_per_schedule",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True, user__isnull=False),
                name="one_live_export_token_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"export token {self.prefix}… for {self.schedule or self.user}"

    # The cache key of the content the last export through this token showed, a digest of that
    # content's events (at most a thousand runs of them, see `timeline.export_digest`), and the
    # events withdrawn from its exports so far (at most a thousand, see `timeline.exports`):
    # they are kept as cancelled until they leave the export window, as upstream does.
    exported_key = models.CharField(max_length=200, blank=True, default="")
    exported_digest = models.JSONField(default=dict, blank=True)
    withdrawn_events = models.JSONField(default=list, blank=True)

    @property
    def is_live(self) -> bool:
        # A deleted (inactive) user keeps the row, but its calendar must not be served any more.
        return self.revoked_at is None and (self.user is None or self.user.is_active)


class SwapStatus(models.TextChoices):
    OPEN = "open"
    TAKEN = "taken"
    PAST_DUE = "past_due"
    DELETED = "deleted"


class ShiftSwap(models.Model):
    """A shift swap request: the beneficiary asks to be relieved over [swap_start, swap_end) in
    the schedule; the benefactor who takes it stands in (docs/resolution.md#shift-swaps).

    Deleting one only sets `deleted_at` (upstream's soft delete)."""

    public_id = PublicIdField(prefix="SSR")
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="swaps")
    swap_start = models.DateTimeField()
    swap_end = models.DateTimeField()
    description = models.TextField(max_length=3000, null=True, blank=True)
    beneficiary = models.ForeignKey(
        "users.User", on_delete=models.CASCADE, related_name="requested_swaps"
    )
    benefactor = models.ForeignKey(
        "users.User", null=True, blank=True, on_delete=models.CASCADE, related_name="taken_swaps"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["swap_start", "id"]
        indexes = [models.Index(fields=["schedule", "swap_start"], name="swap_schedule_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(swap_start__lte=models.F("swap_end")),
                name="swap_start_not_after_end",
            ),
            models.CheckConstraint(
                condition=models.Q(benefactor__isnull=True)
                | ~models.Q(benefactor=models.F("beneficiary")),
                name="swap_not_taken_by_its_beneficiary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} {self.schedule} {self.swap_start} to {self.swap_end}"

    def status(self, now: datetime) -> str:
        """Upstream's status: deleted, taken, past due (open, and its start has passed), open."""
        if self.deleted_at is not None:
            return SwapStatus.DELETED
        if self.benefactor_id is not None:
            return SwapStatus.TAKEN
        if now > self.swap_start:
            return SwapStatus.PAST_DUE
        return SwapStatus.OPEN

    def has_started(self, now: datetime) -> bool:
        return now > self.swap_start
