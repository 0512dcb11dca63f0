"""Reads of schedules (answers about who is on call come from the read model, `timeline`)."""

from typing import NamedTuple

from django.db.models import Prefetch, QuerySet

from common.rows import JoinedRows
from schedules.models import Schedule
from shifts.models import OnCallShift
from users.models import ApiToken, Organization
from users.selectors import LIVE_TOKEN_JOINS, LIVE_TOKEN_MODELS, LIVE_TOKEN_WHERE, linked_token


def schedule_list(*, organization: Organization) -> QuerySet[Schedule]:
    """Schedules in creation order with the shift ids their representation lists."""
    shift_ids = OnCallShift.objects.only("id", "public_id", "schedule_id").order_by("id")
    return (
        Schedule.objects.filter(organization=organization)
        .select_related("team", "organization")
        .prefetch_related(
            Prefetch("linked_shifts", queryset=shift_ids, to_attr="linked_shift_ids"),
            Prefetch("owned_shifts", queryset=shift_ids, to_attr="owned_shift_ids"),
        )
        .order_by("id")
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
