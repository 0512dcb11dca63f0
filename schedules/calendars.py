"""Which remote iCal feeds a schedule reads, and keeping their cached copies in step."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from integrations.ical_feed import CalendarFeedError, FetchedCalendar
from schedules.feeds import FeedDownload, FeedRequest, feed_download, feeds_download
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
    schedule: Schedule, downloads: Mapping[str, FeedDownload], now: datetime
) -> None:
    """Drop copies of feeds the schedule no longer reads or whose URL changed; store what was
    downloaded before the write (a copy, or the error), so that no read in the write's
    transaction needs a download."""
    urls = feed_urls(schedule)
    schedule.cached_calendars.exclude(kind__in=list(urls)).delete()
    for kind, url in urls.items():
        cached = schedule.cached_calendars.filter(kind=kind).first()
        if cached is not None and cached.url == url:
            continue
        copy = CachedCalendar(schedule=schedule, kind=kind, url=url)
        if url in downloads:
            apply_download(copy, downloads[url], now)
        CachedCalendar.objects.update_or_create(
            schedule=schedule,
            kind=kind,
            defaults={name: getattr(copy, name) for name in ["url", *REFRESHED_FIELDS]},
        )


REFRESHED_FIELDS = ["text", "fetched_at", "etag", "last_modified", "last_error", "last_error_at"]


def apply_download(cached: CachedCalendar, outcome: FeedDownload, now: datetime) -> bool:
    """Put a download's outcome on the copy; True when its text changed. A failure keeps the
    last good copy and records why (docs/differences.md#failed-feed-downloads)."""
    if isinstance(outcome, CalendarFeedError):
        cached.last_error = str(outcome)
        cached.last_error_at = now
        return False
    changed = False
    if isinstance(outcome, FetchedCalendar):
        changed = outcome.text != cached.text
        cached.text = outcome.text
    cached.etag = outcome.etag
    cached.last_modified = outcome.last_modified
    cached.fetched_at = now
    cached.last_error = None
    cached.last_error_at = None
    return changed


def refresh_request(cached: CachedCalendar) -> FeedRequest:
    # A conditional request only when there is a copy to keep on "304 Not Modified".
    if cached.text:
        return FeedRequest(cached.url, etag=cached.etag, last_modified=cached.last_modified)
    return FeedRequest(cached.url)


def cached_calendar_store(cached: CachedCalendar, outcome: FeedDownload, now: datetime) -> None:
    """Store a refresh's outcome, only if the copy still exists for the same URL: a schedule
    edited or deleted meanwhile is never written back."""
    changed = apply_download(cached, outcome, now)
    with transaction.atomic():
        if changed:
            # The schedule row first, then the copy: the order schedule writes lock them in.
            bump_schedules([cached.schedule_id])
        CachedCalendar.objects.filter(pk=cached.pk, url=cached.url).update(
            **{name: getattr(cached, name) for name in REFRESHED_FIELDS}
        )


def cached_calendar_refresh(cached: CachedCalendar, now: datetime) -> CachedCalendar:
    """Download the feed again (outside any transaction) and store the outcome."""
    cached_calendar_store(cached, feed_download(refresh_request(cached)), now)
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
    """Refresh each due feed on its own: downloads run side by side, each under its own
    deadline, and each outcome is stored as soon as its download ends."""
    due = list(calendars_due(now, force=force))
    refreshed = failed = 0
    for index, outcome in feeds_download([refresh_request(cached) for cached in due]):
        cached_calendar_store(due[index], outcome, now)
        if isinstance(outcome, CalendarFeedError):
            failed += 1
        else:
            refreshed += 1
    return RefreshReport(refreshed=refreshed, failed=failed)
