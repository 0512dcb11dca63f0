"""Benchmark of the schedules API (issue "Performance"): `.venv/bin/python bench/run.py`.

Creates a fresh PostgreSQL database, serves the project under gunicorn, builds the scenarios
through the public API, prints latency / throughput / memory against the targets and the growth
tables, then stops gunicorn and drops the database (also on Ctrl-C or an error).
"""

import argparse
import itertools
import os
import platform
import signal
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import dialect_reads
from measure import Budget, Latency, Probe, Throughput, latency, machine_speed_ms, throughput
from scenarios import (
    Api,
    ShiftWrite,
    bench_base,
    create_schedule,
    create_shifts,
    create_users,
    five_rotations,
    hourly_rotation,
    list_schedule_shifts,
    many_rotations,
    schedule_of_shifts,
    spread_overrides,
)
from server import Server, create_database, drop_database, peak_rss_mb

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/oncall_bench"
WINDOWS = [("1 week", 7), ("1 month", 30), ("3 months", 91), ("6 months", 182), ("1 year", 364)]
MAIN_WINDOWS = ("1 week", "1 month", "1 year")
ROTATION_COUNTS = [1, 5, 10, 20, 50]
ROTATION_GROWTH_DAYS = 91
LIST_SCHEDULES = 50
CONCURRENCY = 16
WARM_UP_SECONDS = 2.0
MODES = ("after write", "new window", "repeat")
SCENARIOS = {
    "a": "(a) 5 rotations + overrides",
    "b": "(b) hourly 3 users",
    "c": "(c) 20 rotations + overrides",
}

# Targets of the issue: median over HTTP, PostgreSQL, 2 cores.
TARGET_FIVE_YEAR_MS = 6
TARGET_HOURLY_YEAR_MS = 55
TARGET_LIST_MS = 60
TARGET_RPS = 1000
TARGET_RSS_MB = 150
# After a write to one of the schedule's shifts: 15 times upstream's medians, measured on this
# machine kind with a PUT to one shift before every request (issue "The first read after a
# write").
UPSTREAM_AFTER_SHIFT_WRITE_MS = {"a": 68, "b": 668}
TARGET_AFTER_SHIFT_WRITE_MS = {"a": 4.5, "b": 45}
# The shift of each schedule that is written: an override in the middle of (a)'s year (after
# the 5 rotations), (b)'s one rotation.
WRITTEN_SHIFT = {"a": 5 + 18, "b": 0}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="PostgreSQL database to create and drop (default: %(default)s)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default: 2)")
    parser.add_argument("--quick", action="store_true", help="short run (about a minute)")
    return parser.parse_args()


def say(text: str = "") -> None:
    print(text, flush=True)


