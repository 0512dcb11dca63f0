"""PostgreSQL restarted under a live server's load: the requests in flight during the restart may
fail, each with a JSON 503, and every request sent after it succeeds (each kept connection is
checked before reuse, and reconnects).

The server uses the test's own PostgreSQL cluster, which the test restarts.
"""

import itertools
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import requests

from bench import mix
from bench.scenarios import Api
from tests.live.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(
    not ON_POSTGRES, reason="a PostgreSQL restart: runs with the suite on PostgreSQL"
)

CLIENTS = 6
UNAVAILABLE = {"detail": "Service temporarily unavailable"}
# Each client's requests, in turn: a read of who is on call, a list, a write, final_shifts.
ROUND = 4
# Generous: the machine is shared. Nothing is timed; this only bounds a wait that failed.
PATIENCE = 120.0


@dataclass(frozen=True)
class Sent:
    sent_at: float
    answered_at: float
    status: int
    body: dict | str


class Clients:
    """Threads sending reads and writes one after another, each on a kept connection, which
    can be paused between requests."""

    def __init__(self, api: Api, world: mix.World, count: int) -> None:
        self.api = api
        self.world = world
        self.running = threading.Event()
        self.stopped = False
        self.idle = [threading.Event() for _ in range(count)]
        self.sent: list[list[Sent]] = [[] for _ in range(count)]
        self.threads = [threading.Thread(target=self.keep_asking, args=(n,)) for n in range(count)]

    def start(self) -> None:
        self.running.set()
        for thread in self.threads:
            thread.start()

    def pause(self) -> None:
        """Returns once no request is in flight."""
        self.running.clear()
        for idle in self.idle:
            idle.wait(timeout=120)

    def resume(self) -> None:
        self.running.set()

    def answered_since(self, since: float) -> list[int]:
        """How many requests each client sent after `since` and has had answered."""
        return [len([each for each in sent if each.sent_at > since]) for sent in self.sent]

    def each_answered(self, since: float) -> None:
        """Returns once every client has had a round of requests sent after `since` answered,
        however slow the machine."""
        deadline = time.monotonic() + PATIENCE
        while min(self.answered_since(since)) < ROUND:
            assert time.monotonic() < deadline, (
                f"answers in {PATIENCE} s: {self.answered_since(since)}"
            )
            time.sleep(0.05)

    def stop(self) -> list[Sent]:
        self.stopped = True
        self.running.set()
        for thread in self.threads:
            thread.join(timeout=120)
        return [each for sent in self.sent for each in sent]

    def keep_asking(self, number: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = self.api.token
        schedule = self.world.schedules[number % len(self.world.schedules)]
        in_turn = [
            ("get", f"schedules/{schedule}/current_oncall/", None),
            ("get", "schedules/", None),
            ("post", "teams/", "team"),
            (
                "get",
                f"schedules/{schedule}/final_shifts/?start_date=2026-01-01&end_date=2026-01-08",
                None,
            ),
        ]
        for count in itertools.count():
            if not self.running.is_set():
                self.idle[number].set()
                self.running.wait()
                self.idle[number].clear()
            if self.stopped:
                return
            method, path, body = in_turn[count % len(in_turn)]
            started = time.monotonic()
            response = session.request(
                method,
                self.api.url(path),
                json={"name": f"c{number} {body} {count}"} if body else None,
                timeout=60,
            )
            try:
                answer = response.json()
            except ValueError:
                answer = response.text[:300]
            self.sent[number].append(Sent(started, time.monotonic(), response.status_code, answer))


def test_a_restart_fails_at_most_the_requests_in_flight(private_postgres, databases, serve):
    server = serve(databases.new("restart"))
    api = Api(server.base_url, server.bootstrap("restart"))
    clients = Clients(api, mix.build_world(api, datetime.now(UTC)), CLIENTS)
    clients.start()
    try:
        clients.each_answered(since=0)
        # Between requests: every kept connection is then a dead one.
        clients.pause()
        private_postgres.restart()
        resumed = time.monotonic()
        clients.resume()
        clients.each_answered(since=resumed)
        # Under load.
        restart_began = time.monotonic()
        private_postgres.restart()
        restart_ended = time.monotonic()
        clients.each_answered(since=restart_ended)
    finally:
        answered_after = clients.answered_since(restart_ended)
        sent = clients.stop()

    failed = [each for each in sent if not 200 <= each.status < 300]
    assert {(each.status, str(each.body)) for each in failed} <= {(503, str(UNAVAILABLE))}
    assert [
        each for each in failed if each.answered_at < restart_began or each.sent_at > restart_ended
    ] == []
    assert min(answered_after) >= ROUND
