"""Every outbound exchange ends at its wall-clock deadline, whatever part of the answer a
server drips: the server sees the client leave long before it would stop on its own."""

import pytest

from integrations.http import HttpFetchError, http_get, http_post
from integrations.ical_feed import DOWNLOAD_FAILED, CalendarFeedError, fetch_calendar
from integrations.webhooks import WebhookUrlRefused, check_webhook_url
from tests.integrations.dripping import DRIPS, dripping_server
from tests.integrations.helpers import serve_redirect
from tests.integrations.stalling import STALLING_HOST, stalling_resolver

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


def test_a_resolver_that_stalls_ends_the_download_at_its_deadline(monkeypatch):
    """The SSRF guard's lookup of the name never answers: the download gives up at its
    deadline while the lookup is still waiting."""
    with stalling_resolver(monkeypatch) as resolver:
        with pytest.raises(HttpFetchError, match=r"download took longer than 1\.0 s"):
            http_get(f"http://{STALLING_HOST}/cal.ics")
        assert resolver.stalled == 1


def test_the_connections_own_lookup_is_under_the_deadline_too(monkeypatch, settings):
    """A host exempt from the guard's check is looked up only when connecting: that lookup,
    urllib3's own before, is bounded as well."""
    settings.ICAL_ALLOWED_HOSTS = [STALLING_HOST]
    with stalling_resolver(monkeypatch) as resolver:
        with pytest.raises(HttpFetchError, match=r"download took longer than 1\.0 s"):
            http_post(f"http://{STALLING_HOST}/hook", body=b"{}", headers={})
        assert resolver.stalled == 1


def test_a_redirect_to_a_name_that_stalls_ends_at_the_deadline(httpserver, monkeypatch):
    url = serve_redirect(httpserver, "/moved", f"http://{STALLING_HOST}/cal.ics")
    with stalling_resolver(monkeypatch) as resolver:
        with pytest.raises(CalendarFeedError, match=DOWNLOAD_FAILED):
            fetch_calendar(url)
        assert resolver.stalled == 1


def test_a_webhook_url_whose_name_stalls_is_refused_in_time(monkeypatch):
    with stalling_resolver(monkeypatch) as resolver:
        with pytest.raises(WebhookUrlRefused) as refused:
            check_webhook_url(f"https://{STALLING_HOST}/hook")
        assert resolver.stalled == 1
    assert str(refused.value) == f"URL not allowed: resolving {STALLING_HOST} took longer than 1 s"
