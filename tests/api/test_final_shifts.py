"""`GET /api/v1/schedules/{id}/final_shifts`: validation, window, rows, the fake page (§f.9)."""

import pytest

from schedules.models import CachedCalendar, Schedule
from schedules.versions import bump_schedules
from tests.api.helpers import created as post
from users import services as user_services
from users.models import Role

pytestmark = pytest.mark.django_db

FORMAT_ERROR = (
    "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm, YYYY-MM-DD."
)
REQUIRED = "This field is required."
OVER_A_YEAR = "The difference between start_date and end_date must be less than one year (365 days)"


def schedule_with(api_client, shift_body: dict, schedule_type: str = "web") -> dict:
    shift = post(api_client, "on_call_shifts", shift_body)
    body = {"name": "s", "type": schedule_type, "time_zone": "UTC", "shifts": [shift["id"]]}
    return post(api_client, "schedules", body)


def final_shifts(api_client, schedule_id: str, query: str):
    return api_client.get(f"/api/v1/schedules/{schedule_id}/final_shifts?{query}")


def rows_of(response) -> list[tuple[str, str, str]]:
    assert response.status_code == 200, response.json()
    return [
        (r["user_username"], r["shift_start"], r["shift_end"]) for r in response.json()["results"]
    ]


@pytest.fixture
def web_schedule(api_client) -> dict:
    return post(api_client, "schedules", {"name": "web", "type": "web", "time_zone": "UTC"})


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        ("start_date=2021-01-01", 400, {"end_date": [REQUIRED]}),
        ("end_date=2021-01-01", 400, {"start_date": [REQUIRED]}),
        ("start_date=asdfasdf&end_date=2021-01-01", 400, {"start_date": [FORMAT_ERROR]}),
        ("start_date=2021-01-01&end_date=asdfasdf", 400, {"end_date": [FORMAT_ERROR]}),
        ("start_date=2021-01-01 01:00&end_date=2021-01-02", 400, {"start_date": [FORMAT_ERROR]}),
        ("start_date=2021-01-01T01:00:00&end_date=2021-01-02", 400, {"start_date": [FORMAT_ERROR]}),
        ("start_date=2021-01-01T01:00Z&end_date=2021-01-02", 400, {"start_date": [FORMAT_ERROR]}),
        (
            "start_date=2022-01-01&end_date=2021-01-01",
            400,
            {"non_field_errors": ["start_date must be less than or equal to end_date"]},
        ),
        (
            "start_date=2019-12-31&end_date=2021-01-01",
            400,
            {"non_field_errors": [OVER_A_YEAR]},
        ),
        (
            "start_date=2020-01-01&end_date=2021-01-01",
            400,
            {"non_field_errors": [OVER_A_YEAR]},
        ),
        ("start_date=2021-01-01&end_date=2022-01-01", 200, None),
        ("start_date=2021-01-01T01:00&end_date=2021-01-02T01:00", 200, None),
        ("start_date=2021-01-01&end_date=2021-01-02T01:00", 200, None),
    ],
    ids=[
        "missing-end",
        "missing-start",
        "bad-start",
        "bad-end",
        "space",
        "seconds",
        "zone",
        "reversed",
        "over-a-year",
        "leap-year-366-days",
        "exactly-365-days",
        "datetimes",
        "mixed",
    ],
)
def test_query_validation(api_client, web_schedule, query, status, body):
    response = final_shifts(api_client, web_schedule["id"], query)
    assert response.status_code == status
    if body is not None:
        assert response.json() == body


def test_unknown_schedule_is_404(api_client):
    response = final_shifts(
        api_client, "SNOSUCHSCHED1", "start_date=2021-01-01&end_date=2021-01-02"
    )
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


@pytest.fixture
def alice(make_user):
    return make_user("alice", email="alice909450945045@example.com")


@pytest.fixture
def bob(make_user):
    return make_user("bob", email="bob123123123123123@example.com")


def test_web_schedule_export_matches_upstream(api_client, alice, bob):
    """UPSTREAM-CASES FS-02 (the seed document's example)."""
    schedule = schedule_with(
        api_client,
        {
            "type": "rolling_users",
            "frequency": "daily",
            "interval": 1,
            "by_day": ["MO", "WE", "FR"],
            "level": 1,
            "start": "2023-01-01T09:00:00",
            "rotation_start": "2023-01-01T09:00:00",
            "duration": 8 * 3600,
            "until": "2023-01-29T09:00:00",
            "rolling_users": [[alice.public_id], [bob.public_id]],
            "start_rotation_from_user_index": 0,
            "source": 0,
        },
    )
    response = final_shifts(
        api_client, schedule["id"], "start_date=2023-01-01T18:00&end_date=2023-02-01"
    )
    days = {
        "alice": ["02", "06", "11", "16", "20", "25"],
        "bob": ["04", "09", "13", "18", "23", "27"],
    }
    expected = sorted(
        (name, f"2023-01-{day}T09:00:00Z", f"2023-01-{day}T17:00:00Z")
        for name, ds in days.items()
        for day in ds
    )
    assert sorted(rows_of(response)) == expected
    body = response.json()
    assert {key: value for key, value in body.items() if key != "results"} == {
        "count": 12,
        "next": None,
        "previous": None,
        "current_page_number": 1,
        "page_size": 50,
        "total_pages": 1,
    }
    assert body["results"][0] == {
        "user_pk": alice.public_id,
        "user_email": "alice909450945045@example.com",
        "user_username": "alice",
        "shift_start": "2023-01-02T09:00:00Z",
        "shift_end": "2023-01-02T17:00:00Z",
    }


