"""Concurrent writers and readers against a live server, over real HTTP: gunicorn with the
Docker image's worker settings, and the development server as `./scripts/demo` runs it, each on
the suite's database engine (SQLite, or PostgreSQL on a private cluster).

30 writers create and update shifts, teams and schedules of their own while 30 readers ask
who is on call, read final_shifts and list, for 20 seconds, and each goes on until it has sent
every kind of its requests at least once (a loaded machine answers fewer requests in 20 s, never
fewer kinds). Nothing may answer 5xx or drop a connection (SQLite writes wait for the write lock
instead of failing), every write the server acknowledged must be stored as acknowledged, and
every writer's schedule must resolve to exactly its stored shifts.
"""

from collections import Counter
from datetime import UTC, datetime

import pytest

from bench import mix
from bench.scenarios import Api
from bench.stored import final_shifts_disagreeing, stored_as_acknowledged
from tests.live.conftest import ENGINE

WRITERS = READERS = 30
SECONDS = 20


@pytest.mark.parametrize("dev", [False, True], ids=["gunicorn", "development server"])
def test_writers_and_readers_at_once_lose_nothing_and_never_fail(databases, serve, dev):
    server = serve(databases.new(f"load_{'dev' if dev else 'gunicorn'}"), dev=dev)
    api = Api(server.base_url, server.bootstrap("load"))
    world = mix.build_world(api, datetime.now(UTC))

    load = mix.Load(writers=WRITERS, readers=READERS, rounds=1)
    tally, ledger = mix.run(server.base_url, api.token, world, load, SECONDS)

    print(f"{ENGINE}, {'development server' if dev else 'gunicorn'}: {tally.count} answers")
    assert tally.server_errors == []
    assert tally.lost == Counter()
    assert tally.not_2xx() == Counter()
    answered = {kind: tally.statuses[kind].total() for kind in mix.WRITE_KINDS + mix.READ_KINDS}
    # Each writer makes every kind of write once a round, each reader every kind of read.
    least = dict.fromkeys(mix.WRITE_KINDS, WRITERS) | {
        kind: times * READERS for kind, times in Counter(mix.READ_ROUND).items()
    }
    assert [kind for kind, count in answered.items() if count < least[kind]] == [], answered
    assert stored_as_acknowledged(api, ledger) == {"shift": [], "team": [], "schedule": []}
    assert final_shifts_disagreeing(api, ledger, world) == []
