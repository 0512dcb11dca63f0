"""No feed download starts while a transaction (and so the organization's write lock) is held:
not in a schedule write, its first `on_call_now` included, nor in a refresh or a read."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from werkzeug import Response

import schedules.feeds
from common.transactions import CallInsideTransaction
from integrations.http import http_get
from schedules import services
from schedules.models import CachedCalendar, Schedule
from tests.services.test_ical_refresh import calendar_naming

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def downloads(monkeypatch, organization, make_user):
    """Each download, with whether the requesting thread's connection was in a transaction
    when it started (the downloads themselves run on a pool's threads)."""
    make_user("bob")
    requester = connection
    started: list[bool] = []
    real = schedules.feeds.fetch_calendar

    def recording(url, **validators):
        started.append(requester.in_atomic_block)
        return real(url, **validators)

    monkeypatch.setattr(schedules.feeds, "fetch_calendar", recording)
    return started


@pytest.fixture
def feed_url(httpserver) -> str:
    httpserver.expect_request("/bob.ics").respond_with_handler(
        lambda request: Response(calendar_naming("bob"), content_type="text/calendar")
    )
    return httpserver.url_for("/bob.ics")


def test_writes_download_before_their_transaction(api_client, downloads, feed_url, httpserver):
    ical = api_client.post(
        "/api/v1/schedules/",
        {"name": "i", "type": "ical", "ical_url_primary": feed_url, "ical_url_overrides": feed_url},
        format="json",
    )
    assert ical.status_code == 201, ical.json()
    calendar = api_client.post(
        "/api/v1/schedules/",
        {"name": "c", "type": "calendar", "time_zone": "UTC", "ical_url_overrides": feed_url},
        format="json",
    )
    assert calendar.status_code == 201, calendar.json()
    other = httpserver.url_for("/bob.ics?v=2")
    for schedule_id, field in [
        (ical.json()["id"], "ical_url_primary"),
        (calendar.json()["id"], "ical_url_overrides"),
    ]:
        response = api_client.put(f"/api/v1/schedules/{schedule_id}", {field: other}, format="json")
        assert response.status_code == 200, response.json()
    assert downloads == [False] * 4
    # The calendar schedule's overrides feed was kept by its write: nothing left to download.
    assert CachedCalendar.objects.filter(text__isnull=True).count() == 0


def test_refreshes_and_reads_download_outside_transactions(
    api_client, organization, downloads, feed_url
):
    schedule = services.schedule_create(
        organization=organization, schedule_type="ical", name="i", ical_url_primary=feed_url
    )
    assert api_client.get("/api/v1/schedules/").status_code == 200  # fetched on first read
    call_command("refresh_ical", "--force")
    assert downloads == [False, False]
    assert Schedule.objects.get(pk=schedule.pk).cached_calendars.get().text == calendar_naming(
        "bob"
    )


def test_an_outbound_call_inside_a_transaction_is_refused(feed_url):
    with transaction.atomic(), pytest.raises(CallInsideTransaction):
        http_get(feed_url)


def test_a_slack_call_inside_a_transaction_is_refused(settings):
    from integrations.slack import SlackWorkspace

    settings.SLACK_API_URL = "http://127.0.0.1:9/api/"
    with transaction.atomic(), pytest.raises(CallInsideTransaction):
        SlackWorkspace("xoxb-test").call("auth.test")


def test_a_webhook_delivery_inside_a_transaction_is_refused(feed_url):
    from integrations.http import http_post

    with transaction.atomic(), pytest.raises(CallInsideTransaction):
        http_post(feed_url, body=b"{}", headers={})
