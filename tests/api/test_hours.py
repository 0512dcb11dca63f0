"""`GET /api/v1/schedules/{id}/hours` and `/api/v1/schedules/hours?schedule_ids=`: the hours
report from the schedule (the log's part is in tests/oncall_events/test_hours_from_log.py),
its bounds, CSV and roles (docs/hours.md)."""

import pytest
from freezegun import freeze_time

from tests.api.helpers import NO_PERMISSION, NOT_FOUND, UNKNOWN_IDS
from tests.api.helpers import created as post
from tests.api.hours_helpers import final_shifts_seconds, hours, seconds_by_user
from users import services as user_services
from users.models import Role

pytestmark = pytest.mark.django_db

H = 3600
# Monday to Monday, the fixture's first week: alice 09:00-17:00 and bob 17:00-09:00 UTC daily.
WEEK = "start_date=2026-03-23&end_date=2026-03-30"


def schedule_of(api_client, name: str, shift: dict, user) -> dict:
    """A calendar schedule in UTC of one shift of `user`."""
    shift_id = post(api_client, "on_call_shifts", {**shift, "users": [user.public_id]})["id"]
    body = {"name": name, "type": "calendar", "time_zone": "UTC", "shifts": [shift_id]}
    return post(api_client, "schedules", body)


@freeze_time("2026-03-01T00:00:00")
def test_a_week_ahead_in_utc(api_client, schedule, alice, bob):
    response = hours(api_client, schedule["id"], WEEK)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    users = {user["username"]: user for user in response.json()["users"]}
    assert response.json() == {
        "start": "2026-03-23T00:00:00Z",
        "end": "2026-03-30T00:00:00Z",
        "time_zone": "UTC",
        "schedules": [{"id": schedule["id"], "name": "Primary", "logged": None}],
        "users": [users["alice"], users["bob"]],
    }
    assert users["alice"] == {
        "id": alice.public_id,
        "username": "alice",
        "email": "alice@example.com",
        "hours": {"total": 56.0, "weekday": 40.0, "weekend": 16.0, "night": 0.0},
        "seconds": {"total": 56 * H, "weekday": 40 * H, "weekend": 16 * H, "night": 0},
    }
    # 17:00-09:00 from Monday evening to the window's end; nights are 22:00-07:00.
    assert users["bob"]["seconds"] == {
        "total": 103 * H,
        "weekday": 71 * H,
        "weekend": 32 * H,
        "night": 56 * H,
    }


@pytest.mark.parametrize(
    ("now", "query", "start", "end"),
    [
        ("2026-03-01T00:00", WEEK, "2026-03-23T00:00", "2026-03-30T00:00"),
        # Through the DST change of 29 March: the window is 47 hours.
        (
            "2026-03-01T00:00",
            "start_date=2026-03-28&end_date=2026-03-30&time_zone=Europe/Berlin",
            "2026-03-27T23:00",
            "2026-03-29T22:00",
        ),
        (
            "2026-03-01T00:00",
            "start_date=2026-03-23T08:30&end_date=2027-03-23T08:30&time_zone=America/Chicago",
            "2026-03-23T13:30",
            "2027-03-23T13:30",
        ),
        # "Now" inside the window and no on-call log: the past comes from the schedule too.
        ("2026-03-25T12:34", WEEK, "2026-03-23T00:00", "2026-03-30T00:00"),
    ],
    ids=["future", "dst-berlin", "a-year-chicago", "now-inside"],
)
def test_totals_are_the_sum_of_final_shifts(api_client, schedule, now, query, start, end):
    with freeze_time(now):
        report = hours(api_client, schedule["id"], query)
        expected = final_shifts_seconds(api_client, [schedule["id"]], start, end)

    assert report.json()["start"] == f"{start}:00Z"
    assert report.json()["end"] == f"{end}:00Z"
    assert seconds_by_user(report) == expected
    for user in report.json()["users"]:
        seconds = user["seconds"]
        assert seconds["weekday"] + seconds["weekend"] == seconds["total"]


