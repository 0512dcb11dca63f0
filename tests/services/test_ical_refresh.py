"""Refreshing cached iCal feeds: `refresh_ical`, the Celery task, D3 (keep the last good copy)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from schedules.models import CachedCalendar
from schedules.tasks import refresh_ical_feeds

pytestmark = pytest.mark.django_db


def calendar_naming(username: str) -> str:
    return "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//test//EN",
            "BEGIN:VEVENT",
            "UID:one",
            "DTSTART:20300101T000000Z",
            "DTEND:20300102T000000Z",
            f"SUMMARY:{username}",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )


@pytest.fixture
def feed(httpserver):
    """A feed whose answer the test can change: `feed["text"]`, `feed["status"]`."""
    state = {"text": calendar_naming("alice"), "status": 200}

    def respond(request):
        from werkzeug import Response

        return Response(state["text"], status=state["status"], content_type="text/calendar")

    httpserver.expect_request("/feed.ics").respond_with_handler(respond)
    state["url"] = httpserver.url_for("/feed.ics")
    return state


@pytest.fixture
def schedule(api_client, feed) -> dict:
    with freeze_time("2030-01-01T00:00:00"):
        response = api_client.post(
            "/api/v1/schedules/",
            {"name": "ical", "type": "ical", "ical_url_primary": feed["url"]},
            format="json",
        )
    assert response.status_code == 201, response.json()
    return response.json()


def refresh(*args: str) -> str:
    out = StringIO()
    call_command("refresh_ical", *args, stdout=out)
    return out.getvalue().strip()


def cached() -> CachedCalendar:
    return CachedCalendar.objects.get()


def test_validation_download_is_the_cached_copy(schedule, httpserver):
    assert "SUMMARY:alice" in cached().text
    assert len(httpserver.log) == 1


def test_refresh_skips_fresh_feeds_and_downloads_stale_ones(schedule, feed):
    feed["text"] = calendar_naming("bob")
    with freeze_time("2030-01-01T00:05:00"):
        assert refresh() == "refreshed 0 feed(s), 0 failed"
    with freeze_time("2030-01-01T00:10:01"):
        assert refresh() == "refreshed 1 feed(s), 0 failed"
    assert "SUMMARY:bob" in cached().text


def test_force_refreshes_everything(schedule, feed):
    feed["text"] = calendar_naming("bob")
    with freeze_time("2030-01-01T00:01:00"):
        assert refresh("--force") == "refreshed 1 feed(s), 0 failed"
    assert "SUMMARY:bob" in cached().text


def test_failed_refresh_keeps_the_last_good_copy(schedule, feed, make_user, api_client):
    """DECISIONS D3: a failing feed does not empty the schedule."""
    make_user("alice")
    feed["status"] = 500
    with freeze_time("2030-01-01T12:00:00"):
        assert refresh("--force") == "refreshed 0 feed(s), 1 failed"
        body = api_client.get(f"/api/v1/schedules/{schedule['id']}").json()
    stored = cached()
    assert "SUMMARY:alice" in stored.text
    assert (stored.last_error, stored.last_error_at.isoformat()) == (
        "Ical download failed",
        "2030-01-01T12:00:00+00:00",
    )
    assert len(body["on_call_now"]) == 1


def test_celery_task_runs_the_same_refresh(schedule, feed):
    feed["text"] = calendar_naming("bob")
    with freeze_time("2030-01-01T00:00:00") as frozen:
        frozen.tick(timedelta(minutes=11))
        assert refresh_ical_feeds() == {"refreshed": 1, "failed": 0}


def test_changing_the_url_drops_the_copy(schedule, api_client, httpserver):
    httpserver.expect_request("/other.ics").respond_with_data(
        calendar_naming("carol"), content_type="text/calendar"
    )
    other = httpserver.url_for("/other.ics")
    api_client.put(
        f"/api/v1/schedules/{schedule['id']}", {"ical_url_primary": other}, format="json"
    )
    assert (cached().url, "SUMMARY:carol" in cached().text) == (other, True)


def test_never_fetched_feed_is_fetched_on_first_read(api_client, feed, httpserver, make_user):
    """A calendar schedule's overrides URL is not downloaded at validation (upstream rule)."""
    alice = make_user("alice")
    with freeze_time("2030-01-01T12:00:00"):
        created = api_client.post(
            "/api/v1/schedules/",
            {
                "name": "c",
                "type": "calendar",
                "time_zone": "UTC",
                "ical_url_overrides": feed["url"],
            },
            format="json",
        ).json()
        again = api_client.get(f"/api/v1/schedules/{created['id']}").json()
    assert created["on_call_now"] == again["on_call_now"] == [alice.public_id]
    assert len(httpserver.log) == 1


def test_refresh_is_conditional(api_client, httpserver):
    """The stored ETag goes back as If-None-Match; a 304 keeps the copy and counts as fresh."""
    from werkzeug import Response

    seen = []

    def respond(request):
        seen.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(
            calendar_naming("alice"), headers={"ETag": '"v1"'}, content_type="text/calendar"
        )

    httpserver.expect_request("/etag.ics").respond_with_handler(respond)
    with freeze_time("2030-01-01T00:00:00"):
        api_client.post(
            "/api/v1/schedules/",
            {"name": "e", "type": "ical", "ical_url_primary": httpserver.url_for("/etag.ics")},
            format="json",
        )
    with freeze_time("2030-01-01T01:00:00"):
        assert refresh() == "refreshed 1 feed(s), 0 failed"
    stored = cached()
    assert seen == [None, '"v1"']
    assert (stored.etag, "SUMMARY:alice" in stored.text) == ('"v1"', True)
    assert stored.fetched_at.isoformat() == "2030-01-01T01:00:00+00:00"
