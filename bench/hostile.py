"""Hostile calendars and values against gunicorn as the Docker image runs it (one worker, so that
every request lands in the process whose memory is read): for each class, the time to answer a
create, a refresh and a final_shifts window, the worker's CPU time, and the growth of the
process's peak RSS (VmHWM), judged against 2 s (docs/ical-feeds.md#limits, SECURITY.md).

Feeds are served by a local HTTP server (allowed through ICAL_ALLOWED_HOSTS). A refused feed is
also refreshed: the schedule is made with a good copy at the same URL, which then turns hostile.
Refreshes run as a Celery worker runs them, in a process of their own (`manage.py shell`),
which reports its own time, CPU and peak RSS growth. Default database: an SQLite file in a
temporary directory.

    .venv/bin/python -m bench.hostile [--database-url postgres://…/NAME] [--only TEXT]
"""

import argparse
import json
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.cpu import load_average, process_seconds
from bench.measure import machine_speed_ms
from bench.scenarios import Api
from bench.server import Server, create_database, drop_database, peak_rss_mb

TARGET_MS = 2000
WINDOW_DAYS = 31
MAX_EVENTS = 2000  # the default ICAL_MAX_EVENTS
YEAR_ONE = "00010101T090000Z"


def vevent(uid: str, start: str, end: str, *lines: str) -> str:
    body = "".join(f"{line}\r\n" for line in lines)
    return f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:{start}\r\nDTEND:{end}\r\n{body}END:VEVENT\r\n"


def calendar(events: list[str]) -> str:
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n"
    return f"{head}{''.join(events)}END:VCALENDAR\r\n"


def rule_feed(rule: str, events: int = 1) -> str:
    """`events` events from year 1, each repeating by `rule`, for one user."""
    return calendar(
        [
            vevent(f"e{n}", YEAR_ONE, "00010101T100000Z", "SUMMARY:hostile0", f"RRULE:{rule}")
            for n in range(events)
        ]
    )


def hourly_events(count: int) -> str:
    """`count` one-hour events, one after the other from today."""
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    stamps = [(start + timedelta(hours=n)).strftime("%Y%m%dT%H%M%SZ") for n in range(count + 1)]
    return calendar(
        [vevent(f"e{n}", stamps[n], stamps[n + 1], "SUMMARY:hostile0") for n in range(count)]
    )


GOOD = rule_feed("FREQ=DAILY")
FEEDS: dict[str, Callable[[], str]] = {
    "RRULE INTERVAL=0": lambda: rule_feed("FREQ=DAILY;INTERVAL=0"),
    "RRULE COUNT=0": lambda: rule_feed("FREQ=DAILY;COUNT=0"),
    "RRULE COUNT and UNTIL": lambda: rule_feed("FREQ=DAILY;COUNT=2;UNTIL=20300101T000000Z"),
    "RRULE 30 February": lambda: rule_feed("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"),
    "RRULE COUNT=10^9": lambda: rule_feed("FREQ=HOURLY;COUNT=1000000000"),
    "hourly from year 1": lambda: rule_feed("FREQ=HOURLY"),
    f"{MAX_EVENTS} hourly series from year 1": lambda: rule_feed("FREQ=HOURLY", MAX_EVENTS),
    f"{MAX_EVENTS} single events": lambda: hourly_events(MAX_EVENTS),
    "9999 single events": lambda: hourly_events(9999),
}


def verdict(passed: bool) -> str:
    return "PASS" if passed else "MISS"


@dataclass
class Step:
    name: str
    status: str
    wall_ms: float
    cpu_ms: float | None
    rss_growth_mb: float | None

    def line(self) -> str:
        cpu = "" if self.cpu_ms is None else f"{self.cpu_ms:7.0f} ms CPU"
        rss = "" if self.rss_growth_mb is None else f"+{self.rss_growth_mb:5.1f} MB peak RSS"
        return (
            f"  {self.name:<17} {self.status:<30} {self.wall_ms:7.0f} ms {cpu:>14}  {rss:>18}  "
            f"{verdict(self.wall_ms < TARGET_MS)}"
        )


class FeedServer:
    """Serves `texts[path]` as text/calendar; the texts can change between requests."""

    def __init__(self) -> None:
        texts: dict[str, str] = {}
        self.texts = texts

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = texts.get(self.path, "").encode()
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/calendar")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"


