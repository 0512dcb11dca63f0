"""Mixed read/write load on gunicorn (the Docker image's worker settings), on SQLite and on
PostgreSQL: `.venv/bin/python -m bench.load`.

50 concurrent clients, each sending one request after another on a kept connection: 90% reads
(current_oncall, final_shifts windows, lists) and 10% writes (creating and updating shifts,
teams and schedules), for 60 s after 5 s of untimed warm-up. Prints the throughput, p50/p99
latency overall, of reads and of writes, the count of answers that were not 2xx, the CPU the
server, the database and the load generator spent (and the machine's load, so that a run on a
busy machine can be judged), and whether every write the server acknowledged is stored. Each run
makes its own database (an SQLite file, a PostgreSQL database it creates and drops).
"""

import argparse
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench import cpu, mix
from bench.measure import machine_speed_ms
from bench.scenarios import Api
from bench.server import DOCKER_THREADS, DOCKER_WORKERS, Server, create_database, drop_database
from bench.stored import final_shifts_disagreeing, stored_as_acknowledged

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/oncall_load"
CLIENTS = 50
WRITE_SHARE = 0.1
SECONDS = 60.0
WARM_UP_SECONDS = 5.0
TARGET_P99_MS_POSTGRES = 250


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--engines",
        nargs="+",
        choices=["sqlite", "postgresql"],
        default=["sqlite", "postgresql"],
        help="databases to run on (default: both)",
    )
    parser.add_argument(
        "--postgres-url",
        default=DEFAULT_POSTGRES_URL,
        help="PostgreSQL database to create and drop (default: %(default)s)",
    )
    parser.add_argument("--quick", action="store_true", help="5 s per engine, 1 s warm-up")
    return parser.parse_args()


def say(text: str = "") -> None:
    print(text, flush=True)


@dataclass(frozen=True)
class Outcome:
    tally: mix.Tally
    cpu: cpu.CpuUse
    # Acknowledged writes (objects, as last acknowledged) and those not stored as acknowledged.
    acknowledged: int
    not_stored: int
    # Writers' schedules, and those whose final_shifts do not show exactly their stored shifts.
    schedules: int
    disagreeing: int


def load_on(database_url: str, seconds: float, warm_up: float) -> Outcome:
    server = Server(database_url)
    create_database(database_url)
    try:
        server.migrate()
        server.start()
        api = Api(server.base_url, server.bootstrap("load"))
        world = mix.build_world(api, datetime.now(UTC))
        load = mix.Load(mixed=CLIENTS, write_share=WRITE_SHARE)
        _, warm_up_ledger = mix.run(server.base_url, api.token, world, load, warm_up)
        before = cpu.snapshot(server, database_url)
        tally, ledger = mix.run(server.base_url, api.token, world, load, seconds)
        used = cpu.spent(before, cpu.snapshot(server, database_url))
        ledger = warm_up_ledger.merged(ledger)
        return Outcome(
            tally=tally,
            cpu=used,
            acknowledged=ledger.count,
            not_stored=sum(map(len, stored_as_acknowledged(api, ledger).values())),
            schedules=len(ledger.schedules),
            disagreeing=len(final_shifts_disagreeing(api, ledger, world)),
        )
    finally:
        server.stop()
        drop_database(database_url)


