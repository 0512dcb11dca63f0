"""Celery: beat runs the on-call events every ONCALL_EVENTS_TICK_SECONDS; each run only looks at
the schedules whose next change, as the engine foretold it, has come (or that were written)."""

from celery import shared_task
from django.utils import timezone

from oncall_events.runner import run_once


@shared_task
def process_oncall_events() -> dict[str, int]:
    report = run_once(timezone.now())
    return {"recorded": report.recorded, "delivered": report.delivered, "failed": report.failed}