@freeze_time("2026-03-01T00:00:00")
def test_nights_and_weekends_in_the_zone_asked_on_a_short_night(api_client, schedule):
    """Saturday and Sunday in Berlin, whose clocks go forward on Sunday at 02:00: that night
    lasts 8 hours."""
    query = "start_date=2026-03-28&end_date=2026-03-30&time_zone=Europe/Berlin"
    response = hours(api_client, schedule["id"], query)

    assert response.json()["time_zone"] == "Europe/Berlin"
    by_user = {user["username"]: user["seconds"] for user in response.json()["users"]}
    # alice is on call 10:00-18:00 on Saturday and 11:00-19:00 on Sunday, Berlin time.
    assert by_user["alice"] == {"total": 16 * H, "weekday": 0, "weekend": 16 * H, "night": 0}
    # bob: Saturday 00:00-07:00 (7), Saturday 22:00 to Sunday 07:00 (8), Sunday 22:00-24:00 (2).
    assert by_user["bob"] == {"total": 31 * H, "weekday": 0, "weekend": 31 * H, "night": 17 * H}


@freeze_time("2026-10-01T00:00:00")
def test_a_long_night_when_the_clocks_go_back(api_client, make_user):
    carol = make_user("carol", Role.EDITOR)
    schedule = schedule_of(
        api_client,
        "Always",
        {"type": "single_event", "start": "2026-10-01T00:00:00", "duration": 60 * 24 * H},
        carol,
    )
    # Friday to Monday in Berlin, whose clocks go back on Sunday 25 October at 03:00.
    query = "start_date=2026-10-23&end_date=2026-10-26&time_zone=Europe/Berlin"

    seconds = seconds_by_user(hours(api_client, schedule["id"], query), "night")
    totals = seconds_by_user(hours(api_client, schedule["id"], query))

    # Friday 00:00-07:00 and 22:00-07:00 (9), Saturday 22:00 to Sunday 07:00 (10), Sunday
    # 22:00-24:00.
    assert seconds == {"carol": (7 + 9 + 10 + 2) * H}
    assert totals == {"carol": 73 * H}


@freeze_time("2026-03-01T00:00:00")
def test_several_schedules_add_up(api_client, schedule, make_user):
    carol = make_user("carol", Role.EDITOR)
    saturdays = {
        "type": "recurrent_event",
        "frequency": "weekly",
        "week_start": "MO",
        "by_day": ["SA"],
        "start": "2026-03-21T00:00:00",
        "duration": 24 * H,
    }
    weekend = schedule_of(api_client, "Weekend", saturdays, carol)
    ids = [schedule["id"], weekend["id"]]

    # Repeated and comma-separated ids, and an id twice, name the same schedules.
    for selection in (",".join(ids), f"{ids[0]}&schedule_ids={ids[1]}&schedule_ids={ids[0]}"):
        response = api_client.get(f"/api/v1/schedules/hours?schedule_ids={selection}&{WEEK}")
        assert [item["id"] for item in response.json()["schedules"]] == ids
        assert seconds_by_user(response) == final_shifts_seconds(
            api_client, ids, "2026-03-23T00:00", "2026-03-30T00:00"
        )
        assert seconds_by_user(response, "weekend") == {
            "alice": 16 * H,
            "bob": 32 * H,
            "carol": 24 * H,
        }


@freeze_time("2026-03-01T00:00:00")
def test_csv(api_client, schedule):
    expected = (
        "user_id,username,email,total_hours,weekday_hours,weekend_hours,night_hours\r\n"
        "{alice},alice,alice@example.com,56.00,40.00,16.00,0.00\r\n"
        "{bob},bob,bob@example.com,103.00,71.00,32.00,56.00\r\n"
    )
    json_users = hours(api_client, schedule["id"], WEEK).json()["users"]
    expected = expected.format(alice=json_users[0]["id"], bob=json_users[1]["id"])
    file_name = f'attachment; filename="hours-{schedule["id"]}-2026-03-23-2026-03-30.csv"'

    for response in (
        hours(api_client, schedule["id"], WEEK, HTTP_ACCEPT="text/csv"),
        hours(api_client, schedule["id"], f"{WEEK}&format=csv"),
    ):
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == file_name
        assert response.content.decode() == expected


