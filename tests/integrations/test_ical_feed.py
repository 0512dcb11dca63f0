"""`fetch_calendar` and the 400 messages a schedule's feed URLs get from it."""

import pytest

from integrations.ical_feed import (
    DOWNLOAD_FAILED,
    CalendarFeedError,
    CalendarNotModified,
    FetchedCalendar,
    fetch_calendar,
)
from integrations.net_guard import ONLY_HTTP, SELF_REFERENCE
from tests.integrations.helpers import CALENDAR_ICS, serve

ETAG = '"v1"'
LAST_MODIFIED = "Mon, 06 Jan 2025 09:00:00 GMT"
PRIVATE = "URL not allowed: 10.0.0.1 resolves to a private address"
LOOPBACK = "URL not allowed: localhost resolves to a loopback address"


@pytest.fixture
def calendar_url(httpserver) -> str:
    return serve(httpserver, "/cal.ics", headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED})


def test_fetch_carries_text_and_validators(calendar_url):
    assert fetch_calendar(calendar_url) == FetchedCalendar(
        url=calendar_url, text=CALENDAR_ICS, etag=ETAG, last_modified=LAST_MODIFIED
    )


def test_fetch_without_validators_from_the_server(httpserver):
    url = serve(httpserver, "/cal.ics")
    assert fetch_calendar(url) == FetchedCalendar(url=url, text=CALENDAR_ICS)


def test_conditional_fetch_not_modified(httpserver):
    httpserver.expect_request("/cal.ics", headers={"If-None-Match": ETAG}).respond_with_data(
        "", status=304, headers={"ETag": ETAG}
    )
    url = httpserver.url_for("/cal.ics")
    assert fetch_calendar(url, etag=ETAG, last_modified=LAST_MODIFIED) == CalendarNotModified(
        url=url, etag=ETAG, last_modified=LAST_MODIFIED
    )


def test_conditional_fetch_modified(calendar_url):
    assert fetch_calendar(calendar_url, etag='"v0"') == FetchedCalendar(
        url=calendar_url, text=CALENDAR_ICS, etag=ETAG, last_modified=LAST_MODIFIED
    )


def test_the_text_is_left_to_the_caller_to_parse(httpserver):
    """Parsing a large feed is most of its cost: the caller reads it as a calendar, once
    (`schedules.feeds.feed_download`, tested through the API)."""
    url = serve(httpserver, "/cal.ics", body="not a calendar")
    assert fetch_calendar(url) == FetchedCalendar(url=url, text="not a calendar")


@pytest.mark.parametrize(
    ("respond", "message"),
    [
        ({"status": 404}, DOWNLOAD_FAILED),
        ({"body": CALENDAR_ICS + " " * 5000}, DOWNLOAD_FAILED),  # over HTTP_MAX_BYTES
    ],
    ids=["404", "too-big"],
)
def test_feed_errors(httpserver, settings, respond, message):
    settings.HTTP_MAX_BYTES = 4096
    url = serve(httpserver, "/cal.ics", **respond)
    with pytest.raises(CalendarFeedError, match=message):
        fetch_calendar(url)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://10.0.0.1/cal.ics", PRIVATE),
        ("file:///etc/passwd", ONLY_HTTP),
        ("http://127.0.0.1:8000/api/v1/export", SELF_REFERENCE),
    ],
    ids=["private", "file", "self-reference"],
)
def test_refused_urls(settings, no_allowed_hosts, url, message):
    settings.BASE_URL = "http://127.0.0.1:8000"
    with pytest.raises(CalendarFeedError) as refused:
        fetch_calendar(url)
    assert str(refused.value) == message


@pytest.mark.django_db
class TestScheduleMessages:
    """The refusal reaches the client as the field's 400 message."""

    def test_create(self, api_client, no_allowed_hosts, httpserver):
        body = {"name": "x", "type": "ical", "ical_url_primary": serve(httpserver, "/cal.ics")}
        response = api_client.post("/api/v1/schedules/", body, format="json")
        assert (response.status_code, response.json()) == (400, {"ical_url_primary": [LOOPBACK]})
        assert httpserver.log == []

    def test_update(self, api_client, settings, httpserver):
        body = {"name": "x", "type": "ical", "ical_url_primary": serve(httpserver, "/cal.ics")}
        created = api_client.post("/api/v1/schedules/", body, format="json")
        assert created.status_code == 201, created.json()
        settings.ICAL_ALLOWED_HOSTS = []
        response = api_client.put(
            f"/api/v1/schedules/{created.json()['id']}/",
            {"ical_url_overrides": "gopher://example.com/x"},
            format="json",
        )
        assert (response.status_code, response.json()) == (
            400,
            {"ical_url_overrides": [ONLY_HTTP]},
        )
