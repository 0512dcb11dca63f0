"""A mixed read/write load on a live server, and the record of what it did.

Writers create and update shifts, teams and schedules of their own (Terraform's kind of
traffic); readers ask who is on call now, read `final_shifts` windows and list. Every write the
server acknowledged is kept in a `Ledger`, so that the database can be checked against it
afterwards; every answer is counted in a `Tally` with its latency.

Used by `bench/load.py` (throughput and latency) and by the live-server concurrency tests
(`tests/live/test_concurrent_load.py`: nothing lost, nothing failed).
"""

import asyncio
import itertools
import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bench.scenarios import Api, bench_base, create_schedule, rotation, wall
from bench.wire import Client, ConnectionLost

HOUR = 3600
# Each writer places its shifts in a band of time of its own, one hour every two (so that no
# two shifts touch), far enough ahead that nothing of it is on call now.
SLOT = timedelta(hours=2)
BAND = timedelta(days=14)
BAND_SLOTS = BAND // SLOT
SHIFTS_PER_SCHEDULE = 2
READ_WINDOW = timedelta(days=7)
PAGE = "?perpage=20"
# Names are unique in a process: its runs may share a database.
NAMES = itertools.count()


@dataclass(frozen=True)
class World:
    """What the load reads and uses: users to put on call and schedules to read."""

    users: list[str]
    schedules: list[str]
    bands_start: datetime


def build_world(api: Api, now: datetime) -> World:
    """Ten users and three schedules of weekly and daily rotations covering now."""
    users = [
        api.post(
            "users/",
            {"username": f"load{index}", "email": f"load{index}@load.test", "role": "editor"},
        )["id"]
        for index in range(10)
    ]
    base = bench_base(now)
    schedules = [
        create_schedule(
            api,
            f"read {index}",
            [
                rotation(
                    name=f"weekly {index}",
                    start=base,
                    duration=7 * 24 * HOUR,
                    groups=[[user] for user in users[index : index + 4]],
                ),
                rotation(
                    name=f"days {index}",
                    start=base + timedelta(hours=9),
                    duration=8 * HOUR,
                    groups=[[users[index + 5]], [users[index + 6]]],
                    frequency="daily",
                    level=1,
                ),
            ],
            "UTC",
        )
        for index in range(3)
    ]
    return World(users, schedules, base + timedelta(days=60))


# --- what happened --------------------------------------------------------------------------


@dataclass
class Tally:
    """Every answer by kind of request: statuses, latencies, and the bodies of 5xx answers."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    lost: Counter = field(default_factory=Counter)
    server_errors: list[tuple[str, int, bytes]] = field(default_factory=list)
    seconds: float = 0.0

    def answered(self, kind: str, status: int, body: bytes, seconds: float) -> None:
        self.latencies[kind].append(seconds)
        self.statuses[kind][status] += 1
        if status >= 500:
            self.server_errors.append((kind, status, body[:300]))

    @property
    def count(self) -> int:
        return sum(sum(counter.values()) for counter in self.statuses.values())

    def of(self, kinds) -> list[float]:
        return [sample for kind in kinds for sample in self.latencies[kind]]

    def not_2xx(self) -> Counter:
        return Counter(
            {
                (kind, status): count
                for kind, counter in self.statuses.items()
                for status, count in counter.items()
                if not 200 <= status < 300
            }
        )


def percentile_ms(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)] * 1000


@dataclass
class Ledger:
    """The fields of every object a writer created, as last acknowledged."""

    shifts: dict[str, dict] = field(default_factory=dict)
    teams: dict[str, dict] = field(default_factory=dict)
    schedules: dict[str, dict] = field(default_factory=dict)

    def of(self, kind: "Kind") -> dict[str, dict]:
        return getattr(self, f"{kind.name}s")

    @property
    def count(self) -> int:
        return len(self.shifts) + len(self.teams) + len(self.schedules)

    def merged(self, later: "Ledger") -> "Ledger":
        """Both runs' writes (each object has one writer, in one run)."""
        return Ledger(
            {**self.shifts, **later.shifts},
            {**self.teams, **later.teams},
            {**self.schedules, **later.schedules},
        )


