"""No worker of a live server answers from a stale cache after a write (issue "Performance",
point 3), over real HTTP, with each cache the service can run on.

Every gunicorn worker keeps its own expansions and resolutions of blocks of time, and answers
are cached in Django's cache: local memory in each worker by default, Redis shared by the
workers with REDIS_URL. Each read below goes out on `READS` fresh connections, which land on the
two workers at random: the reads before the write warm both workers, and a worker that answered
from what it kept before the write would show up after it (with probability 1 - 2**-READS).
"""

import os
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import redis

from bench.scenarios import Api
from bench.server import Server, create_database, drop_database, same_server_url
from tests.integrations.cached_reads import (
    READS,
    World,
    answers,
    covered_by,
    fresh_get,
    make_world,
)

WORKERS = 2
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


@pytest.fixture
def world(api, request) -> World:
    # Unique in the module's organization: the test's name and parameters.
    return make_world(api, re.sub(r"\W", "_", request.node.name))


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


def dialect_answers(api: Api, signal_id: str, instatus_id: str) -> dict:
    """Who each API says is on call in a Signal and an Instatus schedule (e-mails), each read
    on `READS` fresh connections."""
    signal = f"on_call_schedules/{signal_id}"
    instatus = f"{api.base_url}/on-call-schedules/{instatus_id}"

    def oncall(schedule_id: str) -> tuple:
        users = fresh_get(api, f"schedules/{schedule_id}/current_oncall/")["users"]
        return tuple(user["email"] for user in users)

    reads = {
        "signal current": lambda: fresh_get(api, f"{signal}/current")["on_call"],
        "signal detail": lambda: fresh_get(api, signal)["data"]["current_on_call"],
        "signal list": lambda: fresh_get(api, "on_call_schedules")["data"][0]["current_on_call"],
        "signal through oncall": lambda: oncall(signal_id.removeprefix("sched_")),
        "instatus members": lambda: tuple(
            member["email"] for member in fresh_get(api, f"{instatus}/members")["currentMembers"]
        ),
        "instatus through oncall": lambda: oncall(instatus_id),
    }
    return {name: {read() for _ in range(READS)} for name, read in reads.items()}


def test_every_worker_answers_a_dialect_write(api: Api, world: World):
    """A write through Signal or Instatus is seen by the next read of every API on every
    worker (docs/dialects.md#interop)."""
    alice, bob = (api.get(f"users/{user}/").json() for user in (world.alice, world.bob))
    start = f"{world.start:%Y-%m-%dT%H:%M:%SZ}"
    signal_body = {
        "name": "live",
        "schedule_type": "custom",
        "members": [alice["email"]],
        "rotation_type": "weekly",
        "rotation_start": start,
    }
    signal_id = api.post("on_call_schedules", signal_body)["data"]["id"]
    shift = {"members": [{"workspaceMemberId": alice["id"]}], "rotationType": "DAILY"}
    instatus_url = f"{api.base_url}/on-call-schedules"
    created = api.session.post(
        instatus_url, json={"name": "live", "onCallShifts": [shift | {"startDate": start}]}
    )
    assert created.status_code == 201, created.text
    instatus_id = created.json()["id"]
    before = dialect_answers(api, signal_id, instatus_id)
    assert {frozenset(seen) for seen in before.values()} == {
        frozenset({alice["email"]}),
        frozenset({(alice["email"],)}),
    }

    api.patch(f"on_call_schedules/{signal_id}", {"members": [bob["email"]]})
    shift["members"] = [{"workspaceMemberId": bob["id"]}]
    response = api.session.put(
        f"{instatus_url}/{instatus_id}",
        json={"name": "live", "onCallShifts": [shift | {"startDate": start}]},
    )
    assert response.status_code == 200, response.text

    after = dialect_answers(api, signal_id, instatus_id)
    assert {frozenset(seen) for seen in after.values()} == {
        frozenset({bob["email"]}),
        frozenset({(bob["email"],)}),
    }


# --- shift swaps ------------------------------------------------------------------------------


def instant(moment: datetime) -> str:
    return f"{moment:%Y-%m-%dT%H:%M:%SZ}"


def in_pieces(api: Api, world: World, pieces: list[tuple[str, datetime, datetime]]) -> dict:
    """What every read gives when alice covers the three days but for `pieces` of them, given as
    (user id, start, end) in order; she stays the one on call now."""
    names = {world.alice: api.get(f"users/{world.alice}/").json()["username"]}
    names[world.bob] = api.get(f"users/{world.bob}/").json()["username"]
    rows = tuple((names[user], instant(start), instant(end)) for user, start, end in pieces)
    return {**covered_by(api, world, world.alice), "final_rows": {rows}}


def swap_pieces(world: World, start: datetime, end: datetime, benefactor: str | None = None):
    return [
        (world.alice, world.start, start),
        (benefactor or world.alice, start, end),
        (world.alice, end, world.end),
    ]


def test_every_worker_answers_each_swap_write(api: Api, world: World):
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    end = start + timedelta(hours=1)
    assert answers(api, world) == covered_by(api, world, world.alice)

    swap = api.post(
        "shift_swaps/",
        {
            "schedule": world.schedule,
            "swap_start": instant(start),
            "swap_end": instant(end),
            "beneficiary": world.alice,
        },
    )["id"]
    assert answers(api, world) == in_pieces(api, world, swap_pieces(world, start, end))

    taken = api.session.post(
        api.url(f"shift_swaps/{swap}/take/"), json={"benefactor": world.bob}, timeout=30
    )
    assert taken.status_code == 200, taken.text
    assert answers(api, world) == in_pieces(api, world, swap_pieces(world, start, end, world.bob))

    later = end + timedelta(hours=1)
    api.patch(f"shift_swaps/{swap}/", {"swap_start": instant(end), "swap_end": instant(later)})
    moved = swap_pieces(world, end, later, world.bob)
    assert answers(api, world) == in_pieces(api, world, moved)

    deleted = api.session.delete(api.url(f"shift_swaps/{swap}/"), timeout=30)
    assert deleted.status_code == 204, deleted.text
    assert answers(api, world) == covered_by(api, world, world.alice)


# Far enough ahead for the swap to be made and both workers to answer before it starts.
SOON = timedelta(seconds=4)


def test_no_worker_answers_an_open_swap_once_it_has_started(api: Api, world: World):
    """An open swap splits the rows until its start passes, with no write then: reads wholly
    before the start show the split, reads begun after it never do, on either worker."""
    start = datetime.now(UTC).replace(microsecond=0) + SOON
    end = start + timedelta(hours=1)
    api.post(
        "shift_swaps/",
        {
            "schedule": world.schedule,
            "swap_start": instant(start),
            "swap_end": instant(end),
            "beneficiary": world.alice,
        },
    )
    schedule = f"schedules/{world.schedule}/"

    def read() -> tuple:
        rows = fresh_get(api, f"{schedule}final_shifts/", world.window)["results"]
        current = fresh_get(api, f"{schedule}current_oncall/")["shifts"]
        return tuple(row["shift_end"] for row in rows), current[0]["shift_end"]

    split = (
        (instant(start), instant(end), instant(world.end)),
        start.isoformat(),
    )
    whole = ((instant(world.end),), world.end.isoformat())
    before, after = [], []
    while datetime.now(UTC) < start + timedelta(seconds=2):
        begun = datetime.now(UTC)
        answer = read()
        if datetime.now(UTC) < start:
            before.append(answer)
        elif begun > start:
            after.append(answer)
    assert before and set(before) == {split}
    assert after and set(after) == {whole}
