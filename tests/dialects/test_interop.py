"""A dialect schedule is an ordinary schedule (docs/dialects.md#interop): its final shifts and
on-call answers read through upstream's API, its iCal exports, and one read path with one cache,
so that a write through any API is seen by the next read through any other."""

import icalendar
import pytest

from tests.dialects.seeds import BOB, INSTATUS, JANE, JOHN, SIGNAL, SIGNAL_ROTATION, changed

pytestmark = pytest.mark.django_db
ONCALL = "/api/v1/schedules"


NOW = "2024-01-15T12:00:00Z"


@pytest.fixture
def daily(client, people) -> str:
    """A Signal daily rotation of john, jane and bob from 2024-01-15 00:00 UTC; its OnCall id."""
    body = changed(SIGNAL_ROTATION, rotation_type="daily", rotation_start="2024-01-15T00:00:00Z")
    response = client.post(SIGNAL, body, format="json")
    return response.json()["data"]["id"].removeprefix("sched_")


def rows(api_client, schedule_id: str) -> list[tuple[str, str, str]]:
    response = api_client.get(
        f"{ONCALL}/{schedule_id}/final_shifts",
        {"start_date": "2024-01-14", "end_date": "2024-01-17T12:00"},
    )
    assert response.status_code == 200, response.json()
    return [(r["user_email"], r["shift_start"], r["shift_end"]) for r in response.json()["results"]]


def current(api_client, schedule_id: str) -> list[str]:
    return [
        user["email"]
        for user in api_client.get(f"{ONCALL}/{schedule_id}/current_oncall").json()["users"]
    ]


def test_signal_schedule_final_shifts_through_upstreams_api(api_client, daily):
    assert rows(api_client, daily) == [
        (JOHN, "2024-01-15T00:00:00Z", "2024-01-16T00:00:00Z"),
        (JANE, "2024-01-16T00:00:00Z", "2024-01-17T00:00:00Z"),
        (BOB, "2024-01-17T00:00:00Z", "2024-01-17T12:00:00Z"),
    ]
    assert current(api_client, daily) == [JOHN]


def test_dialect_schedules_stay_out_of_upstreams_schedule_routes(api_client, daily):
    assert api_client.get(f"{ONCALL}/").json()["results"] == []
    assert api_client.get(f"{ONCALL}/{daily}/").status_code == 404
    assert api_client.delete(f"{ONCALL}/{daily}/").status_code == 404


def test_ical_exports(api_client, daily, people):
    token = api_client.post(f"{ONCALL}/{daily}/export_token/").json()["token"]
    schedule_events = icalendar.Calendar.from_ical(
        api_client.get(f"{ONCALL}/{daily}/export/", {"token": token}).content
    ).walk("VEVENT")
    john = people["john"].public_id
    user_token = api_client.post(f"/api/v1/users/{john}/export_token/").json()["token"]
    user_events = icalendar.Calendar.from_ical(
        api_client.get(f"/api/v1/users/{john}/schedule_export/", {"token": user_token}).content
    ).walk("VEVENT")

    summaries = [str(event["SUMMARY"]) for event in schedule_events]
    assert summaries[:3] == ["john", "jane", "bob"]
    assert str(user_events[0]["SUMMARY"]) == "Weekly Rotation: john"
    assert {str(event["SUMMARY"]) for event in user_events} == {"Weekly Rotation: john"}


def test_a_dialect_write_is_seen_by_the_next_read_of_every_api(client, api_client, daily):
    # warm every cache
    assert current(api_client, daily) == [JOHN]
    assert rows(api_client, daily)[0][0] == JOHN
    assert client.get(f"{SIGNAL}/{daily}/current").json()["on_call"] == JOHN

    body = {"members": [BOB, JOHN, JANE]}
    assert client.patch(f"{SIGNAL}/{daily}", body, format="json").status_code == 200

    assert current(api_client, daily) == [BOB]
    assert [row[0] for row in rows(api_client, daily)] == [BOB, JOHN, JANE]
    assert client.get(f"{SIGNAL}/{daily}/current").json()["on_call"] == BOB
    assert client.get(SIGNAL).json()["data"][0]["current_on_call"] == BOB


def test_an_instatus_write_is_seen_by_members_and_upstreams_api(client, api_client, people):
    john, jane = people["john"], people["jane"]
    shift = {
        "name": "Layer",
        "members": [{"workspaceMemberId": john.public_id}],
        "rotationType": "DAILY",
        "startDate": "2024-01-01T00:00:00Z",
    }
    created = client.post(INSTATUS, {"name": "S", "onCallShifts": [shift]}, format="json").json()
    path = f"{INSTATUS}/{created['id']}"
    assert [m["email"] for m in client.get(f"{path}/members").json()["currentMembers"]] == [JOHN]
    assert current(api_client, created["id"]) == [JOHN]

    shift["members"] = [{"workspaceMemberId": jane.public_id}]
    assert (
        client.put(path, {"name": "S", "onCallShifts": [shift]}, format="json").status_code == 200
    )

    assert [m["email"] for m in client.get(f"{path}/members").json()["currentMembers"]] == [JANE]
    assert current(api_client, created["id"]) == [JANE]


def test_a_user_write_is_seen_by_dialect_answers(client, api_client, daily, people):
    assert client.get(f"{SIGNAL}/{daily}/current").json()["on_call"] == JOHN

    response = api_client.patch(
        f"/api/v1/users/{people['john'].public_id}/", {"role": "viewer"}, format="json"
    )
    assert response.status_code == 200

    # viewers are never on call: john's turn puts nobody on call
    assert client.get(f"{SIGNAL}/{daily}/current").json()["on_call"] is None


def test_a_shift_swap_of_a_dialect_schedule_shows_in_every_api(client, api_client, daily, people):
    """Upstream's shift swaps name a dialect schedule by its OnCall id, like its on-call routes."""
    swap = api_client.post(
        "/api/v1/shift_swaps/",
        {
            "schedule": daily,
            "swap_start": NOW,
            "swap_end": "2024-01-15T18:00:00Z",
            "beneficiary": people["john"].public_id,
        },
        format="json",
    )
    assert swap.status_code == 201, swap.json()
    taken = api_client.post(
        f"/api/v1/shift_swaps/{swap.json()['id']}/take",
        {"benefactor": people["bob"].public_id},
        format="json",
    )
    assert taken.status_code == 200, taken.json()

    assert client.get(f"{SIGNAL}/{daily}/current").json()["on_call"] == BOB
    assert current(api_client, daily) == [BOB]
    assert rows(api_client, daily)[:3] == [
        (JOHN, "2024-01-15T00:00:00Z", "2024-01-15T12:00:00Z"),
        (BOB, "2024-01-15T12:00:00Z", "2024-01-15T18:00:00Z"),
        (JOHN, "2024-01-15T18:00:00Z", "2024-01-16T00:00:00Z"),
    ]
