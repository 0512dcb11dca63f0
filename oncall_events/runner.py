"""One run of the on-call events: settle the due schedules, then carry out the due deliveries.
What the Celery task and `manage.py run_oncall_events` both do (docs/oncall-events.md)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Min

from oncall_events.deliveries import deliver_due
from oncall_events.detection import settle_due
from oncall_events.models import Delivery, DeliveryState, ScheduleCursor


@dataclass(frozen=True, slots=True)
class RunReport:
    recorded: int
    delivered: int
    failed: int


def run_once(now: datetime) -> RunReport:
    recorded = settle_due(now)
    outcome = deliver_due(now)
    return RunReport(recorded=recorded, delivered=outcome.delivered, failed=outcome.failed)


def next_wake(after: datetime) -> datetime | None:
    """The earliest instant something is due: a schedule's next change or gap check, or a
    delivery's next attempt (None when nothing waits)."""
    instants = [
        ScheduleCursor.objects.aggregate(at=Min("next_check_at"))["at"],
        Delivery.objects.filter(state=DeliveryState.PENDING).aggregate(at=Min("next_attempt_at"))[
            "at"
        ],
    ]
    found = [instant for instant in instants if instant is not None]
    return max(min(found), after) if found else None