@freeze_time("2026-03-01T00:00:00")
def test_csv_cells_are_never_formulas(api_client, schedule, alice):
    user_services.user_update(user=alice, username="=HYPERLINK(1)")

    response = hours(api_client, schedule["id"], f"{WEEK}&format=csv")

    assert response.content.decode().splitlines()[1].split(",")[1] == "'=HYPERLINK(1)"


OVER_366_DAYS = "The window from start_date to end_date must be at most 366 days"


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ("start_date=2026-01-01", {"end_date": ["This field is required."]}),
        (
            "start_date=2026-01-01&end_date=tomorrow",
            {
                "end_date": [
                    "Datetime has wrong format. Use one of these formats instead: "
                    "YYYY-MM-DDThh:mm, YYYY-MM-DD."
                ]
            },
        ),
        (
            "start_date=2026-02-01&end_date=2026-01-01",
            {"non_field_errors": ["start_date must be less than or equal to end_date"]},
        ),
        ("start_date=2028-01-01&end_date=2029-01-02", {"non_field_errors": [OVER_366_DAYS]}),
        (
            "start_date=2026-01-01&end_date=2026-01-02&time_zone=Mars/Olympus",
            {"time_zone": ["Invalid timezone"]},
        ),
    ],
    ids=["missing-end", "bad-end", "reversed", "over-366-days", "bad-zone"],
)
def test_bad_queries(api_client, schedule, query, body):
    for headers in ({}, {"HTTP_ACCEPT": "text/csv"}):
        response = hours(api_client, schedule["id"], query, **headers)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert response.json() == body


def test_a_leap_year_is_not_too_long(api_client, schedule):
    response = hours(api_client, schedule["id"], "start_date=2028-01-01&end_date=2029-01-01")

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("selection", "body"),
    [
        ("", {"schedule_ids": ["This list may not be empty."]}),
        (
            UNKNOWN_IDS["schedules"],
            {"schedule_ids": [f"Unknown schedules: {UNKNOWN_IDS['schedules']}"]},
        ),
        (
            ",".join(f"S{n:012d}" for n in range(51)),
            {"schedule_ids": ["Ensure this field has no more than 50 elements."]},
        ),
    ],
    ids=["none", "unknown", "too-many"],
)
def test_bad_schedule_selections(api_client, schedule, selection, body):
    response = api_client.get(f"/api/v1/schedules/hours?schedule_ids={selection}&{WEEK}")

    assert response.status_code == 400
    assert response.json() == body


def test_a_missing_selection(api_client):
    response = api_client.get(f"/api/v1/schedules/hours?{WEEK}")

    assert response.json() == {"schedule_ids": ["This field is required."]}


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.ADMIN, 200), (Role.EDITOR, 200), (Role.VIEWER, 200), (Role.NONE, 403)],
)
def test_who_may_read_it_as_final_shifts(make_user, make_client, schedule, role, status):
    client = make_client(make_user("reader", role))

    for path in (f"{schedule['id']}/hours", f"{schedule['id']}/final_shifts", "hours"):
        query = f"{WEEK}&schedule_ids={schedule['id']}"
        response = client.get(f"/api/v1/schedules/{path}?{query}")
        assert response.status_code == status, path
        if status == 403:
            assert response.json() == NO_PERMISSION


def test_another_organizations_schedule(schedule, make_user, make_client, other_organization):
    stranger = make_client(make_user("stranger", Role.ADMIN, org=other_organization))

    assert hours(stranger, schedule["id"], WEEK).json() == NOT_FOUND
    selected = stranger.get(f"/api/v1/schedules/hours?schedule_ids={schedule['id']}&{WEEK}")
    assert selected.json() == {"schedule_ids": [f"Unknown schedules: {schedule['id']}"]}