def report(engine: str, outcome: Outcome) -> None:
    """Prints the run's figures and whether they meet the targets."""
    tally = outcome.tally
    reads, writes = tally.of(mix.READ_KINDS), tally.of(mix.WRITE_KINDS)
    every = reads + writes
    not_2xx = tally.not_2xx()
    server_errors = sum(count for (_, status), count in not_2xx.items() if status >= 500)
    lost = sum(tally.lost.values())
    say(
        f"\n{engine}: {len(every) / tally.seconds:.0f} requests/s ({len(every)} answers in "
        f"{tally.seconds:.1f} s; {len(reads)} reads, {len(writes)} writes)"
    )
    say(
        f"  latency ms    all p50 {mix.percentile_ms(every, 0.5):.1f}  p99 "
        f"{mix.percentile_ms(every, 0.99):.1f}   reads p50 {mix.percentile_ms(reads, 0.5):.1f}"
        f"  p99 {mix.percentile_ms(reads, 0.99):.1f}   writes p50 "
        f"{mix.percentile_ms(writes, 0.5):.1f}  p99 {mix.percentile_ms(writes, 0.99):.1f}"
    )
    say(
        f"  non-2xx {sum(not_2xx.values())} (>= 500: {server_errors}), connections lost {lost}"
        + "".join(f"; {kind} {status}: {count}" for (kind, status), count in not_2xx.items())
    )
    say(f"  {'request':<22}{'count':>7}{'p50 ms':>9}{'p99 ms':>9}")
    for kind in [*mix.READ_KINDS, *mix.WRITE_KINDS]:
        samples = tally.latencies[kind]
        say(
            f"  {kind:<22}{len(samples):>7}{mix.percentile_ms(samples, 0.5):>9.1f}"
            f"{mix.percentile_ms(samples, 0.99):>9.1f}"
        )
    report_cpu(outcome.cpu, len(every))
    say(
        f"  acknowledged writes stored: {outcome.acknowledged - outcome.not_stored} of "
        f"{outcome.acknowledged}; final_shifts showing exactly the stored shifts: "
        f"{outcome.schedules - outcome.disagreeing} of {outcome.schedules} schedules"
    )
    p99 = mix.percentile_ms(every, 0.99)
    target = f"0 answers >= 500: {verdict(server_errors == 0 and lost == 0)}"
    target += f"; every write stored: {verdict(outcome.not_stored == outcome.disagreeing == 0)}"
    if engine == "postgresql":
        target += f"; p99 <= {TARGET_P99_MS_POSTGRES} ms: {verdict(p99 <= TARGET_P99_MS_POSTGRES)}"
    say(f"  target: {target}")


def report_cpu(used: cpu.CpuUse, answers: int) -> None:
    """CPU seconds of the measured run: per request for the server and the database, and how
    busy the machine's cores were, by this run and by everything else."""

    def per_request(seconds: float) -> str:
        return f"{1000 * seconds / max(answers, 1):.2f} ms/request"

    say(
        f"  cpu s         server {used.server:.1f} ({per_request(used.server)}), database "
        f"{used.database:.1f} ({per_request(used.database)}), load generator "
        f"{used.generator:.1f} ({per_request(used.generator)})"
    )
    cores = os.cpu_count() or 1
    say(
        f"  machine       {used.machine / used.seconds:.2f} of {cores} cores busy, "
        f"{used.others / used.seconds:.2f} by other processes; load average {cpu.load_average()}"
    )


def verdict(passed: bool) -> str:
    return "PASS" if passed else "MISS"


def main() -> int:
    args = parse_args()
    seconds, warm_up = (5.0, 1.0) if args.quick else (SECONDS, WARM_UP_SECONDS)
    say(
        f"load: {os.cpu_count()} cores, Python {platform.python_version()}, gunicorn "
        f"{DOCKER_WORKERS} gthread workers ({DOCKER_THREADS} threads), "
        f"{CLIENTS} clients, {WRITE_SHARE:.0%} writes, {seconds:.0f} s after {warm_up:.0f} s of "
        f"warm-up; machine speed: {machine_speed_ms():.0f} ms for a fixed pure-Python workload "
        "(best of 5, lower is faster); load average before the run "
        f"{cpu.load_average()} (1, 5, 15 min)"
    )
    with tempfile.TemporaryDirectory(prefix="oncall-load-") as directory:
        urls = {
            "sqlite": f"sqlite:///{Path(directory) / 'load.sqlite3'}",
            "postgresql": args.postgres_url,
        }
        for engine in args.engines:
            started = time.perf_counter()
            report(engine, load_on(urls[engine], seconds, warm_up))
            say(f"  (run and setup: {time.perf_counter() - started:.0f} s; database dropped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
