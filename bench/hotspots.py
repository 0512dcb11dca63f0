"""Where the time goes: cProfile of the benchmark's slow requests, cold, in process.

`.venv/bin/python bench/hotspots.py [--database-url URL] [--top 20]` builds the scenarios of
`run.py` through the API (gunicorn), stops gunicorn, then replays final_shifts (b) year, the
list of 50 schedules and current_oncall (a) through Django's test client under cProfile, with
Django's cache and the worker's expansions cleared before every request so each one does the
work. Drops the database at the end.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from datetime import UTC, datetime, timedelta

from run import DEFAULT_DATABASE_URL, Bench, say
from server import ROOT, Server, create_database, drop_database

REQUESTS = 10


def profile(client, label: str, url: str, token: str, params: dict | None, top: int) -> None:
    from django.core.cache import cache

    from timeline.cache import process_objects

    def call() -> None:
        cache.clear()
        process_objects.clear()
        response = client.get(url, params, HTTP_AUTHORIZATION=token)
        assert response.status_code == 200, response.content[:300]

    call()  # warm-up: imports, connection
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(REQUESTS):
        call()
    profiler.disable()
    elapsed = (time.perf_counter() - started) / REQUESTS * 1000
    say(f"\n=== {label}: {elapsed:.1f} ms per request under cProfile ({REQUESTS} requests)")
    say("--- by own time")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)
    say("--- by cumulative time, project code only")
    project = rf"^{ROOT}/(schedules|shifts|users|oncall)/"
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
        bench = Bench(server, quick=True)
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
