"""Which remote iCal feeds a schedule reads, and keeping their cached copies in step."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from integrations.ical_feed import CalendarFeedError, FetchedCalendar, fetch_calendar
from schedules.models import CachedCalendar, CalendarKind, Schedule, ScheduleType
from schedules.versions import bump_schedules


def feed_urls(schedule: Schedule) -> dict[str, str]:
    """The feeds that contribute events: both URLs of an ical schedule; the overrides URL of a
    calendar schedule unless its web overrides replace it (upstream ignores the URL then)."""
    urls = {}
    if schedule.type == ScheduleType.ICAL and schedule.ical_url_primary:
        urls[CalendarKind.PRIMARY] = schedule.ical_url_primary
    uses_override_url = schedule.type == ScheduleType.ICAL or (
        schedule.type == ScheduleType.CALENDAR and not schedule.enable_web_overrides
    )
    if uses_override_url and schedule.ical_url_overrides:
        urls[CalendarKind.OVERRIDES] = schedule.ical_url_overrides
    return urls


def sync_cached_calendars(
    schedule: Schedule, fetched: dict[str, FetchedCalendar], now: datetime
) -> None:
    """Drop copies of feeds the schedule no longer reads or whose URL changed; store copies
    fetched during validation so that the first read needs no second download."""
    urls = feed_urls(schedule)
    schedule.cached_calendars.exclude(kind__in=list(urls)).delete()
    for kind, url in urls.items():
        cached = schedule.cached_calendars.filter(kind=kind).first()
        if cached is not None and cached.url == url:
            continue
        feed = fetched.get(kind)
        CachedCalendar.objects.update_or_create(
            schedule=schedule,
            kind=kind,
            defaults={
                "url": url,
                "text": feed.text if feed and feed.url == url else None,
                "fetched_at": now if feed else None,
                "last_error": None,
                "last_error_at": None,
            },
        )


@transaction.atomic
def cached_calendar_refresh(cached: CachedCalendar, now: datetime) -> CachedCalendar:
    """Download the feed again; on failure keep the last good copy and record why (D3)."""
    try:
        feed = fetch_calendar(cached.url)
    except CalendarFeedError as exc:
        cached.last_error = str(exc)
        cached.last_error_at = now
    else:
        if feed.text != cached.text:
            bump_schedules([cached.schedule_id])
        cached.text = feed.text
        cached.fetched_at = now
        cached.last_error = None
        cached.last_error_at = None
    cached.save()
    return cached


def calendars_due(now: datetime, *, force: bool = False) -> QuerySet[CachedCalendar]:
    """Feeds never fetched, or whose last attempt is older than ICAL_REFRESH_SECONDS."""
    calendars = CachedCalendar.objects.order_by("id")
    if force:
        return calendars
    stale = now - timedelta(seconds=settings.ICAL_REFRESH_SECONDS)
    never_tried = Q(fetched_at__isnull=True, last_error_at__isnull=True)
    last_try_stale = (Q(fetched_at__lt=stale) | Q(fetched_at__isnull=True)) & (
        Q(last_error_at__lt=stale) | Q(last_error_at__isnull=True)
    )
    return calendars.filter(never_tried | last_try_stale)


@dataclass(frozen=True, slots=True)
class RefreshReport:
    refreshed: int
    failed: int


def refresh_due_calendars(*, now: datetime, force: bool = False) -> RefreshReport:
    refreshed = failed = 0
    for cached in calendars_due(now, force=force):
        if cached_calendar_refresh(cached, now).last_error:
            failed += 1
        else:
            refreshed += 1
    return RefreshReport(refreshed=refreshed, failed=failed)
