"""The on-call events on real components: Celery workers and beat on a Redis broker of their
own, the suite's database engine, Slack (`slack_sdk`) pointed at a local Slack, and a local
webhook receiver. Time passes for real over hand-overs a few seconds ahead.

Each change must come out exactly once: one log entry, one set of Slack calls, one webhook
delivery — with one worker, after the worker is killed and started again, and with two beats
and two workers at once (docs/oncall-events.md#exactly-once)."""

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench.server import ROOT
from tests.oncall_events.fake_slack import FakeSlack

CELERY = str(Path(sys.executable).with_name("celery"))
# Generous: the machine is shared. Nothing is timed; this only bounds a wait that failed.
PATIENCE = 90.0
# A worker's line for a run of the on-call events task that recorded a change and delivered
# what it acts on (a run records, then delivers what is due).
RECORDED = re.compile(r"succeeded in [\d.]+s: \{'recorded': [1-9]\d*, 'delivered': [1-9]")


class Receiver:
    """A webhook receiver that takes every delivery."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[str, dict]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.deliveries.append((self.headers["X-OnCall-Delivery"], json.loads(body)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class World:
    """A database with a schedule, and the Celery processes working on it."""

    def __init__(self, database_url: str, broker_url: str, directory: Path) -> None:
        self.directory = directory
        self.slack = FakeSlack().start()
        self.receiver = Receiver()
        self.env = {
            **os.environ,
            "SECRET_KEY": "live-oncall-events-secret",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "SLACK_API_URL": self.slack.url,
            "ONCALL_EVENTS_TICK_SECONDS": "1",
            "ICAL_ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "INFO",
        }
        self.processes: dict[str, subprocess.Popen] = {}

    def manage(self, *args: str) -> dict:
        done = subprocess.run(
            [sys.executable, "-m", "tests.live.oncall_events_world", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    def make(self, *seconds: int) -> tuple[dict, list[datetime]]:
        """The world, with hand-overs `seconds` after it is made; (its ids, the hand-overs)."""
        ids = self.manage("make", self.receiver.url, *map(str, seconds))
        return ids, [datetime.fromisoformat(instant) for instant in ids["instants"]]

    def log(self) -> dict:
        return self.manage("log")

    def start(self, name: str, *command: str) -> None:
        output = (self.directory / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            [CELERY, "-A", "oncall", *command],
            cwd=ROOT,
            env=self.env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        output.close()

    def worker(self, name: str) -> None:
        self.start(
            name,
            "worker",
            "--pool",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
            "--hostname",
            f"{name}@%h",
        )

    def beat(self, name: str) -> None:
        schedule = self.directory / f"{name}-schedule"
        self.start(name, "beat", "--schedule", str(schedule), "--loglevel", "INFO")

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        for name in list(self.processes):
            self.kill(name)
        self.slack.stop()
        self.receiver.stop()
        for log in sorted(self.directory.glob("*.log")):
            print(f"--- {log.name} (end) ---\n{log.read_text()[-3000:]}")

    def running(self, *workers: str) -> None:
        """Start beat and `workers`, and wait until each worker has run a task: the hand-overs
        made next are then a few seconds ahead of a working worker, however slow the start."""
        self.beat("beat")
        for name in workers:
            self.worker(name)
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            logs = [(self.directory / f"{name}.log").read_text() for name in workers]
            if all("succeeded" in log for log in logs):
                return
            time.sleep(0.5)
        raise AssertionError(f"the workers ran no task within {PATIENCE} s")

    def recorded(self, name: str) -> None:
        """Until worker `name` has recorded a change and delivered its actions (its log says so
        at once, where a look at the database is a process of its own, which a loaded machine
        may take seconds to start)."""
        deadline = time.monotonic() + PATIENCE
        log = self.directory / f"{name}.log"
        while not RECORDED.search(log.read_text()):
            assert time.monotonic() < deadline, f"{name} recorded nothing within {PATIENCE} s"
            time.sleep(0.1)

    def wait_for(self, what: str, done: Callable[[dict], bool]) -> dict:
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            state = self.log()
            if done(state):
                return state
            time.sleep(0.5)
        raise AssertionError(f"not within {PATIENCE} s: {what}; last state {state}")


@pytest.fixture
def world(databases, private_redis, tmp_path, request) -> Iterator[World]:
    database_url = databases.new(f"events_{request.node.name[5:40]}")
    world = World(database_url, private_redis.url, tmp_path)
    try:
        yield world
    finally:
        world.stop()


def settled(entries: int) -> Callable[[dict], bool]:
    """`entries` log entries, and no delivery left pending."""

    def check(state: dict) -> bool:
        pending = [d for d in state["deliveries"] if d[2] == "pending"]
        return len(state["log"]) >= entries and not pending

    return check


def slack_calls(world: World) -> list[tuple[str, str]]:
    return [
        (call["method"], call["arguments"].get("users") or call["arguments"].get("channel"))
        for call in world.slack.calls
    ]


def reasons(state: dict) -> list[tuple[str, str]]:
    return [(at, reason) for at, _, reason in state["log"]]


def test_a_handoff_makes_one_slack_call_set_and_one_delivery(world):
    world.running("worker")
    ids, [handoff] = world.make(7)
    state = world.wait_for("the hand-over is recorded and acted on", settled(2))
    time.sleep(3)  # a few more ticks: nothing more may come
    state = world.log()
    alice, bob = ids["users"]
    assert [(entry[1], entry[2]) for entry in state["log"]] == [
        ([alice], "start"),
        ([bob], "rotation"),
    ]
    assert state["log"][1][0] == handoff.isoformat()
    assert slack_calls(world) == [
        ("usergroups.users.update", "UALICE"),
        ("chat.postMessage", "C0HANDOFF"),
        ("usergroups.users.update", "UBOB"),
    ]
    events = [body["data"]["reason"] for _, body in world.receiver.deliveries]
    assert events == ["start", "rotation"]
    assert len({delivery_id for delivery_id, _ in world.receiver.deliveries}) == 2


def test_a_killed_worker_catches_up_in_order_and_doubles_nothing(world):
    world.running("worker")
    # The worker must record the start, and be killed, before the first hand-over.
    ids, [first, second] = world.make(15, 18)
    world.recorded("worker")
    world.kill("worker")
    while datetime.now(UTC) < second + timedelta(seconds=2):
        time.sleep(0.5)
    # The start acted on, and nobody recorded the hand-overs meanwhile.
    state = world.log()
    assert len(state["log"]) == 1 and settled(1)(state), state
    world.worker("worker-again")
    world.wait_for("the missed hand-overs are caught up", settled(3))
    time.sleep(3)
    state = world.log()
    alice, bob = ids["users"]
    assert state["log"] == [
        [state["log"][0][0], [alice], "start"],
        [first.isoformat(), [bob], "rotation"],
        [second.isoformat(), [alice], "rotation"],
    ]
    # one post per change, in order; the group's latest set once (the older one is moot)
    assert slack_calls(world) == [
        ("usergroups.users.update", "UALICE"),
        ("chat.postMessage", "C0HANDOFF"),
        ("chat.postMessage", "C0HANDOFF"),
        ("usergroups.users.update", "UALICE"),
    ]
    posts = [call["arguments"]["text"] for call in world.slack.calls if "text" in call["arguments"]]
    assert "<@UBOB> (rotation)" in posts[0] and "<@UALICE> (rotation)" in posts[1]
    assert [body["data"]["at"] for _, body in world.receiver.deliveries][1:] == [
        first.strftime("%Y-%m-%dT%H:%M:%SZ"),
        second.strftime("%Y-%m-%dT%H:%M:%SZ"),
    ]


def test_two_beats_and_two_workers_record_each_change_once(world):
    world.beat("beat-2")
    world.running("worker-1", "worker-2")
    world.make(7)
    world.wait_for("the hand-over is recorded and acted on", settled(2))
    time.sleep(3)
    state = world.log()
    assert [reason for _, reason in reasons(state)] == ["start", "rotation"]
    # Two workers act on the hand-over's post and group update at once, in either order.
    assert sorted(method for method, _ in slack_calls(world)) == [
        "chat.postMessage",
        "usergroups.users.update",
        "usergroups.users.update",
    ]
    assert len(world.receiver.deliveries) == 2
    assert all(attempts == 1 for *_, attempts in state["deliveries"])
