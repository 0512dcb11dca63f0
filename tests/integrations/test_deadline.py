"""Every outbound exchange ends at its wall-clock deadline, whatever part of the answer a
server drips: the server sees the client leave long before it would stop on its own."""

import pytest

from integrations.http import HttpFetchError, http_get, http_post
from integrations.ical_feed import DOWNLOAD_FAILED, CalendarFeedError, fetch_calendar
from tests.integrations.dripping import DRIPS, dripping_server

# Each byte comes every 0.05 s, well within a socket timeout of the same second.
TIMEOUT = 1.0


@pytest.fixture(autouse=True)
def short_deadline(settings):
    settings.HTTP_TIMEOUT = TIMEOUT


@pytest.mark.parametrize("drip", sorted(DRIPS))
def test_a_download_ends_at_its_deadline(drip):
    with dripping_server(drip) as server:
        with pytest.raises(HttpFetchError, match=r"download took longer than 1\.0 s"):
            http_get(server.url)
        assert server.client_left.wait(5)
    assert server.requests == 1


@pytest.mark.parametrize("drip", ["status line", "headers", "silence"])
def test_a_post_ends_at_its_deadline(drip):
    with dripping_server(drip) as server:
        with pytest.raises(HttpFetchError, match=r"download took longer than 1\.0 s"):
            http_post(server.url, body=b"{}", headers={"Content-Type": "application/json"})
        assert server.client_left.wait(5)


def test_a_feed_that_drips_is_a_failed_download():
    with (
        dripping_server("chunk-size lines") as server,
        pytest.raises(CalendarFeedError, match=DOWNLOAD_FAILED),
    ):
        fetch_calendar(server.url)
