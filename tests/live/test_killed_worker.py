"""A gunicorn worker killed (SIGKILL) in the middle of a multi-row write: the write is all or
nothing.

The write moves 150 shifts from one web schedule to another and renames the target (the
schedule rows, their versions and every shift's owner, in one transaction). The test watches
the database for the write's open transaction, freezes the workers (SIGSTOP), checks that the
transaction is still open, and kills them. The database must then show no part of the write;
the same write, let through, must show all of it.
"""

import os
import signal
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress

import psycopg
import pytest
import requests

from bench.scenarios import Api
from bench.server import Server, sqlite_path
from tests.live.conftest import ON_POSTGRES

SHIFTS = 150
ATTEMPTS = 10
SHIFTS_TABLE = "shifts_oncallshift"


class SqliteWriteProbe:
    """Whether a transaction holds SQLite's write lock: taking it without waiting fails."""

    def __init__(self, database_url: str) -> None:
        self.connection = sqlite3.connect(
            sqlite_path(database_url), timeout=0, isolation_level=None
        )

    def writing(self) -> bool:
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return True
        self.connection.execute("ROLLBACK")
        return False

    def close(self) -> None:
        self.connection.close()


class PostgresWriteProbe:
    """Whether a transaction has updated shift rows and not ended: it holds a row-exclusive lock
    on their table until it commits or rolls back."""

    def __init__(self, database_url: str) -> None:
        self.connection = psycopg.connect(database_url, autocommit=True)

    def writing(self) -> bool:
        return self.connection.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " WHERE c.relname = %s AND l.mode = 'RowExclusiveLock' AND l.granted"
            " AND l.pid <> pg_backend_pid())",
            [SHIFTS_TABLE],
        ).fetchone()[0]

    def close(self) -> None:
        self.connection.close()


def signal_workers(server: Server, signum: int) -> None:
    for pid in server.worker_pids():
        os.kill(pid, signum)


def owned(api: Api, schedule: str) -> tuple[str, int]:
    body = api.get(f"schedules/{schedule}/").json()
    return body["name"], len(body["shifts"])


def kill_while_writing(server: Server, probe, write) -> bool:
    """Send `write`; if its transaction is seen open, freeze the workers, check it is still
    open, and kill them. True when the workers were killed inside the transaction."""
    with ThreadPoolExecutor(1) as pool:
        sent = pool.submit(write)
        while not sent.done():
            if probe.writing():
                signal_workers(server, signal.SIGSTOP)
                time.sleep(0.2)
                inside = probe.writing()
                signal_workers(server, signal.SIGKILL)
                break
        else:
            return False
    server.wait_until_healthy()
    return inside


@pytest.fixture(scope="module")
def two_web_schedules(databases, serve):
    url = databases.new("killed_worker")
    server = serve(url)
    api = Api(server.base_url, server.bootstrap("killed"))
    user = api.post("users/", {"username": "dora", "email": "dora@live.test"})["id"]
    shifts = api.parallel(
        lambda n: api.post(
            "on_call_shifts/",
            {
                "name": f"shift {n}",
                "type": "single_event",
                "start": f"2031-01-01T{n % 24:02d}:00:00",
                "duration": 1800,
                "users": [user],
            },
        )["id"],
        range(SHIFTS),
    )
    source = api.post(
        "schedules/", {"name": "source", "type": "web", "time_zone": "UTC", "shifts": shifts}
    )["id"]
    target = api.post("schedules/", {"name": "target", "type": "web", "time_zone": "UTC"})["id"]
    return url, server, api, shifts, source, target


def test_a_worker_killed_during_a_multi_row_write_leaves_none_of_it(two_web_schedules):
    url, server, api, shifts, source, target = two_web_schedules
    probe = (PostgresWriteProbe if ON_POSTGRES else SqliteWriteProbe)(url)
    # Each attempt moves the shifts one way; one the kill missed is the next one's start.
    here, there, killed = source, target, False
    try:
        for attempt in range(ATTEMPTS):
            body = {"name": f"moved {attempt}", "shifts": shifts}
            before = owned(api, here), owned(api, there)

            def move(there=there, body=body):
                # The worker answering it may be killed.
                with suppress(requests.ConnectionError):
                    api.session.put(api.url(f"schedules/{there}/"), json=body, timeout=60)

            killed = kill_while_writing(server, probe, move)
            if killed:
                print(f"workers killed inside the write, attempt {attempt + 1}")
                assert (owned(api, here), owned(api, there)) == before
                break
            assert owned(api, there) == (f"moved {attempt}", SHIFTS)
            assert owned(api, here)[1] == 0
            here, there = there, here
    finally:
        probe.close()

    assert killed, f"no write was caught in flight in {ATTEMPTS} attempts"
    api.session.put(api.url(f"schedules/{there}/"), json={"name": "moved", "shifts": shifts})
    assert (owned(api, there), owned(api, here)[1]) == (("moved", SHIFTS), 0)
