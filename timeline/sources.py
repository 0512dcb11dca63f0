"""What a schedule's timeline is computed from: its shifts, the texts of its feeds, its swaps and
the users who may be on call, read in a fixed number of queries and turned into the engine's
values (docs/resolution.md#calendars-of-a-schedule, docs/resolution.md#shift-swaps)."""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import groupby
from typing import Any, TypedDict

from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone

from common.compiled import CompiledValues, rows_of_each
from common.transactions import in_transaction
from schedules.calendars import cached_calendar_refresh, feed_urls
from schedules.models import CalendarKind, Schedule, ScheduleType, ShiftSwap
from shifts import engine
from shifts.converters import ShiftFields, shift_spec
from shifts.models import OnCallShift, ShiftType, values_in_range
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
SHIFT_FIELDS = ShiftFields._fields


@dataclass(frozen=True, slots=True)
class OnCallUsers:
    """The users of an organization who may be on call (active admins and editors)."""

    by_id: dict[str, User]
    directory: engine.UserDirectory
    # their public ids, once for all the keys that take them
    ids: frozenset[str]

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
            ids=frozenset(user.public_id for user in users),
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


# What a schedule renders of each of its shifts: the fields the engine reads, the public ids of
# its users in creation order (as `shift.users`), and the zone its zone-less times are read in.
LayeredShift = tuple[ShiftFields, tuple[str, ...], str]


# A web schedule's own shifts, and the shifts linked to calendar schedules, as values with their
# users' ids (a row per shift and user), by schedule pks: compiled once (`common.compiled`).
OWNED_SHIFTS = CompiledValues(
    lambda pks: (
        OnCallShift.objects.filter(schedule_id__in=pks)
        .order_by("id", "users__id")
        .values_list("schedule_id", *SHIFT_FIELDS, "users__public_id")
    )
)
LINKED_SHIFTS = CompiledValues(
    lambda pks: (
        Schedule.linked_shifts.through.objects.filter(schedule_id__in=pks)
        .order_by("oncallshift_id", "schedule_id", "oncallshift__users__id")
        .values_list(
            "schedule_id",
            *(f"oncallshift__{name}" for name in SHIFT_FIELDS),
            "oncallshift__users__public_id",
        )
    )
)


def layered_shifts(
    schedules: Sequence[Schedule], owned: list[tuple[Any, ...]], linked: list[tuple[Any, ...]]
) -> dict[int, list[LayeredShift]]:
    """The shifts each schedule renders, by schedule pk, in creation order, from the rows of
    `OWNED_SHIFTS` (web schedules) and `LINKED_SHIFTS` (calendar schedules): values with their
    users' ids, a row per shift and user. Building model instances cost more than expanding
    most shifts."""
    by_schedule: defaultdict[int, list[LayeredShift]] = defaultdict(list)
    for schedule_pk, shift, user_ids in shifts_with_users(owned):
        by_schedule[schedule_pk].append((shift, user_ids, UTC))
    calendars = {s.pk: s for s in schedules if s.type == ScheduleType.CALENDAR}
    for schedule_pk, shift, user_ids in shifts_with_users(linked):
        schedule = calendars[schedule_pk]
        if shift.type != ShiftType.OVERRIDE:
            by_schedule[schedule_pk].append((shift, user_ids, schedule.time_zone))
        elif schedule.enable_web_overrides:
            # Overrides in `shifts` form the layer when web overrides are on
            # (docs/differences.md#overrides-through-the-api).
            by_schedule[schedule_pk].append((shift, user_ids, UTC))
    return by_schedule


def shifts_with_users(
    rows: Iterable[tuple[Any, ...]],
) -> Iterator[tuple[int, ShiftFields, tuple[str, ...]]]:
    """(schedule pk, shift, its users' ids) from rows (schedule pk, the shift's fields, a user's
    id or None), those of one schedule and shift in a run."""
    for (schedule_pk, *fields), run in groupby(rows, key=lambda row: row[:-1]):
        user_ids = tuple(row[-1] for row in run if row[-1] is not None)
        yield schedule_pk, ShiftFields.of(fields), user_ids