def test_calendar_schedule_rotation_from_user_index(api_client, alice, bob):
    """UPSTREAM-CASES FS-04: index 1 makes bob own the first day."""
    schedule = schedule_with(
        api_client,
        {
            "type": "rolling_users",
            "frequency": "daily",
            "start": "2023-01-01T09:00:00",
            "duration": 2 * 3600,
            "start_rotation_from_user_index": 1,
            "rolling_users": [[alice.public_id], [bob.public_id]],
        },
        "calendar",
    )
    rows = rows_of(
        final_shifts(
            api_client, schedule["id"], "start_date=2023-07-01T09:00&end_date=2023-07-31T11:00"
        )
    )
    hours = {name: sum(2 for row in rows if row[0] == name) for name in ("alice", "bob")}
    assert hours == {"alice": 32, "bob": 30}
    assert rows[0] == ("alice", "2023-07-01T09:00:00Z", "2023-07-01T11:00:00Z")


def test_rows_are_clipped_to_the_window(api_client, alice):
    """UPSTREAM-CASES FS-05."""
    schedule = schedule_with(
        api_client,
        {
            "type": "rolling_users",
            "frequency": "daily",
            "by_day": ["MO", "WE", "FR"],
            "start": "2023-01-01T09:00:00",
            "duration": 24 * 3600,
            "level": 1,
            "rolling_users": [[alice.public_id]],
            "start_rotation_from_user_index": 0,
            "source": 0,
        },
    )
    response = final_shifts(
        api_client, schedule["id"], "start_date=2023-01-03&end_date=2023-01-03T09:00"
    )
    assert rows_of(response) == [("alice", "2023-01-03T00:00:00Z", "2023-01-03T09:00:00Z")]


@pytest.fixture
def office_hours(api_client, alice) -> dict:
    shift = post(
        api_client,
        "on_call_shifts",
        {
            "type": "recurrent_event",
            "frequency": "daily",
            "start": "2023-01-02T09:00:00",
            "duration": 8 * 3600,
            "users": [alice.public_id],
        },
    )
    return post(
        api_client,
        "schedules",
        {"name": "c", "type": "calendar", "time_zone": "UTC", "shifts": [shift["id"]]},
    )


def test_zero_length_window_returns_the_covering_shift(api_client, office_hours):
    """UPSTREAM-CASES DER-02."""
    response = final_shifts(
        api_client, office_hours["id"], "start_date=2023-01-02T12:00&end_date=2023-01-02T12:00"
    )
    assert rows_of(response) == [("alice", "2023-01-02T12:00:00Z", "2023-01-02T12:00:00Z")]


def test_window_is_half_open(api_client, office_hours):
    response = final_shifts(
        api_client, office_hours["id"], "start_date=2023-01-02T17:00&end_date=2023-01-03T09:00"
    )
    assert rows_of(response) == []


def test_viewers_are_never_on_call(api_client, office_hours, alice):
    user_services.user_update(user=alice, role=Role.VIEWER)
    response = final_shifts(
        api_client, office_hours["id"], "start_date=2023-01-02&end_date=2023-01-03"
    )
    assert rows_of(response) == []


def test_ical_schedule_rows(api_client, alice, bob, httpserver):
    """UPSTREAM-CASES FS-03: two daily events from an iCal feed."""
    ics = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//test//EN",
            "BEGIN:VEVENT",
            "UID:day",
            "DTSTART:20230601T090000Z",
            "DTEND:20230601T180000Z",
            "RRULE:FREQ=DAILY",
            "SUMMARY:alice",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:evening",
            "DTSTART:20230601T180000Z",
            "DTEND:20230601T210000Z",
            "RRULE:FREQ=DAILY",
            "SUMMARY:BOB123123123123123@example.com",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
    httpserver.expect_request("/cal.ics").respond_with_data(ics, content_type="text/calendar")
    schedule = post(
        api_client,
        "schedules",
        {"name": "i", "type": "ical", "ical_url_primary": httpserver.url_for("/cal.ics")},
    )
    rows = rows_of(
        final_shifts(
            api_client, schedule["id"], "start_date=2023-07-01T09:00&end_date=2023-07-31T21:00"
        )
    )
    assert (sum(1 for r in rows if r[0] == "alice"), sum(1 for r in rows if r[0] == "bob")) == (
        31,
        31,
    )
    assert rows[:2] == [
        ("alice", "2023-07-01T09:00:00Z", "2023-07-01T18:00:00Z"),
        ("bob", "2023-07-01T18:00:00Z", "2023-07-01T21:00:00Z"),
    ]


