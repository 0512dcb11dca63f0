"""A schedule whose answers may come from caches, and those answers read on fresh connections:
shared by the live-server tests of caches (`test_live_server_caches.py`) and of a Redis outage
(`tests/live/test_redis_outage.py`)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import requests

from bench.scenarios import Api, wall

READS = 12
DAY = timedelta(days=1)


@dataclass(frozen=True)
class World:
    """Alice covers three days around now in a calendar schedule; Bob is there too."""

    schedule: str
    shift: str
    alice: str
    bob: str
    start: datetime

    @property
    def end(self) -> datetime:
        return self.start + 3 * DAY

    @property
    def window(self) -> dict:
        return {"start_date": f"{self.start:%Y-%m-%d}", "end_date": f"{self.end:%Y-%m-%d}"}


def fresh_get(api: Api, path: str, params: dict | None = None) -> dict:
    """GET on a connection of its own (no session), which either worker may accept; `path` is
    under /api/v1/, or a whole URL."""
    url = path if path.startswith(api.base_url) else api.url(path)
    response = requests.get(url, params=params, headers={"Authorization": api.token}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def answers(api: Api, world: World) -> dict:
    """Every answer that may come from a cache, each read on `READS` fresh connections: the set
    of what each read gave."""
    schedule = f"schedules/{world.schedule}/"

    def current() -> tuple:
        return tuple(u["username"] for u in fresh_get(api, f"{schedule}current_oncall/")["users"])

    def final_rows() -> tuple:
        rows = fresh_get(api, f"{schedule}final_shifts/", world.window)["results"]
        return tuple((r["user_username"], r["shift_start"], r["shift_end"]) for r in rows)

    def detail() -> tuple:
        return tuple(fresh_get(api, schedule)["on_call_now"])

    def listed() -> tuple:
        items = fresh_get(api, "schedules/")["results"]
        return tuple(next(item for item in items if item["id"] == world.schedule)["on_call_now"])

    reads = {"current": current, "final_rows": final_rows, "detail": detail, "listed": listed}
    return {name: {read() for _ in range(READS)} for name, read in reads.items()}


def covered_by(api: Api, world: World, user_id: str | None) -> dict:
    """What every read gives when `user_id` (or nobody) covers the three days."""
    if user_id is None:
        return {"current": {()}, "final_rows": {()}, "detail": {()}, "listed": {()}}
    username = api.get(f"users/{user_id}/").json()["username"]
    row = (username, f"{world.start:%Y-%m-%dT%H:%M:%SZ}", f"{world.end:%Y-%m-%dT%H:%M:%SZ}")
    return {
        "current": {(username,)},
        "final_rows": {(row,)},
        "detail": {(user_id,)},
        "listed": {(user_id,)},
    }


def make_world(api: Api, prefix: str) -> World:
    alice, bob = (
        api.post("users/", {"username": f"{prefix}_{name}", "email": f"{prefix}.{name}@live.test"})
        for name in ("alice", "bob")
    )
    start = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - DAY
    shift = api.post(
        "on_call_shifts/",
        {
            "type": "single_event",
            "name": "cover",
            "start": wall(start),
            "duration": int(3 * DAY.total_seconds()),
            "users": [alice["id"]],
        },
    )["id"]
    schedule = api.post(
        "schedules/", {"name": prefix, "type": "calendar", "time_zone": "UTC", "shifts": [shift]}
    )["id"]
    return World(schedule, shift, alice["id"], bob["id"], start)
