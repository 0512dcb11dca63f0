"""A constant number of database queries per request, whatever the number of rows listed."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from timeline.cache import process_objects
from users import services as user_services

pytestmark = pytest.mark.django_db


def queries_for(api_client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api_client.get(path)
    assert response.status_code == 200, response.content
    return len(captured)


def add_world(api_client, user, index: int) -> str:
    """A shift, a calendar schedule linking it and a web schedule owning another; a team."""
    shifts = [
        api_client.post(
            "/api/v1/on_call_shifts/",
            {
                "type": "rolling_users",
                "frequency": "daily",
                "start": "2030-01-01T09:00:00",
                "duration": 3600 * 8,
                "rolling_users": [[user.public_id]],
                "start_rotation_from_user_index": 0,
            },
            format="json",
        ).json()["id"]
        for _ in range(2)
    ]
    for schedule_type, shift in (("calendar", shifts[0]), ("web", shifts[1])):
        body = {"name": f"s{index}", "type": schedule_type, "time_zone": "UTC", "shifts": [shift]}
        assert api_client.post("/api/v1/schedules/", body, format="json").status_code == 201
    api_client.post("/api/v1/teams/", {"name": f"team {index}"}, format="json")
    api_client.post(
        "/api/v1/users/",
        {"username": f"user{index}", "email": f"u{index}@example.com"},
        format="json",
    )
    return shifts[0]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/schedules/", "/api/v1/on_call_shifts/", "/api/v1/users/", "/api/v1/teams/"],
)
@freeze_time("2030-01-02T10:00:00")
def test_lists_do_not_grow_queries_with_rows(api_client, admin, path):
    add_world(api_client, admin, 0)
    few = queries_for(api_client, path)
    for index in range(1, 8):
        add_world(api_client, admin, index)
    assert queries_for(api_client, path) == few


@freeze_time("2030-01-02T10:00:00")
def test_on_call_actions_use_a_fixed_number_of_queries(api_client, admin):
    add_world(api_client, admin, 0)
    schedule_id = api_client.get("/api/v1/schedules/?perpage=1").json()["results"][0]["id"]
    paths = [
        f"/api/v1/schedules/{schedule_id}/final_shifts?start_date=2030-01-01&end_date=2030-02-01",
        f"/api/v1/schedules/{schedule_id}/current_oncall",
        f"/api/v1/schedules/{schedule_id}/next_oncall",
    ]
    cache.clear()
    process_objects.clear()
    cold = [queries_for(api_client, path) for path in paths]
    warm = [queries_for(api_client, path) for path in paths]
    user_services.user_update(user=admin, phone_number="+15550000001")
    after_user_write = [queries_for(api_client, path) for path in paths]
    # Cold, final_shifts reads the schedule's sources: its shifts with their users, and its swaps.
    assert cold == [4, 3, 3]
    # From the cache: one query reads the token and the schedule (with its versions). next_oncall's
    # answer is not cached, but its raw events are (the process's expansion): it reads only the
    # users (with their teams) again.
    assert warm == [1, 1, 3]
    # A user's write moves the organization's users on: the schedule's shifts are not read again,
    # only its on-call users (and, for the answers listing users, their teams).
    assert after_user_write == [2, 3, 3]