# --- who does what --------------------------------------------------------------------------


class Actor:
    def __init__(self, client: Client, tally: Tally) -> None:
        self.client = client
        self.tally = tally

    async def call(self, kind: str, method: str, path: str, body: dict | None = None):
        """The answer's JSON when it was a 2xx with a body, else None."""
        started = time.perf_counter()
        try:
            answer = await self.client.request(method, f"/api/v1/{path}", body)
        except ConnectionLost:
            self.tally.lost[kind] += 1
            return None
        self.tally.answered(kind, answer.status, answer.body, time.perf_counter() - started)
        if 200 <= answer.status < 300 and answer.body:
            return answer.json()
        return None


@dataclass(frozen=True)
class Kind:
    """What a writer writes: its route, the fields it writes and acknowledges (given by the
    writer), and what only a creation adds."""

    name: str
    route: str
    fields: Callable[["Writer"], dict]
    created_with: dict


class Writer(Actor):
    """Creates and updates shifts, teams and schedules of its own, in turn."""

    def __init__(self, client, tally, ledger: Ledger, world: World, number: int) -> None:
        super().__init__(client, tally)
        self.ledger = ledger
        self.world = world
        self.number = number
        self.band_start = world.bands_start + number * BAND
        self.slots = itertools.count()
        self.mine: dict[str, list[str]] = {kind.name: [] for kind in KINDS}
        self.round = [
            (self.create, SHIFT),
            (self.create, TEAM),
            (self.update, SHIFT),
            (self.update, TEAM),
            (self.create, SCHEDULE),
            (self.update, SCHEDULE),
        ]
        self.steps = itertools.cycle(self.round)
        self.written = 0

    async def step(self) -> None:
        write, kind = next(self.steps)
        await write(kind)
        self.written += 1

    def made(self, rounds: int) -> bool:
        """Whether it has sent every kind of write at least `rounds` times."""
        return self.written >= rounds * len(self.round)

    def name(self, what: str) -> str:
        return f"w{self.number} {what} {next(NAMES)}"

    def shift_fields(self) -> dict:
        slot = next(self.slots) % BAND_SLOTS
        user = self.world.users[(self.number + slot) % len(self.world.users)]
        return {"start": wall(self.band_start + slot * SLOT), "users": [user]}

    def team_fields(self) -> dict:
        return {"name": self.name("team")}

    def schedule_fields(self) -> dict:
        shifts = self.mine["shift"][-SHIFTS_PER_SCHEDULE:]
        return {"name": self.name("schedule"), "shifts": shifts}

    async def create(self, kind: Kind) -> None:
        fields = kind.fields(self)
        body = {**kind.created_with, **fields}
        created = await self.call(f"create {kind.name}", "POST", f"{kind.route}/", body)
        if created is not None:
            self.mine[kind.name].append(created["id"])
            self.ledger.of(kind)[created["id"]] = fields

    async def update(self, kind: Kind) -> None:
        if not self.mine[kind.name]:
            return await self.create(kind)
        written = self.mine[kind.name][-1]
        fields = kind.fields(self)
        if await self.call(f"update {kind.name}", "PUT", f"{kind.route}/{written}/", fields):
            self.ledger.of(kind)[written] = fields
        return None


SHIFT = Kind(
    "shift",
    "on_call_shifts",
    Writer.shift_fields,
    {"name": "load", "type": "single_event", "duration": HOUR},
)
TEAM = Kind("team", "teams", Writer.team_fields, {})
SCHEDULE = Kind(
    "schedule", "schedules", Writer.schedule_fields, {"type": "calendar", "time_zone": "UTC"}
)
KINDS = [SHIFT, TEAM, SCHEDULE]


WRITE_KINDS = [
    "create shift",
    "update shift",
    "create team",
    "update team",
    "create schedule",
    "update schedule",
]


