"""Where the time goes: cProfile of the benchmark's slow requests, in process.

`.venv/bin/python bench/hotspots.py [--database-url URL] [--top 20]` builds the scenarios of
`run.py` through the API (gunicorn), stops gunicorn, then replays through Django's test client
under cProfile: final_shifts (a) and (b) over a year, each request after an untimed write to one
shift as `run.py` measures them (what the worker kept before the write stays kept); then cold,
with Django's cache and the worker's kept objects cleared before every request so each one does
all the work, final_shifts (b) year, the list of 50 schedules and current_oncall (a). Drops the
database at the end.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from measure import machine_speed_ms
from run import DEFAULT_DATABASE_URL, Bench, say
from scenarios import ShiftWrite
from server import ROOT, Server, create_database, drop_database

REQUESTS = 10


def clear_caches() -> None:
    from django.core.cache import cache

    from timeline.cache import process_objects

    cache.clear()
    process_objects.clear()


class ClientApi:
    """What `ShiftWrite` needs of `scenarios.Api`, through Django's test client."""

    def __init__(self, client, token: str) -> None:
        self.client, self.token = client, token

    def put(self, path: str, body: dict) -> None:
        response = self.client.put(
            f"/api/v1/{path}", body, content_type="application/json", HTTP_AUTHORIZATION=self.token
        )
        assert response.status_code == 200, response.content[:300]


def profile(
    client,
    label: str,
    url: str,
    token: str,
    params: dict | None,
    top: int,
    before: Callable[[], None] = clear_caches,
) -> None:
    """`before` runs before each request, neither timed nor profiled."""
    profiler = cProfile.Profile()
    elapsed = 0.0
    for request in range(REQUESTS + 1):  # the first one warms up: imports, connection
        before()
        started = time.perf_counter()
        if request:
            profiler.enable()
        response = client.get(url, params, HTTP_AUTHORIZATION=token)
        profiler.disable()
        if request:
            elapsed += (time.perf_counter() - started) * 1000 / REQUESTS
        assert response.status_code == 200, response.content[:300]
    say(f"\n=== {label}: {elapsed:.1f} ms per request under cProfile ({REQUESTS} requests)")
    say("--- by own time")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)
    say("--- by cumulative time, project code only")
    project = rf"^{ROOT}/(schedules|shifts|users|oncall|timeline|common|apikit)/"
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(project, top)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    server = Server(args.database_url, workers=2)
    try:
        create_database(args.database_url)
        server.migrate()
        server.start()
        bench = Bench(server, quick=True, speed_ms=machine_speed_ms())
        bench.build()
        server.stop()

        os.environ.update(server.env)
        os.environ["ALLOWED_HOSTS"] = "testserver"
        os.environ["DJANGO_SETTINGS_MODULE"] = "oncall.settings"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.test import Client

        client = Client()
        days = 364
        year = {
            "start_date": bench.base.strftime("%Y-%m-%d"),
            "end_date": (bench.base + timedelta(days=days)).strftime("%Y-%m-%d"),
        }
        b_url = f"/api/v1/schedules/{bench.schedules['b']}/final_shifts/"
        a_url = f"/api/v1/schedules/{bench.schedules['a']}/current_oncall/"
        say(f"now: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
        for key in ("a", "b"):
            write = bench.shift_writes[key]
            profile(
                client,
                f"final_shifts ({key}) 1 year, after a write to one shift",
                f"/api/v1/schedules/{bench.schedules[key]}/final_shifts/",
                bench.api.token,
                year,
                args.top,
                ShiftWrite(ClientApi(client, bench.api.token), write.shift_id, write.body),
            )
        profile(client, "final_shifts (b) hourly, 1 year", b_url, bench.api.token, year, args.top)
        profile(
            client,
            "GET /schedules/ (50)",
            "/api/v1/schedules/",
            bench.list_api.token,
            None,
            args.top,
        )
        profile(client, "current_oncall (a)", a_url, bench.api.token, None, args.top)
    except KeyboardInterrupt:
        return 130
    finally:
        server.stop()
        # FORCE in the drop ends this process's own database session too.
        drop_database(args.database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
