"""Hostile calendars through the API: refused with upstream's "Ical parse failed" when saved or
refreshed, and bounded when read (docs/ical-feeds.md#limits)."""

import pytest
from django.core.management import call_command
from freezegun import freeze_time
from werkzeug import Response

from schedules.models import CachedCalendar
from tests.engine.test_ical import calendar, vevent

pytestmark = pytest.mark.django_db

YEAR_ONE = (":00010101T090000Z", ":00010101T100000Z")


def feed(rule: str) -> str:
    return calendar(vevent("s@x", *YEAR_ONE, "SUMMARY:alice", f"RRULE:{rule}"))


HOSTILE = {
    "interval 0": "FREQ=DAILY;INTERVAL=0",
    "count 0": "FREQ=DAILY;COUNT=0",
    "count and until": "FREQ=DAILY;COUNT=2;UNTIL=20300101T000000Z",
    "30 february": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "count too large": "FREQ=HOURLY;COUNT=1000000000",
}


@pytest.fixture
def served(httpserver):
    """A feed whose text the test sets: `served["text"]`."""
    state = {"text": feed("FREQ=DAILY")}
    httpserver.expect_request("/feed.ics").respond_with_handler(
        lambda request: Response(state["text"], content_type="text/calendar")
    )
    httpserver.expect_request("/good.ics").respond_with_data(
        feed("FREQ=DAILY"), content_type="text/calendar"
    )
    state["url"] = httpserver.url_for("/feed.ics")
    state["good"] = httpserver.url_for("/good.ics")
    return state


@pytest.mark.parametrize("rule", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("field", ["ical_url_primary", "ical_url_overrides"])
def test_a_hostile_feed_is_refused_when_saved(api_client, served, field, rule):
    served["text"] = feed(rule)
    body = {"name": "i", "type": "ical", "ical_url_primary": served["good"], field: served["url"]}
    response = api_client.post("/api/v1/schedules/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert response.json()[field][0].startswith("Ical parse failed: ")


def test_a_hostile_update_is_refused_and_changes_nothing(api_client, served):
    body = {"name": "i", "type": "ical", "ical_url_primary": served["url"]}
    schedule = api_client.post("/api/v1/schedules/", body, format="json").json()
    served["text"] = feed("FREQ=DAILY;INTERVAL=0")
    response = api_client.put(
        f"/api/v1/schedules/{schedule['id']}",
        {"ical_url_primary": served["url"] + "?v=2"},
        format="json",
    )
    assert response.status_code == 400
    assert CachedCalendar.objects.get().text == feed("FREQ=DAILY")


def test_a_calendar_schedules_hostile_overrides_feed_is_kept_out(api_client, served):
    served["text"] = feed("FREQ=DAILY;INTERVAL=0")
    body = {
        "name": "c",
        "type": "calendar",
        "time_zone": "UTC",
        "ical_url_overrides": served["url"],
    }
    response = api_client.post("/api/v1/schedules/", body, format="json")
    assert response.status_code == 201
    assert response.json()["on_call_now"] == []
    copy = CachedCalendar.objects.get()
    assert (copy.text, copy.last_error.split(":")[0]) == (None, "Ical parse failed")


def test_a_refresh_keeps_the_last_good_copy_of_a_feed_turned_hostile(api_client, served):
    body = {"name": "i", "type": "ical", "ical_url_primary": served["url"]}
    assert api_client.post("/api/v1/schedules/", body, format="json").status_code == 201
    served["text"] = feed("FREQ=DAILY;INTERVAL=0")
    call_command("refresh_ical", "--force", stdout=None)
    copy = CachedCalendar.objects.get()
    assert copy.text == feed("FREQ=DAILY")
    assert copy.last_error.startswith("Ical parse failed: ")


@freeze_time("2026-12-03T12:00:00Z")
def test_an_hourly_series_from_year_one_is_read_over_the_window_only(api_client, served, alice):
    served["text"] = calendar(vevent("s@x", *YEAR_ONE, "SUMMARY:alice", "RRULE:FREQ=HOURLY"))
    body = {"name": "i", "type": "ical", "ical_url_primary": served["url"]}
    schedule = api_client.post("/api/v1/schedules/", body, format="json").json()
    assert schedule["on_call_now"] == [alice.public_id]
    response = api_client.get(
        f"/api/v1/schedules/{schedule['id']}/final_shifts",
        {"start_date": "2026-12-01", "end_date": "2026-12-03"},
    )
    assert response.status_code == 200
    rows = response.json()["results"]
    assert (len(rows), rows[0]["shift_start"], rows[-1]["shift_end"]) == (
        48,
        "2026-12-01T00:00:00Z",
        "2026-12-03T00:00:00Z",
    )


def test_a_stored_hostile_copy_contributes_nothing(api_client, served, alice, caplog):
    body = {"name": "i", "type": "ical", "ical_url_primary": served["url"]}
    schedule = api_client.post("/api/v1/schedules/", body, format="json").json()
    # As a copy stored before the rules were checked.
    CachedCalendar.objects.update(text=feed("FREQ=DAILY;INTERVAL=0"))
    from schedules.versions import bump_schedules

    bump_schedules(CachedCalendar.objects.values_list("schedule_id", flat=True))
    response = api_client.get(f"/api/v1/schedules/{schedule['id']}")
    assert (response.status_code, response.json()["on_call_now"]) == (200, [])
    assert "unreadable iCal calendar" in caplog.text


def test_a_feed_of_9999_events_is_refused_before_it_is_parsed(api_client, served):
    served["text"] = calendar(*(vevent(f"e{n}@x", *YEAR_ONE, "SUMMARY:alice") for n in range(9999)))
    body = {"name": "i", "type": "ical", "ical_url_primary": served["url"]}
    response = api_client.post("/api/v1/schedules/", body, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"ical_url_primary": ["Ical parse failed: 9999 events, more than the 2000 allowed"]},
    )
