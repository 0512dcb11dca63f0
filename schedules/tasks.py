"""Celery tasks (run by a worker and beat when CELERY_BROKER_URL is set)."""

from celery import shared_task
from django.utils import timezone

from schedules.calendars import refresh_due_calendars


@shared_task
def refresh_ical_feeds() -> dict[str, int]:
    report = refresh_due_calendars(now=timezone.now())
    return {"refreshed": report.refreshed, "failed": report.failed}
