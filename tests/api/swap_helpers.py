"""Shared setup of the shift swap tests: a web schedule with a daily rotation, swaps made and
taken through the API, and the rows `final_shifts` gives."""

from contextlib import nullcontext
from datetime import datetime

from freezegun import freeze_time

from tests.api.helpers import API
from tests.api.helpers import created as post

SWAPS = f"{API}/shift_swaps"


def daily_rotation(client, users, start: str, hours: int = 3, level: int = 1) -> dict:
    """A web rotation (source 0) of the users, one group, every day from `start` (UTC)."""
    return post(
        client,
        "on_call_shifts",
        {
            "type": "rolling_users",
            "source": 0,
            "frequency": "daily",
            "level": level,
            "start": start,
            "duration": hours * 3600,
            "rolling_users": [[user.public_id for user in users]],
            "start_rotation_from_user_index": 0,
        },
    )


def web_schedule(client, shifts: list[dict], name: str = "Swaps") -> dict:
    body = {"name": name, "type": "web", "time_zone": "UTC", "shifts": [s["id"] for s in shifts]}
    return post(client, "schedules", body)


def request_swap(client, schedule: dict, start: str, end: str, beneficiary, **extra):
    """POST a swap; the answer as it came."""
    body = {
        "schedule": schedule["id"],
        "swap_start": start,
        "swap_end": end,
        "beneficiary": beneficiary.public_id,
        **extra,
    }
    return client.post(f"{SWAPS}/", body, format="json")


def swap_made(client, schedule, start, end, beneficiary, *, at: str | None = None, **extra):
    """A swap made (at the instant `at`, when given), insisting on 201; its body."""
    with freeze_time(at) if at else nullcontext():
        response = request_swap(client, schedule, start, end, beneficiary, **extra)
    assert response.status_code == 201, response.json()
    return response.json()


def take(client, swap_id: str, benefactor) -> object:
    user_id = benefactor.public_id if benefactor is not None else None
    return client.post(f"{SWAPS}/{swap_id}/take", {"benefactor": user_id}, format="json")


def final_rows(client, schedule_id: str, start_date: str, end_date: str) -> list[tuple]:
    query = f"start_date={start_date}&end_date={end_date}"
    response = client.get(f"{API}/schedules/{schedule_id}/final_shifts?{query}")
    assert response.status_code == 200, response.json()
    return [
        (r["user_username"], r["shift_start"], r["shift_end"]) for r in response.json()["results"]
    ]


def six_digits(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