class Hostile:
    def __init__(self, server: Server, api: Api, feeds: FeedServer) -> None:
        self.server, self.api, self.feeds = server, api, feeds
        self.worker = server.worker_pids()[0]

    @contextmanager
    def measured(self, name: str, steps: list[Step]) -> Iterator[dict]:
        """Times the block's request; the block puts its answer's status in `outcome`."""
        outcome: dict = {}
        rss, cpu = peak_rss_mb(self.worker), process_seconds(self.worker)
        started = time.perf_counter()
        yield outcome
        wall_ms = (time.perf_counter() - started) * 1000
        cpu_after, rss_after = process_seconds(self.worker), peak_rss_mb(self.worker)
        steps.append(
            Step(
                name,
                outcome["status"],
                wall_ms,
                None if cpu is None or cpu_after is None else (cpu_after - cpu) * 1000,
                None if rss is None or rss_after is None else rss_after - rss,
            )
        )

    def request(self, method: str, path: str, **kwargs) -> str:
        response = self.api.session.request(method, self.api.url(path), timeout=120, **kwargs)
        text = response.text if response.status_code >= 400 else ""
        return f"{response.status_code} {text[:26]}".strip()

    def feed(self, name: str, text: str) -> list[Step]:
        steps: list[Step] = []
        path = f"/{len(self.feeds.texts)}.ics"
        self.feeds.texts[path] = text
        body = {"name": name, "type": "ical", "ical_url_primary": self.feeds.url(path)}
        with self.measured("create", steps) as outcome:
            outcome["status"] = self.request("POST", "schedules/", json=body)
        if not outcome["status"].startswith("201"):
            # Refused: a schedule made with a good copy, then the feed turns hostile.
            self.feeds.texts[path] = GOOD
            self.api.post("schedules/", body)
            self.feeds.texts[path] = text
        schedule = self.schedule_id(name)
        steps.append(self.refresh(schedule))
        today = date.today()
        window = {"start_date": str(today), "end_date": str(today + timedelta(days=WINDOW_DAYS))}
        with self.measured(f"final_shifts {WINDOW_DAYS} d", steps) as outcome:
            outcome["status"] = self.request(
                "GET", f"schedules/{schedule}/final_shifts/", params=window
            )
        return steps

    def schedule_id(self, name: str) -> str:
        found = self.api.get("schedules/", {"name": name}).json()["results"]
        return found[0]["id"]

    def refresh(self, schedule: str) -> Step:
        """One feed's refresh in a process of its own, as a Celery worker makes it."""
        code = REFRESH_CODE.replace("SCHEDULE", json.dumps(schedule))
        report = json.loads(self.server.manage("shell", "-c", code).strip().splitlines()[-1])
        return Step(
            "refresh",
            report["outcome"][:30],
            report["wall_ms"],
            report["cpu_ms"],
            report["rss_growth_mb"],
        )

    def values(self) -> list[tuple[str, list[Step]]]:
        """The out-of-range values of finding 5 and 10: refused when written or asked."""
        shift = {"type": "override", "start": "9999-12-31T23:00:00", "duration": 7200, "users": []}
        body = {"name": "values", "type": "calendar", "time_zone": "UTC"}
        schedule = self.api.post("schedules/", body)["id"]
        asked = {"start_date": "9999-12-25", "end_date": "9999-12-31"}
        classes = []
        requests: list[tuple[str, str, str, dict]] = [
            ("shift at 9999-12-31T23:00, 2 h", "POST", "on_call_shifts/", {"json": shift}),
            (
                "final_shifts in year 9999",
                "GET",
                f"schedules/{schedule}/final_shifts/",
                {"params": asked},
            ),
        ]
        for name, method, path, kwargs in requests:
            steps: list[Step] = []
            with self.measured(method, steps) as outcome:
                outcome["status"] = self.request(method, path, **kwargs)
            classes.append((name, steps))
        return classes


REFRESH_CODE = """
import json, resource, time
from django.utils import timezone
from schedules.calendars import cached_calendar_refresh
from schedules.models import CachedCalendar
cached = CachedCalendar.objects.get(schedule__public_id=SCHEDULE)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started, cpu = time.perf_counter(), time.process_time()
cached_calendar_refresh(cached, timezone.now())
wall, cpu = time.perf_counter() - started, time.process_time() - cpu
growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"outcome": cached.last_error or "stored", "wall_ms": wall * 1000,
                  "cpu_ms": cpu * 1000, "rss_growth_mb": growth / 1024}))
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: an SQLite file in a temporary directory")
    parser.add_argument("--only", help="run the classes whose name contains this text")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    print(f"machine speed {machine_speed_ms():.0f} ms, load average {load_average()}")
    feeds = FeedServer()
    with tempfile.TemporaryDirectory() as directory:
        database_url = args.database_url or f"sqlite:///{Path(directory) / 'hostile.sqlite3'}"
        server = Server(database_url, workers=1, env={"ICAL_ALLOWED_HOSTS": "127.0.0.1"})
        try:
            create_database(database_url)
            server.migrate()
            server.start()
            bench = Hostile(server, Api(server.base_url, server.bootstrap("hostile")), feeds)
            classes = [
                (name, bench.feed(name, make()))
                for name, make in FEEDS.items()
                if not args.only or args.only in name
            ]
            if not args.only or "9999" in args.only:
                classes += bench.values()
            passed = True
            for name, steps in classes:
                print(name)
                for step in steps:
                    print(step.line())
                    passed = passed and step.wall_ms < TARGET_MS
            print(f"every answer under {TARGET_MS} ms: {verdict(passed)}")
        finally:
            server.stop()
            drop_database(database_url)
            feeds.httpd.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
