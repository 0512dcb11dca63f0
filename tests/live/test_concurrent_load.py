"""Concurrent writers and readers against a live server, over real HTTP: gunicorn with the
Docker image's worker settings, and the development server as `./scripts/demo` runs it, each on
the suite's database engine (SQLite, or PostgreSQL on a private cluster).

30 writers create and update shifts, teams and schedules of their own while 30 readers ask
who is on call, read final_shifts and list, for 20 seconds. Nothing may answer 5xx or drop a
connection (SQLite writes wait for the write lock instead of failing), every write the server
acknowledged must be stored as acknowledged, and every writer's schedule must resolve to
exactly its stored shifts.
"""

from collections import Counter
from datetime import UTC, datetime

import pytest

from bench import mix
from bench.scenarios import Api
from tests.live.checks import final_shifts_disagreeing, stored_as_acknowledged
from tests.live.conftest import ENGINE

WRITERS = READERS = 30
SECONDS = 20


@pytest.mark.parametrize("dev", [False, True], ids=["gunicorn", "development server"])
def test_writers_and_readers_at_once_lose_nothing_and_never_fail(databases, serve, dev):
    server = serve(databases.new(f"load_{'dev' if dev else 'gunicorn'}"), dev=dev)
    api = Api(server.base_url, server.bootstrap("load"))
    world = mix.build_world(api, datetime.now(UTC))

    load = mix.Load(writers=WRITERS, readers=READERS)
    tally, ledger = mix.run(server.base_url, api.token, world, load, SECONDS)

    print(f"{ENGINE}, {'development server' if dev else 'gunicorn'}: {tally.count} answers")
    assert tally.server_errors == []
    assert tally.lost == Counter()
    assert tally.not_2xx() == Counter()
    assert all(tally.statuses[kind] for kind in [*mix.WRITE_KINDS, *mix.READ_KINDS]), tally.statuses
    assert stored_as_acknowledged(api, ledger) == {"shift": [], "team": [], "schedule": []}
    assert final_shifts_disagreeing(api, ledger, world) == []
