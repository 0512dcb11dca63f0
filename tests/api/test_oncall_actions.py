"""`on_call_now`, `current_oncall`, `previous_oncall`, `next_oncall` (seed 002, DECISIONS D1)."""

import pytest
from freezegun import freeze_time

pytestmark = pytest.mark.django_db

NOBODY = {"count": 0, "users": [], "shifts": []}


def action(api_client, schedule_id: str, name: str, query: str = ""):
    return api_client.get(f"/api/v1/schedules/{schedule_id}/{name}/{query}")


def shift(schedule: dict, start: str, end: str, user) -> dict:
    return {
        "schedule_id": schedule["id"],
        "schedule_name": "Primary",
        "team_id": None,
        "shift_start": start,
        "shift_end": end,
        "users": [user.public_id],
    }


@pytest.mark.parametrize(
    ("instant", "on_call"),
    [
        ("2026-03-24T08:59:59", "bob"),
        ("2026-03-24T09:00:00", "alice"),  # D1: the hand-over instant belongs to the new shift
        ("2026-03-24T16:59:59.999999", "alice"),
        ("2026-03-24T17:00:00", "bob"),
    ],
)
def test_on_call_now_at_hand_over(api_client, schedule, alice, bob, instant, on_call):
    expected = {"alice": alice, "bob": bob}[on_call].public_id
    with freeze_time(instant):
        assert api_client.get(f"/api/v1/schedules/{schedule['id']}").json()["on_call_now"] == [
            expected
        ]
        listed = api_client.get("/api/v1/schedules/").json()["results"]
        assert [item["on_call_now"] for item in listed] == [[expected]]


@freeze_time("2026-03-24T10:00:00")
def test_current_oncall(api_client, schedule, alice):
    assert action(api_client, schedule["id"], "current_oncall").json() == {
        "count": 1,
        "users": [
            {
                "id": alice.public_id,
                "grafana_id": alice.grafana_id,
                "email": "alice@example.com",
                "slack": [{"user_id": "UALICE", "team_id": "TSLACK"}],
                "username": "alice",
                "role": "admin",
                "is_phone_number_verified": True,
                "phone_number": "+12345678901",
                "phone_number_status": "available",
                "timezone": "America/New_York",
                "teams": [],
            }
        ],
        "shifts": [
            shift(schedule, "2026-03-24T09:00:00+00:00", "2026-03-24T17:00:00+00:00", alice)
        ],
    }


@freeze_time("2026-03-24T18:00:00")
def test_current_oncall_hides_a_private_phone(api_client, schedule, bob, organization):
    user = action(api_client, schedule["id"], "current_oncall").json()["users"][0]
    assert (user["phone_number"], user["phone_number_status"], user["slack"]) == (
        None,
        "private",
        None,
    )
    organization.override_phone_privacy = True
    organization.save()
    user = action(api_client, schedule["id"], "current_oncall").json()["users"][0]
    assert (user["phone_number"], user["phone_number_status"]) == ("+10000000000", "available")


@freeze_time("2026-03-24T10:00:00")
def test_previous_and_next_oncall(api_client, schedule, bob):
    assert action(api_client, schedule["id"], "previous_oncall").json()["shifts"] == [
        shift(schedule, "2026-03-23T17:00:00+00:00", "2026-03-24T09:00:00+00:00", bob)
    ]
    assert action(api_client, schedule["id"], "next_oncall", "?days=1").json()["shifts"] == [
        shift(schedule, "2026-03-24T17:00:00+00:00", "2026-03-25T09:00:00+00:00", bob)
    ]


@freeze_time("2026-03-23T08:00:00")
def test_nobody_before_the_first_shift(api_client, schedule):
    assert action(api_client, schedule["id"], "current_oncall").json() == NOBODY
    assert action(api_client, schedule["id"], "previous_oncall").json() == NOBODY


@freeze_time("2026-03-20T08:00:00")
def test_next_oncall_beyond_the_horizon_is_nobody(api_client, schedule):
    assert action(api_client, schedule["id"], "next_oncall", "?days=1").json() == NOBODY
    assert action(api_client, schedule["id"], "next_oncall", "?days=4").json()["count"] == 1


@pytest.mark.parametrize("name", ["previous_oncall", "next_oncall"])
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?days=0", "Ensure this value is greater than or equal to 1."),
        ("?days=31", "Ensure this value is less than or equal to 30."),
        ("?days=x", "A valid integer is required."),
    ],
)
def test_days_validation(api_client, schedule, name, query, message):
    response = action(api_client, schedule["id"], name, query)
    assert (response.status_code, response.json()) == (400, {"days": [message]})


def test_actions_answer_without_trailing_slash(api_client, schedule):
    for name in ("current_oncall", "previous_oncall", "next_oncall"):
        assert api_client.get(f"/api/v1/schedules/{schedule['id']}/{name}").status_code == 200


def test_cached_current_oncall_changes_exactly_at_hand_over(api_client, schedule):
    def on_call_at(instant: str) -> list[str]:
        with freeze_time(instant):
            body = action(api_client, schedule["id"], "current_oncall").json()
        return [user["username"] for user in body["users"]]

    assert on_call_at("2026-03-24T16:00:00") == ["alice"]
    assert on_call_at("2026-03-24T16:59:59.999999") == ["alice"]
    assert on_call_at("2026-03-24T17:00:00") == ["bob"]
    assert on_call_at("2026-03-24T16:30:00") == ["alice"]
