"""Reading hours reports and the `final_shifts` rows they must add up to."""

from collections import defaultdict
from datetime import datetime

API = "/api/v1/schedules"


def hours(client, schedule_id: str, query: str, **headers):
    return client.get(f"{API}/{schedule_id}/hours?{query}", **headers)


def seconds_by_user(response, kind: str = "total") -> dict[str, float]:
    assert response.status_code == 200, response.json()
    return {user["username"]: user["seconds"][kind] for user in response.json()["users"]}


def final_shifts_seconds(client, schedule_ids: list[str], start: str, end: str) -> dict:
    """The seconds of each user's `final_shifts` rows over `[start, end)` (`YYYY-MM-DDThh:mm`,
    UTC), summed over the schedules."""
    total: dict[str, float] = defaultdict(float)
    for schedule_id in schedule_ids:
        response = client.get(f"{API}/{schedule_id}/final_shifts?start_date={start}&end_date={end}")
        assert response.status_code == 200, response.json()
        for row in response.json()["results"]:
            span = instant(row["shift_end"]) - instant(row["shift_start"])
            total[row["user_username"]] += span.total_seconds()
    return dict(total)


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