def test_unparsable_stored_calendar_yields_no_rows_and_a_logged_error(
    api_client, alice, httpserver, caplog
):
    httpserver.expect_request("/cal.ics").respond_with_data(
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", content_type="text/calendar"
    )
    schedule = post(
        api_client,
        "schedules",
        {"name": "i", "type": "ical", "ical_url_primary": httpserver.url_for("/cal.ics")},
    )
    CachedCalendar.objects.filter(schedule__public_id=schedule["id"]).update(
        text="garbage\r\nnot ical"
    )
    # As a refresh that stores a new text does.
    bump_schedules(Schedule.objects.filter(public_id=schedule["id"]).values_list("pk", flat=True))
    response = final_shifts(api_client, schedule["id"], "start_date=2023-07-01&end_date=2023-07-02")
    assert rows_of(response) == []
    assert f"schedule {schedule['id']}: unreadable iCal calendar" in caplog.text
    assert api_client.get(f"/api/v1/schedules/{schedule['id']}").json()["on_call_now"] == []


def test_calendar_overrides_from_ical_url(api_client, alice, bob, httpserver, office_hours):
    ics = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//test//EN",
            "BEGIN:VEVENT",
            "UID:ovr",
            "DTSTART:20230102T120000Z",
            "DTEND:20230102T130000Z",
            "SUMMARY:bob",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
    httpserver.expect_request("/ovr.ics").respond_with_data(ics, content_type="text/calendar")
    api_client.put(
        f"/api/v1/schedules/{office_hours['id']}",
        {"ical_url_overrides": httpserver.url_for("/ovr.ics")},
        format="json",
    )
    response = final_shifts(
        api_client, office_hours["id"], "start_date=2023-01-02&end_date=2023-01-03"
    )
    assert rows_of(response) == [
        ("alice", "2023-01-02T09:00:00Z", "2023-01-02T12:00:00Z"),
        ("bob", "2023-01-02T12:00:00Z", "2023-01-02T13:00:00Z"),
        ("alice", "2023-01-02T13:00:00Z", "2023-01-02T17:00:00Z"),
    ]


def test_calendar_schedule_with_web_overrides_uses_override_shifts(
    api_client, alice, bob, office_hours
):
    """DECISIONS D5: an API override (no `source`) puts its users on call."""
    override = post(
        api_client,
        "on_call_shifts",
        {
            "type": "override",
            "start": "2023-01-02T12:00:00",
            "duration": 3600,
            "users": [bob.public_id],
        },
    )
    shifts = [*office_hours["shifts"], override["id"]]
    response = api_client.put(
        f"/api/v1/schedules/{office_hours['id']}",
        {"enable_web_overrides": True, "shifts": shifts},
        format="json",
    )
    assert response.status_code == 200, response.json()
    rows = rows_of(
        final_shifts(api_client, office_hours["id"], "start_date=2023-01-02&end_date=2023-01-03")
    )
    assert rows == [
        ("alice", "2023-01-02T09:00:00Z", "2023-01-02T12:00:00Z"),
        ("bob", "2023-01-02T12:00:00Z", "2023-01-02T13:00:00Z"),
        ("alice", "2023-01-02T13:00:00Z", "2023-01-02T17:00:00Z"),
    ]


def test_web_schedule_api_override_without_source(api_client, alice, bob):
    """DECISIONS D5 (upstream renders nothing for an override created without `source: 0`)."""
    rotation = post(
        api_client,
        "on_call_shifts",
        {
            "type": "single_event",
            "start": "2023-01-02T09:00:00",
            "duration": 8 * 3600,
            "users": [alice.public_id],
        },
    )
    override = post(
        api_client,
        "on_call_shifts",
        {
            "type": "override",
            "start": "2023-01-02T10:00:00",
            "duration": 3600,
            "users": [bob.public_id],
        },
    )
    schedule = post(
        api_client,
        "schedules",
        {
            "name": "w",
            "type": "web",
            "time_zone": "UTC",
            "shifts": [rotation["id"], override["id"]],
        },
    )
    rows = rows_of(
        final_shifts(api_client, schedule["id"], "start_date=2023-01-02&end_date=2023-01-03")
    )
    assert rows == [
        ("alice", "2023-01-02T09:00:00Z", "2023-01-02T10:00:00Z"),
        ("bob", "2023-01-02T10:00:00Z", "2023-01-02T11:00:00Z"),
        ("alice", "2023-01-02T11:00:00Z", "2023-01-02T17:00:00Z"),
    ]
