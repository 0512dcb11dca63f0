"""No worker of a live server answers from a stale cache after a write (issue "Performance",
point 3), over real HTTP, with each cache the service can run on.

Every gunicorn worker keeps its own expansions and resolutions of blocks of time, and answers
are cached in Django's cache: local memory in each worker by default, Redis shared by the
workers with REDIS_URL. Each read below goes out on `READS` fresh connections, which land on the
two workers at random: the reads before the write warm both workers, and a worker that answered
from what it kept before the write would show up after it (with probability 1 - 2**-READS).
"""

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import redis
import requests

from bench.scenarios import Api, wall
from bench.server import Server, create_database, drop_database, same_server_url

WORKERS = 2
READS = 12
DAY = timedelta(days=1)
# Redis database the tests may fill; its keys carry random public ids, so runs do not collide.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CACHES = {"local memory": "", "redis": TEST_REDIS_URL}


def require_redis(url: str) -> None:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {url}: {error}")


@pytest.fixture(scope="module")
def database_url(tmp_path_factory) -> str:
    """A database of the suite's engine (the suite's own DATABASE_URL), migrated once."""
    suite_url = os.environ.get("DATABASE_URL", "")
    if suite_url.startswith("postgres"):
        url = same_server_url(suite_url, f"live_caches_{os.getpid()}")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'db.sqlite3'}"
    create_database(url)
    try:
        Server(url, WORKERS).migrate()
        yield url
    finally:
        drop_database(url)


@pytest.fixture(scope="module", params=list(CACHES))
def api(request, database_url) -> Api:
    """The API of a fresh organization on a live server using the cache `request.param`."""
    redis_url = CACHES[request.param]
    if redis_url:
        require_redis(redis_url)
    server = Server(database_url, WORKERS, {"REDIS_URL": redis_url})
    server.start()
    try:
        yield Api(server.base_url, server.bootstrap(org=request.param.replace(" ", "-")))
    finally:
        server.stop()


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


@pytest.fixture
def world(api, request) -> World:
    prefix = request.node.callspec.id.replace("-", "_").replace(" ", "_")
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


def fresh_get(api: Api, path: str, params: dict | None = None) -> dict:
    """GET on a connection of its own (no session), which either worker may accept."""
    response = requests.get(
        api.url(path), params=params, headers={"Authorization": api.token}, timeout=30
    )
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


def shift_given_to_bob(api: Api, world: World) -> str | None:
    api.patch(f"on_call_shifts/{world.shift}/", {"users": [world.bob]})
    return world.bob


def alice_renamed(api: Api, world: World) -> str | None:
    api.patch(f"users/{world.alice}/", {"username": f"{world.schedule}_alicia"})
    return world.alice


def shift_deleted(api: Api, world: World) -> str | None:
    response = api.session.delete(api.url(f"on_call_shifts/{world.shift}/"), timeout=30)
    assert response.status_code == 204, response.text
    return None


@pytest.mark.parametrize("write", [shift_given_to_bob, alice_renamed, shift_deleted])
def test_every_worker_answers_the_write(
    api: Api, world: World, write: Callable[[Api, World], str | None]
):
    assert answers(api, world) == covered_by(api, world, world.alice)
    on_call_after = write(api, world)
    assert answers(api, world) == covered_by(api, world, on_call_after)
