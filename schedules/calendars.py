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
    urls: dict[str, str] = {}
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
        if feed is not None and feed.url != url:
            feed = None
        CachedCalendar.objects.update_or_create(
            schedule=schedule,
            kind=kind,
            defaults={
                "url": url,
                "text": feed.text if feed else None,
                "fetched_at": now if feed else None,
                "etag": feed.etag if feed else None,
                "last_modified": feed.last_modified if feed else None,
                "last_error": None,
                "last_error_at": None,
            },
        )


REFRESHED_FIELDS = ["text", "fetched_at", "etag", "last_modified", "last_error", "last_error_at"]


def cached_calendar_refresh(cached: CachedCalendar, now: datetime) -> CachedCalendar:
    """Download the feed again; on failure keep the last good copy and record why
    (docs/differences.md#failed-feed-downloads).

    The download happens outside any transaction. The result is stored only if the copy still
    exists for the same URL: a schedule edited or deleted meanwhile is never written back."""
    changed = False
    # A conditional request only when there is a copy to keep on "304 Not Modified".
    validators = {"etag": cached.etag, "last_modified": cached.last_modified} if cached.text else {}
    try:
        result = fetch_calendar(cached.url, **validators)
    except CalendarFeedError as exc:
        cached.last_error = str(exc)
        cached.last_error_at = now
    else:
        if isinstance(result, FetchedCalendar):
            changed = result.text != cached.text
            cached.text = result.text
        cached.etag = result.etag
        cached.last_modified = result.last_modified
        cached.fetched_at = now
        cached.last_error = None
        cached.last_error_at = None
    with transaction.atomic():
        if changed:
            # The schedule row first, then the copy: the order schedule writes lock them in.
            bump_schedules([cached.schedule_id])
        CachedCalendar.objects.filter(pk=cached.pk, url=cached.url).update(
            **{name: getattr(cached, name) for name in REFRESHED_FIELDS}
        )
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
