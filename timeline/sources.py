"""What a schedule's timeline is computed from: its shifts, the texts of its feeds, its swaps and
the users who may be on call, read in a fixed number of queries and turned into the engine's
values (docs/resolution.md#calendars-of-a-schedule, docs/resolution.md#shift-swaps)."""

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypedDict

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from schedules.calendars import cached_calendar_refresh, feed_urls
from schedules.models import CalendarKind, Schedule, ScheduleType, ShiftSwap
from shifts import engine
from shifts.converters import shift_spec
from shifts.models import OnCallShift, ShiftType
from timeline import cache
from timeline.rotation_sources import RotationSource, read_rotations
from users.models import ON_CALL_ROLES, Organization, User

logger = logging.getLogger(__name__)

ENGINE_CALENDAR_TYPE: dict[str, engine.CalendarType] = {
    CalendarKind.PRIMARY: engine.CalendarType.PRIMARY,
    CalendarKind.OVERRIDES: engine.CalendarType.OVERRIDES,
}
# Web schedules and every override layer read zone-less shifts in UTC (an upstream rule,
# docs/resolution.md#calendars-of-a-schedule).
UTC = "UTC"


@dataclass(frozen=True, slots=True)
class OnCallUsers:
    """The users of an organization who may be on call (active admins and editors)."""

    by_id: dict[str, User]
    directory: engine.UserDirectory

    @classmethod
    def of(
        cls,
        organization: Organization,
        only: Sequence[str] | None = None,
        *,
        with_teams: bool = False,
    ) -> "OnCallUsers":
        """All of them, or `only` those public ids; `with_teams` for user representations."""
        users = on_call_user_query(organization)
        if only is not None:
            users = users.filter(public_id__in=only)
        if with_teams:
            users = users.prefetch_related("teams")
        loaded = list(users)
        for user in loaded:
            user.organization = organization  # the one we have: spares a join
        return cls.of_users(loaded)

    @classmethod
    def of_users(cls, users: Sequence[User]) -> "OnCallUsers":
        return cls(
            by_id={user.public_id: user for user in users},
            directory=engine.UserDirectory(
                by_username={user.username: user.public_id for user in users},
                by_email={user.email.lower(): user.public_id for user in users},
            ),
        )


def on_call_user_query(organization: Organization) -> QuerySet[User]:
    return User.objects.filter(
        organization=organization, is_active=True, role__in=ON_CALL_ROLES
    ).order_by("id")


def shared_on_call_users(organization: Organization) -> OnCallUsers:
    """`OnCallUsers.of(organization)`, kept in this process until a write to the organization's
    users moves its `users_version` on (versioned keys need no invalidation across processes).

    The users are shared by the requests of the process, so they hold no organization: one that
    asked for it would read the current row rather than another request's copy.
    """
    return cache.kept(
        cache.ON_CALL_USERS,
        organization,
        (),
        lambda: OnCallUsers.of_users(list(on_call_user_query(organization))),
        size=lambda users: len(users.by_id) + 1,
    )


def layered_shifts(schedule: Schedule) -> list[tuple[OnCallShift, str]]:
    """Each shift the schedule renders, with the zone its zone-less shifts are read in."""
    if schedule.type == ScheduleType.WEB:
        return [(shift, UTC) for shift in schedule.owned_shifts.all()]
    if schedule.type != ScheduleType.CALENDAR:
        return []
    layered = []
    for shift in schedule.linked_shifts.all():
        if shift.type != ShiftType.OVERRIDE:
            layered.append((shift, schedule.time_zone))
        elif schedule.enable_web_overrides:
            # Overrides in `shifts` form the layer when web overrides are on
            # (docs/differences.md#overrides-through-the-api).
            layered.append((shift, UTC))
    return layered


def calendar_texts(schedule: Schedule, now: datetime) -> list[engine.CalendarText]:
    """The cached feeds of the schedule; a feed never fetched yet is fetched now."""
    urls = feed_urls(schedule)
    if not urls:
        return []
    cached_by_kind = {cached.kind: cached for cached in schedule.cached_calendars.all()}
    texts = []
    for kind, url in urls.items():
        cached = cached_by_kind.get(kind)
        if cached is None or cached.url != url:
            continue
        if cached.text is None and cached.fetched_at is None and cached.last_error_at is None:
            cached = cached_calendar_refresh(cached, now)
        if cached.text:
            texts.append(
                engine.CalendarText(text=cached.text, calendar_type=ENGINE_CALENDAR_TYPE[kind])
            )
    return texts


def log_bad_calendar(
    schedule: Schedule,
) -> Callable[[engine.CalendarText, engine.CalendarParseError], None]:
    def log(calendar: engine.CalendarText, error: engine.CalendarParseError) -> None:
        logger.error("schedule %s: unreadable iCal calendar: %s", schedule.public_id, error)

    return log


# The public ids of each shift's users, by shift pk, in user creation order (as `shift.users`).
ShiftUserIds = dict[int, tuple[str, ...]]


