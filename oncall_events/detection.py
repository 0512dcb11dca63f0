"""Finding the changes of who is on call, schedule by schedule, and recording each exactly once
(docs/oncall-events.md#exactly-once).

A run reads a schedule's cursor, works out outside any transaction what happened since it was
settled (from the engine's change instants, through the read model), then in one short
transaction moves the cursor on — only if no other run moved it meanwhile — and writes the log
entries and the deliveries they call for. Two runs at once, a restart or a crash therefore
never double or lose a change.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet

import timeline
from common.ids import new_public_id
from common.transactions import writer_turn
from oncall_events import messages
from oncall_events.models import Delivery, LogReason, OnCallLogEntry, ScheduleCursor
from schedules.models import Schedule
from shifts import engine

logger = logging.getLogger(__name__)

REASON_OF_CAUSE = {
    engine.ChangeCause.ROTATION: LogReason.ROTATION,
    engine.ChangeCause.OVERRIDE: LogReason.OVERRIDE,
    engine.ChangeCause.SWAP: LogReason.SWAP,
}
# How far ahead each run foretells changes (and so the longest a schedule sleeps), and how many
# foretold changes its cursor keeps.
FORETELL = timedelta(days=7)
MAX_FORETOLD = 500
TICK = timedelta(microseconds=1)
# The window the daily gap check looks at.
GAP_CHECK_WINDOW = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Change:
    """A change to record: from `at` on, `user_ids` are on call, because of `reason`."""

    at: datetime
    user_ids: tuple[str, ...]
    reason: str


@dataclass(slots=True)
class Plan:
    """What one run decided for a schedule, to be committed at once or not at all."""

    changes: list[Change]
    user_ids: tuple[str, ...]
    foretold: list[engine.OnCallChange]
    foretold_until: datetime
    next_check_at: datetime
    gaps_checked_on: date | None
    gap_problems: engine.CoverageProblems | None = None


def due_schedules(now: datetime) -> QuerySet[Schedule]:
    """Schedules to look at: never looked at, whose next change (or gap check) has come, or
    written since they were last settled."""
    cursor = "oncall_cursor"
    return (
        Schedule.objects.select_related("organization", cursor)
        .filter(
            Q(**{f"{cursor}__isnull": True})
            | Q(**{f"{cursor}__next_check_at__lte": now})
            | ~Q(**{f"{cursor}__version": F("version")})
            | ~Q(**{f"{cursor}__users_version": F("organization__users_version")})
        )
        .order_by("id")
    )


def settle_due(now: datetime) -> int:
    """Settle every due schedule; returns how many changes were recorded. One schedule's
    failure is logged and leaves the others unharmed (it is tried again next run)."""
    recorded = 0
    for schedule in due_schedules(now):
        try:
            recorded += settle(schedule, now)
        except Exception:
            logger.exception("on-call changes of schedule %s", schedule.public_id)
    return recorded


def settle(schedule: Schedule, now: datetime) -> int:
    """Record what changed in `schedule` up to `now`; returns how many changes were recorded
    (0 also when another run settled it first)."""
    cursor = getattr(schedule, "oncall_cursor", None)
    plan = plan_start(schedule, now) if cursor is None else plan_since(schedule, cursor, now)
    return commit(schedule, cursor, plan, now)


def plan_start(schedule: Schedule, now: datetime) -> Plan:
    """The log begins: who is on call now, and what comes next."""
    user_ids = timeline.on_call_user_ids_at(schedule, now)
    return finish_plan(schedule, [Change(now, user_ids, LogReason.START)], user_ids, None, now)


def versions_moved(schedule: Schedule, cursor: ScheduleCursor) -> bool:
    return (cursor.version, cursor.users_version) != (
        schedule.version,
        schedule.organization.users_version,
    )


def plan_since(schedule: Schedule, cursor: ScheduleCursor, now: datetime) -> Plan:
    """The changes in `(settled_at, now]`.

    Unwritten since: the schedule's changes over that time. Written since (an edit): the
    changes the cursor foretold before the edit (what really happened then), the edit itself
    if it changed who is on call, then the schedule's changes after it
    (docs/oncall-events.md#edits).
    """
    after = cursor.settled_at
    user_ids = tuple(cursor.user_ids)
    changes: list[Change] = []
    if versions_moved(schedule, cursor):
        edited_at = min(now, max(last_edit(schedule) or now, after + TICK))
        changes = foretold_before(cursor, edited_at)
        if edited_at > cursor.foretold_until:
            # The forecast ran out before the edit: the schedule as it is fills the time between.
            before = changes[-1].user_ids if changes else user_ids
            changes += recorded(
                timeline.on_call_changes(schedule, cursor.foretold_until, edited_at - TICK, before)
            )
        before = changes[-1].user_ids if changes else user_ids
        edited = timeline.on_call_user_ids_at(schedule, edited_at)
        if set(edited) != set(before):
            changes.append(Change(edited_at, edited, LogReason.EDIT))
        after, user_ids = edited_at, edited
    changes += recorded(timeline.on_call_changes(schedule, after, now, user_ids))
    if changes:
        user_ids = changes[-1].user_ids
    return finish_plan(schedule, changes, user_ids, cursor.gaps_checked_on, now)


def last_edit(schedule: Schedule) -> datetime | None:
    instants = [schedule.changed_at, schedule.organization.users_changed_at]
    return max((instant for instant in instants if instant is not None), default=None)


def foretold_before(cursor: ScheduleCursor, edited_at: datetime) -> list[Change]:
    changes = []
    for instant, user_ids, cause in cursor.foretold:
        at = datetime.fromisoformat(instant)
        if cursor.settled_at < at < edited_at:
            changes.append(Change(at, tuple(user_ids), REASON_OF_CAUSE[engine.ChangeCause(cause)]))
    return changes


def recorded(changes: list[engine.OnCallChange]) -> list[Change]:
    return [Change(change.at, change.users, REASON_OF_CAUSE[change.cause]) for change in changes]


def finish_plan(
    schedule: Schedule,
    changes: list[Change],
    user_ids: tuple[str, ...],
    gaps_checked_on: date | None,
    now: datetime,
) -> Plan:
    """Foretell the coming changes, run the daily gap check when it is due, and pick when to
    look again."""
    foretold = timeline.on_call_changes(schedule, now, now + FORETELL, user_ids)[:MAX_FORETOLD]
    foretold_until = foretold[-1].at if len(foretold) == MAX_FORETOLD else now + FORETELL
    gap_problems = None
    if gap_check_due(gaps_checked_on, now):
        gap_problems = timeline.coverage_problems(
            schedule, engine.Window(now, now + GAP_CHECK_WINDOW)
        )
        gaps_checked_on = now.date()
    wake = [foretold[0].at if foretold else foretold_until, next_gap_check(gaps_checked_on, now)]
    return Plan(
        changes=changes,
        user_ids=user_ids,
        foretold=foretold,
        foretold_until=foretold_until,
        next_check_at=min(wake),
        gaps_checked_on=gaps_checked_on,
        gap_problems=gap_problems,
    )


def gap_time(day: date) -> datetime:
    return datetime.combine(day, time(hour=settings.GAP_CHECK_HOUR), tzinfo=UTC)


def gap_check_due(checked_on: date | None, now: datetime) -> bool:
    """Once a UTC day, from GAP_CHECK_HOUR on."""
    return checked_on != now.date() and now >= gap_time(now.date())


def next_gap_check(checked_on: date | None, now: datetime) -> datetime:
    today = gap_time(now.date())
    if checked_on != now.date() and now < today:
        return today
    return gap_time(now.date() + timedelta(days=1))


def commit(schedule: Schedule, cursor: ScheduleCursor | None, plan: Plan, now: datetime) -> int:
    """Move the cursor on and write the plan's entries and deliveries, in one transaction; no
    write at all when another run moved the cursor first."""
    entries = [
        OnCallLogEntry(
            public_id=new_public_id("L"),
            schedule=schedule,
            at=change.at,
            user_ids=list(change.user_ids),
            reason=change.reason,
        )
        for change in plan.changes
    ]
    try:
        with writer_turn(), transaction.atomic():
            if not move_cursor(schedule, cursor, plan, now):
                return 0
            OnCallLogEntry.objects.bulk_create(entries)
            Delivery.objects.bulk_create(
                messages.deliveries_for(schedule, cursor, entries, plan, now)
            )
    except IntegrityError:
        # Another run created the schedule's cursor, or recorded the same instant, first.
        return 0
    return len(entries)


def move_cursor(
    schedule: Schedule, cursor: ScheduleCursor | None, plan: Plan, now: datetime
) -> bool:
    fields = {
        "settled_at": now,
        "user_ids": list(plan.user_ids),
        "version": schedule.version,
        "users_version": schedule.organization.users_version,
        "foretold": [
            [change.at.isoformat(), list(change.users), str(change.cause)]
            for change in plan.foretold
        ],
        "foretold_until": plan.foretold_until,
        "next_check_at": plan.next_check_at,
        "gaps_checked_on": plan.gaps_checked_on,
        "slack_user_group_id": schedule.slack_user_group_id,
    }
    if cursor is None:
        ScheduleCursor.objects.create(schedule=schedule, **fields)
        return True
    # The row stays locked until the transaction ends; a run that read it before us finds
    # another revision and writes nothing.
    moved = ScheduleCursor.objects.filter(pk=cursor.pk, revision=cursor.revision).update(
        revision=F("revision") + 1, **fields
    )
    return moved == 1
