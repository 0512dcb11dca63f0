"""Hostile input is answered or refused with a 4xx and never a 500 (issue 6, point 4).

How fast is measured in bench/, not here: a timed assertion fails on a loaded machine.
"""

import pytest
from freezegun import freeze_time

from users.models import Role, User
from users.services import next_grafana_id

pytestmark = pytest.mark.django_db


def rolling_body(groups: list[list[str]]) -> dict:
    return {
        "type": "rolling_users",
        "frequency": "daily",
        "start": "2030-01-01T09:00:00",
        "duration": 3600,
        "rolling_users": groups,
        "start_rotation_from_user_index": 0,
    }


def test_ten_thousand_unknown_users_in_rolling_users(api_client):
    groups = [[f"UNOSUCHUSER{index:05d}"] for index in range(10_000)]
    response = api_client.post("/api/v1/on_call_shifts/", rolling_body(groups), format="json")
    assert response.status_code == 400
    errors = response.json()["rolling_users"]
    assert (len(errors), errors["9999"]) == (10_000, ["User does not exist {'UNOSUCHUSER09999'}"])


def test_ten_thousand_users_in_rolling_users(api_client, organization):
    first = next_grafana_id(organization, User.objects.filter(organization=organization))
    users = User.objects.bulk_create(
        User(
            organization=organization,
            public_id=f"UBULK{index:08d}",
            grafana_id=first + index,
            username=f"bulk{index}",
            email=f"bulk{index}@example.com",
            role=Role.EDITOR,
        )
        for index in range(10_000)
    )
    groups = [[user.public_id] for user in users]
    response = api_client.post("/api/v1/on_call_shifts/", rolling_body(groups), format="json")
    assert response.status_code == 201, response.content[:300]
    body = {
        "name": "big",
        "type": "calendar",
        "time_zone": "UTC",
        "shifts": [response.json()["id"]],
    }
    schedule = api_client.post("/api/v1/schedules/", body, format="json").json()
    query = "start_date=2030-01-01&end_date=2030-12-31"
    response = api_client.get(f"/api/v1/schedules/{schedule['id']}/final_shifts?{query}")
    rows = response.json()["results"]
    assert (len(rows), rows[0]["user_username"], rows[-1]["user_username"]) == (
        364,
        "bulk0",
        "bulk363",
    )


def test_hourly_rule_running_for_ten_years_queried_over_a_year(api_client, admin):
    shift = {
        "type": "recurrent_event",
        "frequency": "hourly",
        "start": "2020-01-01T00:00:00",
        "until": "2030-01-01T00:00:00",
        "duration": 1800,
        "users": [admin.public_id],
    }
    shift_id = api_client.post("/api/v1/on_call_shifts/", shift, format="json").json()["id"]
    body = {"name": "hourly", "type": "calendar", "time_zone": "UTC", "shifts": [shift_id]}
    schedule = api_client.post("/api/v1/schedules/", body, format="json").json()
    query = "start_date=2028-01-01&end_date=2028-12-31"
    with freeze_time("2029-06-01T00:00:00"):
        response = api_client.get(f"/api/v1/schedules/{schedule['id']}/final_shifts?{query}")
        assert api_client.get(f"/api/v1/schedules/{schedule['id']}").status_code == 200
    assert response.json()["count"] == 365 * 24


def ical_with_events(count: int) -> str:
    event = (
        "BEGIN:VEVENT\r\nUID:e{index}\r\nDTSTART:20300101T000000Z\r\n"
        "DTEND:20300101T010000Z\r\nSUMMARY:admin\r\nEND:VEVENT\r\n"
    )
    body = "".join(event.format(index=index) for index in range(count))
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n{body}END:VCALENDAR\r\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (ical_with_events(100_000), "Ical download failed"),
        ("X" * (10 * 1024 * 1024), "Ical download failed"),
        (ical_with_events(25_000), "Ical parse failed: 25000 events, more than the 2000 allowed"),
    ],
    ids=["100000-events", "10-megabytes", "too-many-events-under-the-size-limit"],
)
def test_huge_calendars_are_refused(api_client, httpserver, text, message):
    httpserver.expect_request("/huge.ics").respond_with_data(text, content_type="text/calendar")
    body = {"name": "huge", "type": "ical", "ical_url_primary": httpserver.url_for("/huge.ics")}
    response = api_client.post("/api/v1/schedules/", body, format="json")
    assert (response.status_code, response.json()) == (400, {"ical_url_primary": [message]})