class Bench:
    def __init__(self, server: Server, quick: bool, speed_ms: float) -> None:
        self.server = server
        self.speed_ms = speed_ms
        self.quick = quick
        self.budget = Budget(1, 5, 0.7) if quick else Budget(2, 30, 3.0)
        self.load_seconds = 3.0 if quick else 10.0
        self.base = bench_base(datetime.now(UTC))
        self.schedules: dict[str, str] = {}
        self.shift_writes: dict[str, ShiftWrite] = {}

    # -- setup -----------------------------------------------------------------------------

    def build(self) -> None:
        started = time.perf_counter()
        self.api = Api(self.server.base_url, self.server.bootstrap("bench"))
        self.list_api = Api(self.server.base_url, self.server.bootstrap("bench-list"))
        self.probe = Probe(self.server.base_url, self.api.token)
        self.list_probe = Probe(self.server.base_url, self.list_api.token)
        users = self.users = create_users(self.api, "u", 30)
        base = self.base
        for key, bodies, zone in (
            ("a", five_rotations(users, base), "Europe/Berlin"),
            ("b", hourly_rotation(users, base), "UTC"),
        ):
            shift_ids = create_shifts(self.api, bodies)
            self.schedules[key] = schedule_of_shifts(self.api, SCENARIOS[key], shift_ids, zone)
            written = WRITTEN_SHIFT[key]
            self.shift_writes[key] = ShiftWrite(self.api, shift_ids[written], bodies[written])
        twenty = many_rotations(users, base, 20)
        overrides = spread_overrides(prefix="twenty", base=base, count=40, users=users, tz="UTC")
        self.schedules["c"] = create_schedule(self.api, SCENARIOS["c"], twenty + overrides, "UTC")
        for count in ROTATION_COUNTS:
            self.schedules[f"r{count}"] = create_schedule(
                self.api, f"{count} rotations", many_rotations(users, base, count), "UTC"
            )
        list_users = self.list_users = create_users(self.list_api, "l", 10)
        for index in range(LIST_SCHEDULES):
            create_schedule(
                self.list_api,
                f"list {index}",
                list_schedule_shifts(list_users, base, index),
                "UTC",
            )
        self.dialect_schedules = dialect_reads.DialectSchedules.build(self.api, users, base)
        say(f"setup: scenarios built through the API in {time.perf_counter() - started:.1f} s")

    # -- measurements ----------------------------------------------------------------------
    #
    # final_shifts is measured three ways (MODES): "after write" follows an untimed rename of
    # the schedule, which bumps its version, so that everything is computed again (the schedule
    # read, expansion, resolution, JSON); "new window" moves the window by one hour per request
    # (a query never seen before: the resolution of its block of time is reused, the window's
    # rows and body are computed), as clients asking "from now" send them; "repeat" sends the
    # same request again (the cached body). The "now" answers are measured after an untimed
    # write to a user (which any answer showing users must see) and repeated.

    def window(self, days: int, hours: int = 0) -> dict:
        start = self.base + timedelta(hours=hours)
        return {
            "start_date": start.strftime("%Y-%m-%dT%H:%M"),
            "end_date": (start + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M"),
        }

    def final_shifts(self, key: str, days: int, mode: str) -> Latency:
        url = self.api.url(f"schedules/{self.schedules[key]}/final_shifts/")
        if mode == "new window":
            offsets = itertools.count(1)
            return latency(self.probe, url, self.budget, lambda: self.window(days, next(offsets)))
        if mode == "after write":
            renames = itertools.count(1)

            def rename_then_window() -> dict:
                self.api.patch(
                    f"schedules/{self.schedules[key]}/", {"name": f"{key} {next(renames)}"}
                )
                return self.window(days)

            return latency(self.probe, url, self.budget, rename_then_window)
        return latency(self.probe, url, self.budget, lambda: self.window(days))

    def after_shift_write(self, key: str, days: int) -> Latency:
        """final_shifts, each request after an untimed PUT to one of the schedule's shifts that
        changes its final shifts: the schedule's version moves on and the written shift has
        content it never had, so nothing kept of the schedule or of that shift can serve."""
        url = self.api.url(f"schedules/{self.schedules[key]}/final_shifts/")
        write = self.shift_writes[key]

        def write_then_window() -> dict:
            write()
            return self.window(days)

        return latency(self.probe, url, self.budget, write_then_window)

    def after_user_write(self, api: Api, user_id: str) -> Callable[[], None]:
        numbers = itertools.count(1)

        def write() -> None:
            api.patch(f"users/{user_id}/", {"phone_number": f"+1555{next(numbers):07d}"})

        return write

    def run(self) -> None:
        shifts = {
            key: {
                label: {mode: self.final_shifts(key, days, mode) for mode in MODES}
                for label, days in WINDOWS
                if key != "c" or label in MAIN_WINDOWS
            }
            for key in SCENARIOS
        }
        after_shift_write = {key: self.after_shift_write(key, 364) for key in self.shift_writes}
        rotations = {
            count: self.final_shifts(f"r{count}", ROTATION_GROWTH_DAYS, "after write")
            for count in ROTATION_COUNTS
        }
        list_url = self.list_api.url("schedules/")
        list_write = self.after_user_write(self.list_api, self.list_users[0])
        listed = (
            latency(self.list_probe, list_url, self.budget, list_write),
            latency(self.list_probe, list_url, self.budget),
        )
        current_url = self.api.url(f"schedules/{self.schedules['a']}/current_oncall/")
        current_write = self.after_user_write(self.api, self.users[0])
        current = (
            latency(self.probe, current_url, self.budget, current_write),
            latency(self.probe, current_url, self.budget),
        )
        plain_route = latency(self.probe, self.api.url("users/current/"), self.budget)
        dialects = dialect_reads.measure(
            self.api, self.probe, self.budget, self.dialect_schedules, current_write
        )
        refusal = dialect_reads.refusal_ms(self.api, 3 if self.quick else 9)
        # Untimed first: connections opened, every worker thread past its first requests.
        throughput(current_url, self.api.token, concurrency=CONCURRENCY, seconds=WARM_UP_SECONDS)
        load = throughput(
            current_url, self.api.token, concurrency=CONCURRENCY, seconds=self.load_seconds
        )
        rss = {pid: peak_rss_mb(pid) for pid in self.server.worker_pids()}

        say("\nlatency in ms, median / p95 (sequential requests on one keep-alive connection)")
        say(f"{'request':<52}{'rows':>6} | " + " | ".join(f"{mode:>15}" for mode in MODES))
        for key, name in SCENARIOS.items():
            for label in MAIN_WINDOWS:
                line(f"final_shifts {name}, {label}", shifts[key][label])
        line(
            f"GET /schedules/ ({LIST_SCHEDULES} schedules, on_call_now)",
            {"after write": listed[0], "repeat": listed[1]},
        )
        line("current_oncall on (a)", {"after write": current[0], "repeat": current[1]})
        line("GET /users/current/ (token, DRF, a user; no engine)", {"repeat": plain_route})
        say(
            f"\ncurrent_oncall throughput: {load.per_second:.0f} requests/s "
            f"({load.ok} ok, {load.errors} errors, {load.seconds:.1f} s after "
            f"{WARM_UP_SECONDS:.0f} s of warm-up, concurrency {load.concurrency}, "
            "keep-alive connections)"
        )
        say("peak RSS per worker (VmHWM): " + ", ".join(f"{mb:.0f} MB" for mb in rss.values()))
        print_targets(shifts, listed, load, rss)
        print_after_shift_write(after_shift_write, self.speed_ms)
        dialect_reads.report(dialects, refusal, say, line)
        for key in ("a", "b"):
            say(f"\ngrowth with the window: final_shifts {SCENARIOS[key]} (after write)")
            growth_table(
                "window", [(label, shifts[key][label]["after write"]) for label, _ in WINDOWS]
            )
        say(
            f"\ngrowth with rotations: final_shifts over {ROTATION_GROWTH_DAYS} days, "
            "no overrides (after write)"
        )
        growth_table("rotations", [(str(count), rotations[count]) for count in ROTATION_COUNTS])


def line(name: str, by_mode: dict[str, Latency]) -> None:
    rows = next(iter(by_mode.values())).count
    cells = [
        f"{by_mode[mode].median_ms:>7.1f} /{by_mode[mode].p95_ms:>6.1f}" if mode in by_mode else ""
        for mode in MODES
    ]
    say(f"{name:<52}{'' if rows is None else rows:>6} | " + " | ".join(f"{c:>15}" for c in cells))


def print_targets(shifts, listed, load: Throughput, rss) -> None:
    """final_shifts latency is judged on new windows (the resolution of the block of time reused,
    the window's rows and body computed); the list of schedules on its answers after a write.
    Every median is shown."""
    worst_rss = max((mb for mb in rss.values() if mb is not None), default=float("nan"))
    year_a, year_b = shifts["a"]["1 year"], shifts["b"]["1 year"]
    latencies = [
        (
            f"final_shifts (a) year, {year_a['repeat'].count} rows (upstream 60-90 ms)",
            year_a,
            "new window",
            TARGET_FIVE_YEAR_MS,
        ),
        (
            f"final_shifts (b) year, {year_b['repeat'].count} rows (upstream 730-850 ms)",
            year_b,
            "new window",
            TARGET_HOURLY_YEAR_MS,
        ),
        (
            f"GET /schedules/, {listed[0].count} schedules with on_call_now",
            {"after write": listed[0], "repeat": listed[1]},
            "after write",
            TARGET_LIST_MS,
        ),
    ]
    say("\ntargets (median over HTTP, PostgreSQL)")
    say(
        f"{'metric':<56}"
        + "".join(f"{mode:>13}" for mode in MODES)
        + f"{'target':>15}  verdict (judged on)"
    )
    for name, by_mode, judged_on, target in latencies:
        cells = "".join(
            f"{f'{by_mode[mode].median_ms:.1f} ms':>13}" if mode in by_mode else f"{'':>13}"
            for mode in MODES
        )
        verdict = verdict_text(by_mode[judged_on].median_ms <= target)
        say(f"{name:<56}{cells}{f'<= {target} ms':>15}  {verdict} ({judged_on})")
    rps_ok = load.per_second >= TARGET_RPS and load.errors == 0
    say(
        f"{f'current_oncall throughput ({load.errors} errors)':<56}"
        f"{f'{load.per_second:.0f} req/s':>39}{f'>= {TARGET_RPS} req/s':>15}  "
        f"{verdict_text(rps_ok)}"
    )
    say(
        f"{'peak RSS per worker (worst)':<56}{f'{worst_rss:.0f} MB':>39}"
        f"{f'<= {TARGET_RSS_MB} MB':>15}  {verdict_text(worst_rss <= TARGET_RSS_MB)}"
    )


def print_after_shift_write(results: dict[str, Latency], speed_ms: float) -> None:
    """The first read after a write that changes the schedule's final shifts, beside upstream's
    figure measured the same way on this machine kind, with the machine's speed and load."""
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    say(
        f"\nafter a write to one shift (an untimed PUT before each request), median / p95; "
        f"machine speed {speed_ms:.0f} ms, load average {load}"
    )
    say(f"{'metric':<40}{'median / p95':>17}{'upstream':>10}{'ratio':>8}{'target':>12}  verdict")
    for key, result in results.items():
        upstream, target = UPSTREAM_AFTER_SHIFT_WRITE_MS[key], TARGET_AFTER_SHIFT_WRITE_MS[key]
        say(
            f"{f'final_shifts ({key}) year, {result.count} rows':<40}"
            f"{f'{result.median_ms:.1f} / {result.p95_ms:.1f} ms':>17}{f'{upstream} ms':>10}"
            f"{f'{upstream / result.median_ms:.1f}x':>8}{f'<= {target} ms':>12}  "
            f"{verdict_text(result.median_ms <= target)}"
        )


def verdict_text(passed: bool) -> str:
    return "PASS" if passed else "MISS"


def growth_table(what: str, results: list[tuple[str, Latency]]) -> None:
    """Rows vs median time; the marginal cost per added row shows whether growth is linear."""
    say(f"{what:<10}{'rows':>7}{'median ms':>11}{'us/row':>9}{'marginal us/row':>17}")
    previous: Latency | None = None
    for label, result in results:
        per_row = result.median_ms * 1000 / result.count if result.count else float("nan")
        marginal = ""
        if previous is not None and result.count != previous.count:
            added_ms = result.median_ms - previous.median_ms
            marginal = f"{added_ms * 1000 / (result.count - previous.count):.1f}"
        say(f"{label:<10}{result.count:>7}{result.median_ms:>11.1f}{per_row:>9.1f}{marginal:>17}")
        previous = result


def stop_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    started = time.perf_counter()
    speed_ms = machine_speed_ms()
    say(
        f"bench: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{args.workers} gunicorn gthread workers (4 threads), "
        f"{'quick' if args.quick else 'full'} run; machine speed: {speed_ms:.0f} ms "
        "for a fixed pure-Python workload (best of 5, lower is faster); load average "
        + " ".join(f"{value:.2f}" for value in os.getloadavg())
    )
    server = Server(args.database_url, args.workers)
    try:
        create_database(args.database_url)
        server.migrate()
        server.start()
        bench = Bench(server, args.quick, speed_ms)
        bench.build()
        bench.run()
    except KeyboardInterrupt:
        say("\ninterrupted")
        return 130
    finally:
        server.stop()
        drop_database(args.database_url)
        say(f"\ngunicorn stopped, database dropped; total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
