"""Remote iCalendar feeds: download, and bound the text before anyone parses it (the caller reads
it as a calendar, once: parsing a large feed is most of its cost)."""

from dataclasses import dataclass

from django.conf import settings

from integrations.http import HttpFetchError, UrlNotAllowed, http_get

DOWNLOAD_FAILED = "Ical download failed"
PARSE_FAILED = "Ical parse failed"


class CalendarFeedError(Exception):
    """A feed URL that cannot be used; the message is upstream's validation message, or ours
    for a URL the SSRF guard refuses (see integrations.net_guard)."""


@dataclass(frozen=True, slots=True)
class FetchedCalendar:
    url: str
    text: str
    # Validators for the next conditional fetch (None when the server sent none).
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class CalendarNotModified:
    """The copy fetched with these validators is still current; keep them for next time."""

    url: str
    etag: str | None = None
    last_modified: str | None = None


def fetch_calendar(
    url: str, *, etag: str | None = None, last_modified: str | None = None
) -> FetchedCalendar | CalendarNotModified:
    """The calendar text at `url`, or CalendarFeedError with upstream's message. With the validators
    of a cached copy the request is conditional and may answer CalendarNotModified; without
    them the answer is always a FetchedCalendar."""
    try:
        response = http_get(url, etag=etag, last_modified=last_modified)
    except UrlNotAllowed as exc:
        raise CalendarFeedError(str(exc)) from exc
    except HttpFetchError as exc:
        raise CalendarFeedError(DOWNLOAD_FAILED) from exc
    if response.not_modified:
        return CalendarNotModified(
            url=url, etag=response.etag, last_modified=response.last_modified
        )
    text = response.text
    # Counted before parsing: reading a calendar costs time in proportion to its events.
    events = text.count("BEGIN:VEVENT")
    if events > settings.ICAL_MAX_EVENTS:
        raise CalendarFeedError(
            f"Ical parse failed: {events} events, more than the {settings.ICAL_MAX_EVENTS} allowed"
        )
    return FetchedCalendar(
        url=url, text=text, etag=response.etag, last_modified=response.last_modified
    )
