"""Reads of schedules (answers about who is on call come from the read model, `timeline`)."""

from datetime import datetime
from typing import NamedTuple

from django.db.models import Prefetch, QuerySet

from common.rows import JoinedRows
from schedules.models import Dialect, Schedule, ScheduleMember, ScheduleType, ShiftSwap
from shifts.models import OnCallShift, RestrictionWindow, Rotation, RotationMember
from users.models import ApiToken, Organization
from users.selectors import LIVE_TOKEN_JOINS, LIVE_TOKEN_MODELS, LIVE_TOKEN_WHERE, linked_token


def schedule_list(*, organization: Organization) -> QuerySet[Schedule]:
    """The schedules of upstream's API (not those of rotation layers, which other APIs write)
    in creation order, with the shift ids their representation lists: as lists
    (`listed_linked_shifts`, `listed_owned_shifts`), not as the managers' caches, which Django
    fills by building a manager and a queryset for each schedule."""
    shift_ids = OnCallShift.objects.only("id", "public_id", "schedule_id").order_by("id")
    return (
        Schedule.objects.filter(organization=organization)
        .exclude(type=ScheduleType.ROTATIONS)
        .select_related("team", "organization")
        .prefetch_related(
            Prefetch("linked_shifts", queryset=shift_ids, to_attr="listed_linked_shifts"),
            Prefetch("owned_shifts", queryset=shift_ids, to_attr="listed_owned_shifts"),
        )
        .order_by("id")
    )


def schedules_of(*, organization: Organization) -> QuerySet[Schedule]:
    """Every schedule of the organization, whichever API writes it, in creation order."""
    return (
        Schedule.objects.filter(organization=organization)
        .select_related("organization")
        .order_by("id")
    )


def schedule_overview(
    *, organization: Organization, name: str = "", team_public_id: str = ""
) -> QuerySet[Schedule]:
    """Every schedule of the organization with its team, in name order, those whose name holds
    `name` (ignoring case) and, when given, those of one team (`"none"`: of no team)."""
    schedules = schedules_of(organization=organization).select_related("team")
    if name:
        schedules = schedules.filter(name__icontains=name)
    if team_public_id == "none":
        schedules = schedules.filter(team__isnull=True)
    elif team_public_id:
        schedules = schedules.filter(team__public_id=team_public_id)
    return schedules.order_by("name", "id")


def schedule_of(*, organization: Organization, public_id: str) -> Schedule | None:
    """The organization's schedule with this public id (any type), with its team."""
    return (
        schedules_of(organization=organization)
        .select_related("team")
        .filter(public_id=public_id)
        .first()
    )


def schedule_rows(*, organization: Organization, dialect: Dialect) -> QuerySet[Schedule]:
    """The organization's schedules of rotation layers written through `dialect`, rows alone:
    enough for the answers about who is on call, which the read model keeps."""
    return Schedule.objects.filter(
        organization=organization, type=ScheduleType.ROTATIONS, dialect=dialect
    ).select_related("organization")


def rotation_schedule_list(*, organization: Organization, dialect: Dialect) -> QuerySet[Schedule]:
    """The organization's schedules of rotation layers written through `dialect`, in creation
    order, with their rotations (members and windows, in order) and their people."""
    rotations = Rotation.objects.order_by("position", "id").prefetch_related(
        Prefetch(
            "members",
            queryset=RotationMember.objects.select_related("user").order_by("position", "id"),
        ),
        Prefetch("windows", queryset=RestrictionWindow.objects.order_by("position", "id")),
    )
    return (
        schedule_rows(organization=organization, dialect=dialect)
        .prefetch_related(
            Prefetch("rotations", queryset=rotations),
            Prefetch(
                "roster",
                queryset=ScheduleMember.objects.select_related("user").order_by("position", "id"),
            ),
        )
        .order_by("id")
    )


def rotation_members(*, schedule: Schedule) -> list[RotationMember]:
    """The members of the schedule's rotations with their users, in layer then turn order."""
    return list(
        RotationMember.objects.filter(rotation__schedule=schedule)
        .select_related("user")
        .order_by("rotation__position", "rotation_id", "order", "position", "id")
    )


def shift_swap_list(*, organization: Organization) -> QuerySet[ShiftSwap]:
    """The organization's shift swaps that are not deleted, by start (then creation)."""
    return (
        ShiftSwap.objects.filter(schedule__organization=organization, deleted_at__isnull=True)
        .select_related("schedule__organization", "beneficiary", "benefactor")
        .order_by("swap_start", "id")
    )


def schedule_swaps_between(
    *, schedule: Schedule, start: datetime, end: datetime
) -> QuerySet[ShiftSwap]:
    """The schedule's swaps that are not deleted and overlap `[start, end)`, with their people."""
    return (
        ShiftSwap.objects.filter(
            schedule=schedule, deleted_at__isnull=True, swap_start__lt=end, swap_end__gt=start
        )
        .select_related("beneficiary", "benefactor")
        .order_by("swap_start", "id")
    )


# The on-call routes answer from caches keyed by versions, so they read the bare schedule row, and
# in the same round trip as their token, in fixed SQL (common.rows): "who is on call" is the
# hottest request. The schedule, if the token's organization has one with the public id, comes
# LEFT JOINed to each candidate token.
LIVE_TOKENS_WITH_SCHEDULE = JoinedRows(
    [*LIVE_TOKEN_MODELS, (Schedule, "s")],
    joins=(
        f"{LIVE_TOKEN_JOINS} LEFT JOIN {Schedule._meta.db_table} s"
        " ON s.organization_id = o.id AND s.public_id = %s"
    ),
    where=LIVE_TOKEN_WHERE,
)


class TokenWithSchedule(NamedTuple):
    """A live token (with its user and organization) and its organization's schedule, if any."""

    token: ApiToken
    schedule: Schedule | None

    @property
    def digest(self) -> str:
        return self.token.digest


def live_tokens_with_schedule(prefix: str, schedule_public_id: str) -> list[TokenWithSchedule]:
    """What `live_tokens_with_prefix` gives, each with the schedule `schedule_public_id` of its
    organization without its relations (None when there is none): the team is read only when an
    answer is built."""
    found = []
    for token, user, organization, schedule in LIVE_TOKENS_WITH_SCHEDULE.fetch(
        [schedule_public_id, prefix]
    ):
        if schedule is not None:
            schedule.organization = organization
        found.append(TokenWithSchedule(linked_token(token, user, organization), schedule))
    return found
