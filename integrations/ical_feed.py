"""Remote iCalendar feeds: download and check that the text is a calendar."""

from dataclasses import dataclass

import icalendar
from django.conf import settings

from integrations.http import HttpFetchError, http_get

SELF_REFERENCE = "Potential self-reference"
DOWNLOAD_FAILED = "Ical download failed"
PARSE_FAILED = "Ical parse failed"


class CalendarFeedError(Exception):
    """A feed URL that cannot be used; the message is upstream's validation message."""


@dataclass(frozen=True, slots=True)
class FetchedCalendar:
    url: str
    text: str


def fetch_calendar(url: str) -> FetchedCalendar:
    """The calendar at `url`, or CalendarFeedError with upstream's message."""
    if settings.BASE_URL and settings.BASE_URL in url:
        raise CalendarFeedError(SELF_REFERENCE)
    try:
        text = http_get(url).text
    except HttpFetchError as exc:
        raise CalendarFeedError(DOWNLOAD_FAILED) from exc
    try:
        icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        raise CalendarFeedError(PARSE_FAILED) from exc
    return FetchedCalendar(url=url, text=text)
