"""Redis, the shared cache, stopped while a live server uses it: every answer stays right and
2xx (computed without the cache), a warning is logged, and caching resumes once Redis is back.

The server uses a Redis of the test's own, which the test kills and starts again on its port.
"""

import re
import time
from datetime import UTC, datetime, timedelta

from bench.scenarios import Api, wall
from tests.live.services import PrivateRedis

DAY = timedelta(days=1)
# Enough requests that each thread of both workers serves some.
ROUNDS = 12


def world(api: Api) -> tuple[str, str, datetime]:
    """A calendar schedule where one user covers three days around now; (schedule, user,
    start)."""
    user = api.post("users/", {"username": "carol", "email": "carol@live.test"})["id"]
    start = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - DAY
    shift = api.post(
        "on_call_shifts/",
        {
            "type": "single_event",
            "name": "cover",
            "start": wall(start),
            "duration": int(3 * DAY.total_seconds()),
            "users": [user],
        },
    )["id"]
    schedule = api.post(
        "schedules/", {"name": "covered", "type": "calendar", "time_zone": "UTC", "shifts": [shift]}
    )["id"]
    return schedule, user, start


def answers(api: Api, schedule: str, start: datetime) -> set[tuple]:
    """What the cached reads answer, each asked ROUNDS times (each must be a 200)."""
    window = {"start_date": f"{start:%Y-%m-%d}", "end_date": f"{start + 3 * DAY:%Y-%m-%d}"}
    seen = set()
    for _ in range(ROUNDS):
        current = api.get(f"schedules/{schedule}/current_oncall/").json()
        rows = api.get(f"schedules/{schedule}/final_shifts/", window).json()["results"]
        detail = api.get(f"schedules/{schedule}/").json()
        seen.add(
            (
                tuple(user["username"] for user in current["users"]),
                tuple((row["user_username"], row["shift_start"], row["shift_end"]) for row in rows),
                tuple(detail["on_call_now"]),
            )
        )
    return seen


def expected(username: str, user: str, start: datetime) -> set[tuple]:
    row = (username, f"{start:%Y-%m-%dT%H:%M:%SZ}", f"{start + 3 * DAY:%Y-%m-%dT%H:%M:%SZ}")
    return {((username,), (row,), (user,))}


def cached_keys(redis_server: PrivateRedis) -> list[bytes]:
    return redis_server.keys_matching("*oncall*")


def test_answers_stay_right_without_redis_and_caching_resumes(databases, serve, private_redis):
    server = serve(databases.new("redis_outage"), REDIS_URL=private_redis.url, LOG_LEVEL="INFO")
    api = Api(server.base_url, server.bootstrap("outage"))
    schedule, user, start = world(api)

    assert answers(api, schedule, start) == expected("carol", user, start)
    assert cached_keys(private_redis)

    private_redis.stop()
    api.patch(f"users/{user}/", {"username": "caroline"})
    assert answers(api, schedule, start) == expected("caroline", user, start)
    url = re.escape(private_redis.url)
    unreachable = rf"WARNING oncall\.cache \[[0-9a-f]{{32}}\] Redis cache at {url} unreachable"
    assert re.search(unreachable, server.log.read_text())

    private_redis.start()
    api.patch(f"users/{user}/", {"username": "carolyn"})
    deadline = time.monotonic() + 60
    while not cached_keys(private_redis) and time.monotonic() < deadline:
        assert answers(api, schedule, start) == expected("carolyn", user, start)
    assert cached_keys(private_redis)
    assert answers(api, schedule, start) == expected("carolyn", user, start)
    assert f"Redis cache at {private_redis.url} answers again" in server.log.read_text()