def prefetch_sources(schedules: Sequence[Schedule]) -> ShiftUserIds:
    """Load what each schedule reads (its shifts, its cached feeds) in a fixed number of queries
    (schedules that already have them are left alone) and give the public ids of their shifts'
    users.

    The ids come from one query on the shift-user table: Django's prefetch of the users built a
    manager and cloned a queryset per shift, a third of a list of 50 schedules after a write.
    """
    shifts = OnCallShift.objects.order_by("id")
    sources = {
        ScheduleType.WEB: Prefetch("owned_shifts", queryset=shifts),
        ScheduleType.CALENDAR: Prefetch("linked_shifts", queryset=shifts),
    }
    for schedule_type, prefetch in sources.items():
        prefetch_related_objects([s for s in schedules if s.type == schedule_type], prefetch)
    prefetch_related_objects([s for s in schedules if feed_urls(s)], "cached_calendars")
    shift_pks = [shift.pk for schedule in schedules for shift, _ in layered_shifts(schedule)]
    by_shift: defaultdict[int, list[str]] = defaultdict(list)
    for shift_pk, user_id in (
        OnCallShift.users.through.objects.filter(oncallshift_id__in=shift_pks)
        .order_by("oncallshift_id", "user_id")
        .values_list("oncallshift_id", "user__public_id")
    ):
        by_shift[shift_pk].append(user_id)
    return {shift_pk: tuple(user_ids) for shift_pk, user_ids in by_shift.items()}


def swaps_by_schedule(schedules: Sequence[Schedule]) -> dict[int, list[engine.Swap]]:
    """The swaps of each schedule that are not deleted, in the order they were made (the order
    they apply in), with their benefactors as stored."""
    found: defaultdict[int, list[engine.Swap]] = defaultdict(list)
    for schedule_pk, swap_id, start, end, beneficiary, benefactor in (
        ShiftSwap.objects.filter(schedule__in=schedules, deleted_at__isnull=True)
        .order_by("created_at", "id")
        .values_list(
            "schedule_id",
            "public_id",
            "swap_start",
            "swap_end",
            "beneficiary__public_id",
            "benefactor__public_id",
        )
    ):
        taken = benefactor is not None
        found[schedule_pk].append(
            engine.Swap(swap_id, start, end, beneficiary, taken=taken, benefactor=benefactor)
        )
    return found


@dataclass(frozen=True, slots=True)
class ScheduleSources:
    """What a schedule's version fixes of its timeline's inputs: each shift it renders, with the
    public ids of all its users (who among them may be on call is read per `users_version`) and
    the zone its zone-less times are read in, the texts of its cached feeds, and its swaps."""

    shifts: tuple[tuple[OnCallShift, tuple[str, ...], str], ...]
    calendars: tuple[engine.CalendarText, ...]
    rotations: tuple[RotationSource, ...] = ()
    swaps: tuple[engine.Swap, ...] = ()


def schedule_sources(schedules: Sequence[Schedule]) -> dict[int, ScheduleSources]:
    """The sources of each schedule, by pk, kept in this process per schedule version.

    A write to a user (a phone number, a role) moves `users_version` on, so every timeline of
    the organization is computed again; the schedules' shifts and feeds are as they were, and
    are not read again.
    """
    return cache.kept_for_each(
        cache.SOURCES, schedules, (), read_sources, size=lambda sources: len(sources.shifts) + 1
    )


def read_sources(schedules: list[Schedule]) -> dict[int, ScheduleSources]:
    shift_user_ids = prefetch_sources(schedules)
    rotations = read_rotations(schedules)
    swaps = swaps_by_schedule(schedules)
    now = timezone.now()
    return {
        schedule.pk: ScheduleSources(
            shifts=tuple(
                (shift, shift_user_ids.get(shift.pk, ()), zone)
                for shift, zone in layered_shifts(schedule)
            ),
            calendars=tuple(calendar_texts(schedule, now)),
            rotations=rotations.get(schedule.pk, ()),
            swaps=tuple(swaps.get(schedule.pk, ())),
        )
        for schedule in schedules
    }


class EngineInputs(TypedDict):
    """What the engine reads of one schedule, the window aside."""

    shifts: list[engine.ShiftSpec]
    calendars: list[engine.CalendarText]
    rotations: list[engine.RotationSpec]
    directory: engine.UserDirectory
    on_bad_calendar: Callable[[engine.CalendarText, engine.CalendarParseError], None]


def engine_inputs(
    schedule: Schedule, sources: ScheduleSources, on_call_users: OnCallUsers
) -> EngineInputs:
    """The engine's inputs for one schedule, window aside."""
    user_ids = on_call_users.by_id.keys()
    return {
        "shifts": [
            shift_spec(shift, user_ids=ids, default_zone=zone, on_call_user_ids=user_ids)
            for shift, ids, zone in sources.shifts
        ],
        "calendars": list(sources.calendars),
        "rotations": [rotation.spec(user_ids) for rotation in sources.rotations],
        "directory": on_call_users.directory,
        "on_bad_calendar": log_bad_calendar(schedule),
    }


def engine_swaps(
    sources: ScheduleSources, on_call_users: OnCallUsers, now: datetime, *, open_swaps: bool = True
) -> engine.Swaps:
    """The schedule's swaps as they stand at `now`; without the open ones when `open_swaps` is
    false (the iCal exports, docs/exports.md#events). A benefactor who may not be on call is
    nobody: the beneficiary's place goes to no one (docs/resolution.md#shift-swaps)."""
    may_be_on_call = on_call_users.by_id
    return engine.Swaps(
        tuple(
            swap
            if swap.benefactor is None or swap.benefactor in may_be_on_call
            else replace(swap, benefactor=None)
            for swap in sources.swaps
            if open_swaps or swap.taken
        ),
        now,
    )
