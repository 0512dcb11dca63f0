"""iCal export of a large schedule, served by gunicorn as the Docker image runs it: the first GET
(computed), then the GETs of the unchanged export (read back from the cache, target < 50 ms),
then the same after a write that changes it.

The schedule has 300 hourly shifts: shift i puts its user on call for one hour every 300 hours,
starting i hours after a Monday four weeks ago, so that someone is on call every hour of the
export's 195 days (4,680 events). Default database: an SQLite file in a temporary directory.

    .venv/bin/python bench/export.py [--database-url postgres://…/NAME] [--repeats 20]
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from scenarios import Api, bench_base, create_users, wall
from server import Server, create_database, drop_database

SHIFTS = 300
USERS = 30
TARGET_MS = 50


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: an SQLite file in a temporary directory")
    parser.add_argument("--repeats", type=int, default=20)
    return parser.parse_args()


def build(api: Api) -> str:
    """The schedule of 300 hourly shifts; returns its id."""
    users = create_users(api, "export", USERS)
    base = bench_base(datetime.now(UTC))
    bodies = [
        {
            "type": "recurrent_event",
            "frequency": "hourly",
            "interval": SHIFTS,
            "start": wall(base + timedelta(hours=index)),
            "duration": 3600,
            "users": [users[index % USERS]],
        }
        for index in range(SHIFTS)
    ]
    shifts = api.parallel(lambda body: api.post("on_call_shifts", body)["id"], bodies)
    body = {"name": "Hourly", "type": "calendar", "time_zone": "UTC", "shifts": shifts}
    return api.post("schedules", body)["id"]


def timed_get(session: requests.Session, url: str, **headers) -> tuple[float, requests.Response]:
    started = time.perf_counter()
    response = session.get(url, headers=headers, timeout=600)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} → {response.status_code}: {response.text[:300]}")
    return elapsed, response


def repeated(session: requests.Session, url: str, repeats: int, **headers) -> str:
    samples = sorted(timed_get(session, url, **headers)[0] for _ in range(repeats))
    median = statistics.median(samples)
    p95 = samples[min(len(samples) - 1, int(0.95 * len(samples)))]
    verdict = "ok" if median < TARGET_MS else "OVER TARGET"
    return f"median {median:7.1f} ms, p95 {p95:7.1f} ms ({verdict}, target < {TARGET_MS} ms)"


def measure(api: Api, schedule: str, repeats: int) -> None:
    token = api.post(f"schedules/{schedule}/export_token", {})["token"]
    url = api.url(f"schedules/{schedule}/export/?token={token}")
    calendar = requests.Session()  # a calendar app: no API token, gzip accepted
    first, response = timed_get(calendar, url)
    size = len(response.content)
    events = response.content.count(b"BEGIN:VEVENT")
    coding = response.headers.get("Content-Encoding", "identity")
    print(f"export: {events} events, {size / 1e6:.1f} MB ({coding} on the wire)")
    print(f"first GET (computed):          {first:9.1f} ms")
    print(f"second GET, gzip accepted:     {repeated(calendar, url, repeats)}")
    identity = repeated(calendar, url, repeats, **{"Accept-Encoding": "identity"})
    print(f"second GET, identity:          {identity}")
    api.patch(f"schedules/{schedule}", {"name": "Hourly, renamed"})
    after_write, _ = timed_get(calendar, url)
    print(f"first GET after a write:       {after_write:9.1f} ms")
    print(f"second GET after the write:    {repeated(calendar, url, repeats)}")


def main() -> int:
    args = parse_args()
    with tempfile.TemporaryDirectory() as directory:
        database_url = args.database_url or f"sqlite:///{Path(directory) / 'export.sqlite3'}"
        server = Server(database_url)
        try:
            create_database(database_url)
            server.migrate()
            server.start()
            api = Api(server.base_url, server.bootstrap("export"))
            started = time.perf_counter()
            schedule = build(api)
            print(f"built {SHIFTS} hourly shifts in {time.perf_counter() - started:.0f} s")
            measure(api, schedule, args.repeats)
        finally:
            server.stop()
            drop_database(database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
