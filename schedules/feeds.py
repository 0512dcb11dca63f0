"""Downloading feeds: before a write's transaction, never inside one; several at once, each
under its own deadline, so that a slow feed delays no other (docs/ical-feeds.md#limits)."""

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from django.conf import settings

from common.transactions import refuse_inside_transaction
from integrations.ical_feed import (
    PARSE_FAILED,
    CalendarFeedError,
    CalendarNotModified,
    FetchedCalendar,
    fetch_calendar,
)
from shifts.engine.errors import CalendarParseError, NotACalendar
from shifts.engine.ical import readable_calendar

FeedDownload = FetchedCalendar | CalendarNotModified | CalendarFeedError


@dataclass(frozen=True, slots=True)
class FeedRequest:
    """A feed to download; with the validators of a cached copy the request is conditional."""

    url: str
    etag: str | None = None
    last_modified: str | None = None


def feed_download(request: FeedRequest) -> FeedDownload:
    """The feed, checked as the engine will read it, or why it cannot be used (upstream's
    "Ical download failed" / "Ical parse failed" messages)."""
    try:
        result = fetch_calendar(request.url, etag=request.etag, last_modified=request.last_modified)
        if isinstance(result, FetchedCalendar):
            readable_calendar(result.text)
    except CalendarFeedError as exc:
        return exc
    except NotACalendar:
        return CalendarFeedError(PARSE_FAILED)
    except CalendarParseError as exc:
        return CalendarFeedError(f"{PARSE_FAILED}: {exc}")
    return result


def feeds_download(requests: Sequence[FeedRequest]) -> Iterator[tuple[int, FeedDownload]]:
    """The index of each request with its outcome, as the downloads end; at most
    ICAL_DOWNLOAD_WORKERS at a time."""
    refuse_inside_transaction("a feed download")
    if not requests:
        return
    workers = min(len(requests), settings.ICAL_DOWNLOAD_WORKERS)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="feed") as pool:
        futures = {
            pool.submit(feed_download, request): index for index, request in enumerate(requests)
        }
        for future in as_completed(futures):
            yield futures[future], future.result()


def feeds_by_url(urls: Sequence[str]) -> dict[str, FeedDownload]:
    """The outcome of downloading each URL once."""
    unique = list(dict.fromkeys(urls))
    downloads = feeds_download([FeedRequest(url) for url in unique])
    return {unique[index]: outcome for index, outcome in downloads}
