"""Latency samples on a keep-alive session, and a bounded load generator on loopback."""

import asyncio
import gzip
import http.client
import json
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit


@dataclass(frozen=True)
class Latency:
    samples: list[float]  # seconds
    count: int | None  # the response's "count", when it has one

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p95_ms(self) -> float:
        """Nearest-rank 95th percentile."""
        ordered = sorted(self.samples)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000


@dataclass(frozen=True)
class Budget:
    """Per measurement: warm-up requests, then up to `samples` timed ones within `seconds`."""

    warmup: int
    samples: int
    seconds: float
    min_samples: int = 3


class Probe:
    """Sequential GETs on one keep-alive connection with the raw token, through `http.client`.

    The timer should see the server, not the client: `requests` spends milliseconds of its own
    per response on bodies of a few hundred kilobytes, on the cores the server runs on. Like
    requests, curl --compressed and Go clients, the probe accepts gzip; the body is decoded after
    the timer stops, as the JSON is parsed.
    """

    def __init__(self, base_url: str, token: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "", parts.port
        self.headers = {
            "Authorization": token,
            "Accept": "application/json",
            "Accept-Encoding": "gzip",
        }
        self.connection: http.client.HTTPConnection | None = None

    def get(self, url: str, params: dict | None) -> tuple[bytes, bool]:
        """The body as it came, and whether it came gzipped."""
        target = urlsplit(url).path + (f"?{urlencode(params)}" if params else "")
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                self.connection.request("GET", target, headers=self.headers)
                response = self.connection.getresponse()
                body = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionError):
                # gunicorn closes connections idle past its keep-alive timeout (untimed writes
                # between samples can take that long): reconnect once.
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        if response.status != 200:
            raise RuntimeError(f"GET {target} → {response.status}: {body[:300]!r}")
        return body, response.getheader("Content-Encoding") == "gzip"


def latency(
    probe: Probe,
    url: str,
    budget: Budget,
    prepare: Callable[[], dict | None] | None = None,
) -> Latency:
    """Sequential GETs of `url`; `prepare` (untimed) runs before each one and gives its query."""
    body, gzipped = b"{}", False
    for _ in range(budget.warmup):
        probe.get(url, prepare() if prepare else None)
    samples: list[float] = []
    deadline = time.perf_counter() + budget.seconds
    while len(samples) < budget.samples and (
        len(samples) < budget.min_samples or time.perf_counter() < deadline
    ):
        params = prepare() if prepare else None
        started = time.perf_counter()
        body, gzipped = probe.get(url, params)
        samples.append(time.perf_counter() - started)
    return Latency(samples, json.loads(gzip.decompress(body) if gzipped else body).get("count"))


@dataclass(frozen=True)
class Throughput:
    ok: int
    errors: int
    seconds: float
    concurrency: int

    @property
    def per_second(self) -> float:
        return self.ok / self.seconds


# A gunicorn worker keeps every connection it accepts, and which worker accepts one is a race:
# 16 connections held for a whole run can all land on one worker, which then serves them on one
# core. Clients reconnect after this many requests, as a proxy recycling its upstream connections
# does, so that connections keep spreading over the workers.
REQUESTS_PER_CONNECTION = 100


def throughput(url: str, token: str, *, concurrency: int, seconds: float) -> Throughput:
    """`concurrency` clients each sending one request at a time for `seconds` (asyncio sockets).

    Raw HTTP/1.1 on asyncio streams keeps the client's own CPU cost low, since it shares the
    machine's cores with the server. Each client keeps its connection alive (gunicorn's gthread
    workers honour keep-alive) for `REQUESTS_PER_CONNECTION` requests.
    """
    return asyncio.run(load(url, token, concurrency, seconds))


async def load(url: str, token: str, concurrency: int, seconds: float) -> Throughput:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    request = (
        f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nAuthorization: {token}\r\n\r\n"
    ).encode()
    ok = errors = 0
    started = time.perf_counter()
    deadline = started + seconds

    async def exchange(reader, writer) -> bool:
        """One request on an open connection; True when it was answered 200."""
        writer.write(request)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        await reader.readexactly(length)
        return head.startswith(b"HTTP/1.1 200 ")

    async def client() -> None:
        nonlocal ok, errors
        connection = None
        sent = 0
        while time.perf_counter() < deadline:
            try:
                if connection is None:
                    connection = await asyncio.open_connection(parts.hostname, parts.port)
                if await exchange(*connection):
                    ok += 1
                else:
                    errors += 1
            except (OSError, asyncio.IncompleteReadError, StopIteration):
                errors += 1
                connection = None
                continue
            sent += 1
            if sent % REQUESTS_PER_CONNECTION == 0:
                connection[1].close()
                connection = None
        if connection is not None:
            connection[1].close()

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return Throughput(ok, errors, time.perf_counter() - started, concurrency)


def machine_speed_ms() -> float:
    """Best of five runs of a fixed pure-Python workload: the machine is shared and its speed
    moves by half or more from hour to hour, so runs are compared with this beside them."""
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        timings.append(time.perf_counter() - started)
    return min(timings) * 1000