def calendar_texts(schedule: Schedule, now: datetime) -> list[engine.CalendarText]:
    """The cached feeds of the schedule; a feed never fetched yet is fetched now, unless a
    transaction is open."""
    urls = feed_urls(schedule)
    if not urls:
        return []
    cached_by_kind = {cached.kind: cached for cached in schedule.cached_calendars.all()}
    texts = []
    for kind, url in urls.items():
        cached = cached_by_kind.get(kind)
        if cached is None or cached.url != url:
            continue
        never_tried = cached.fetched_at is None and cached.last_error_at is None
        # Never inside a transaction (a write's answer): the write downloaded its feeds before.
        if cached.text is None and never_tried and not in_transaction():
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


SWAPS = CompiledValues(
    lambda pks: (
        ShiftSwap.objects.filter(schedule_id__in=pks, deleted_at__isnull=True)
        .order_by("created_at", "id")
        .values_list(
            "schedule_id",
            "public_id",
            "swap_start",
            "swap_end",
            "beneficiary__public_id",
            "benefactor__public_id",
        )
    )
)


def swaps_by_schedule(rows: list[tuple[Any, ...]]) -> dict[int, list[engine.Swap]]:
    """The swaps of each schedule from the rows of `SWAPS`: those not deleted, in the order they
    were made (the order they apply in), with their benefactors as stored."""
    found: defaultdict[int, list[engine.Swap]] = defaultdict(list)
    for schedule_pk, swap_id, start, end, beneficiary, benefactor in rows:
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

    shifts: tuple[LayeredShift, ...]
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
    """The sources of `schedules` in a fixed number of queries, whatever their number: their
    shifts as values, their shifts' users, their cached feeds, rotations and swaps. The shifts
    and the swaps are read in one round trip (`rows_of_each`)."""
    owned, linked, swap_rows = rows_of_each(
        [
            (OWNED_SHIFTS, [s.pk for s in schedules if s.type == ScheduleType.WEB]),
            (LINKED_SHIFTS, [s.pk for s in schedules if s.type == ScheduleType.CALENDAR]),
            (SWAPS, [s.pk for s in schedules]),
        ]
    )
    shifts = layered_shifts(schedules, owned, linked)
    prefetch_related_objects([s for s in schedules if feed_urls(s)], "cached_calendars")
    rotations = read_rotations(schedules)
    swaps = swaps_by_schedule(swap_rows)
    now = timezone.now()
    return {
        schedule.pk: ScheduleSources(
            shifts=tuple(
                layered for layered in shifts.get(schedule.pk, ()) if in_range(layered[0], schedule)
            ),
            calendars=tuple(calendar_texts(schedule, now)),
            rotations=rotations.get(schedule.pk, ()),
            swaps=tuple(swaps.get(schedule.pk, ())),
        )
        for schedule in schedules
    }


def in_range(shift: ShiftFields, schedule: Schedule) -> bool:
    """Whether the engine can render `shift`: one stored out of the accepted range (before the
    range was enforced) puts nobody on call, and is logged (docs/api.md#value-ranges)."""
    if values_in_range(shift):
        return True
    logger.error("schedule %s: shift %s out of range, ignored", schedule.public_id, shift.public_id)
    return False


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
        "shifts": [layered_spec(layered, on_call_users) for layered in sources.shifts],
        "calendars": list(sources.calendars),
        "rotations": [rotation.spec(user_ids) for rotation in sources.rotations],
        "directory": on_call_users.directory,
        "on_bad_calendar": log_bad_calendar(schedule),
    }


def layered_spec(layered: LayeredShift, on_call_users: OnCallUsers) -> engine.ShiftSpec:
    """The engine's view of a shift a schedule renders."""
    shift, ids, zone = layered
    return shift_spec(shift, user_ids=ids, default_zone=zone, on_call_user_ids=on_call_users.ids)


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