# A reader's round of reads: 35% current_oncall, 35% final_shifts, 30% lists, in an order
# shuffled anew for each round.
READ_ROUND = [
    *["current_oncall"] * 7,
    *["final_shifts"] * 7,
    *["list schedules", "list on_call_shifts", "list teams"] * 2,
]


class Reader(Actor):
    """Who is on call now, final_shifts over a window sliding by the hour, lists."""

    def __init__(self, client, tally, world: World, seed: int) -> None:
        super().__init__(client, tally)
        self.world = world
        self.random = random.Random(seed)
        self.base = bench_base(datetime.now(UTC))
        self.hours = itertools.count(seed * 24)
        self.next_reads: list[str] = []
        self.read = 0

    async def step(self) -> None:
        if not self.next_reads:
            self.next_reads = self.random.sample(READ_ROUND, len(READ_ROUND))
        kind = self.next_reads.pop()
        schedule = self.random.choice(self.world.schedules)
        if kind == "current_oncall":
            await self.call(kind, "GET", f"schedules/{schedule}/current_oncall/")
        elif kind == "final_shifts":
            start = self.base + timedelta(hours=next(self.hours) % (40 * 24))
            end = start + READ_WINDOW
            window = f"start_date={start:%Y-%m-%dT%H:00}&end_date={end:%Y-%m-%dT%H:00}"
            await self.call(kind, "GET", f"schedules/{schedule}/final_shifts/?{window}")
        else:
            await self.call(kind, "GET", f"{kind.removeprefix('list ')}/{PAGE}")
        self.read += 1

    def made(self, rounds: int) -> bool:
        """Whether it has sent every kind of read at least `rounds` times."""
        return self.read >= rounds * len(READ_ROUND)


READ_KINDS = list(dict.fromkeys(READ_ROUND))


class Mixed:
    """A client of both kinds: each request a write with probability `write_share`."""

    def __init__(self, reader: Reader, writer: Writer, write_share: float) -> None:
        self.reader = reader
        self.writer = writer
        self.write_share = write_share

    async def step(self) -> None:
        if self.reader.random.random() < self.write_share:
            await self.writer.step()
        else:
            await self.reader.step()

    def made(self, rounds: int) -> bool:
        return self.reader.made(rounds) and self.writer.made(rounds)


# --- running --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Load:
    """Who runs: `writers` and `readers` dedicated clients, `mixed` clients writing
    `write_share` of their requests. Each client goes on after the run's time until it has
    sent every kind of its requests at least `rounds` times: however slow the machine, a run
    makes every kind of request (the tests rely on it; the bench counts on time alone)."""

    writers: int = 0
    readers: int = 0
    mixed: int = 0
    write_share: float = 0.1
    rounds: int = 0


def run(base_url: str, token: str, world: World, load: Load, seconds: float):
    """Every client sends one request after another for `seconds` (and until it has made
    `load.rounds` rounds); (Tally, Ledger)."""
    return asyncio.run(run_async(base_url, token, world, load, seconds))


async def run_async(base_url: str, token: str, world: World, load: Load, seconds: float):
    tally, ledger = Tally(), Ledger()
    writers = itertools.count()
    clients: list[Client] = []

    def client() -> Client:
        clients.append(Client(base_url, token))
        return clients[-1]

    def writer(on: Client) -> Writer:
        return Writer(on, tally, ledger, world, next(writers))

    def mixed(seed: int) -> Mixed:
        # One connection for both kinds of request, as one client has.
        on = client()
        return Mixed(Reader(on, tally, world, seed), writer(on), load.write_share)

    actors: list[Writer | Reader | Mixed] = [
        *(writer(client()) for _ in range(load.writers)),
        *(Reader(client(), tally, world, seed) for seed in range(load.readers)),
        *(mixed(1000 + seed) for seed in range(load.mixed)),
    ]
    started = time.perf_counter()
    deadline = started + seconds

    async def keep_going(actor) -> None:
        while time.perf_counter() < deadline or not actor.made(load.rounds):
            await actor.step()

    await asyncio.gather(*(keep_going(actor) for actor in actors))
    tally.seconds = time.perf_counter() - started
    for each in clients:
        each.close()
    return tally, ledger
