"""SQLite's write lock on a live server: reads never take it, writes wait for it and then go
through, and a write that cannot get it answers a JSON 503 having written nothing.

The test holds the lock itself, from a connection of its own to the server's database file.
"""

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from datetime import UTC, datetime

import pytest
import requests

from bench import mix
from bench.scenarios import Api
from bench.server import sqlite_path
from tests.live.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(
    ON_POSTGRES, reason="SQLite's write lock: runs with the suite on SQLite"
)


@contextmanager
def write_lock_held(database_url: str):
    """The database's write lock, taken as a writing transaction of the service takes it."""
    holder = sqlite3.connect(sqlite_path(database_url), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def read_paths(world: mix.World) -> list[str]:
    schedule = f"schedules/{world.schedules[0]}/"
    return [
        "schedules/",
        schedule,
        f"{schedule}current_oncall/",
        f"{schedule}final_shifts/?start_date=2026-01-01&end_date=2026-02-01",
        f"{schedule}next_oncall/",
        f"{schedule}previous_oncall/",
        "on_call_shifts/",
        "users/",
        "users/current/",
        f"users/{world.users[0]}/",
        "teams/",
        "tokens/",
    ]


@pytest.fixture(scope="module")
def live(databases, serve):
    """A server whose writes give up on SQLite's lock after 3 attempts of 2 s each."""
    url = databases.new("write_lock")
    server = serve(url, SQLITE_BUSY_TIMEOUT="2")
    api = Api(server.base_url, server.bootstrap("lock"))
    return url, server, api, mix.build_world(api, datetime.now(UTC))


def test_the_database_is_in_wal_mode(live):
    url, *_ = live
    with closing(sqlite3.connect(sqlite_path(url))) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_reads_go_on_while_a_writer_holds_the_lock(live):
    url, server, api, world = live
    with write_lock_held(url):
        statuses = {
            path: api.session.get(api.url(path), timeout=30).status_code
            for path in read_paths(world)
        }
        health = requests.get(f"{server.base_url}/health/", timeout=30).status_code

    assert statuses == dict.fromkeys(read_paths(world), 200)
    assert health == 200


def test_a_write_waits_for_the_lock_and_then_goes_through(live):
    url, _, api, _ = live
    with ThreadPoolExecutor(1) as pool:
        with write_lock_held(url):
            pending = pool.submit(api.post, "teams/", {"name": "patient"})
            # Whatever the server does, it cannot answer while the test holds the lock.
            with pytest.raises(TimeoutError):
                pending.result(timeout=1)
        assert pending.result(timeout=60)["name"] == "patient"


def test_a_write_that_never_gets_the_lock_answers_json_503_and_writes_nothing(live):
    url, _, api, _ = live
    with write_lock_held(url):
        response = api.session.post(api.url("teams/"), json={"name": "impatient"}, timeout=60)

    assert (response.status_code, response.json()) == (
        503,
        {"detail": "Service temporarily unavailable"},
    )
    assert response.headers["Retry-After"] == "1"
    assert "impatient" not in [team["name"] for team in api.get("teams/").json()["results"]]
