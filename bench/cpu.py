"""CPU time spent during a load run, read from /proc: the server's processes, the database's
server processes, the load generator, and the whole machine. A run's latency on a machine
other work keeps busy says little on its own; the server's CPU seconds per request do not depend
on how many other processes share the cores, and the machine's busy cores show how shared they
were."""

import os
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

from bench.server import Server, sqlite_path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_seconds(pid: int) -> float | None:
    """User and system CPU seconds of a process so far; None once it has exited."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # After the command name (in parentheses, which may hold spaces): field 3 (state) onward;
    # utime and stime are fields 14 and 15.
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent not idle since boot."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = values[:8]
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def database_pids(database_url: str) -> list[int]:
    """The server processes serving `database_url` (PostgreSQL's backends; none for SQLite,
    which runs inside the server's processes)."""
    if sqlite_path(database_url) is not None:
        return []
    with psycopg.connect(database_url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return [pid for (pid,) in rows]


@dataclass(frozen=True)
class Snapshot:
    at: float
    server: dict[int, float]
    database: dict[int, float]
    generator: float
    machine: float


def snapshot(server: Server, database_url: str) -> Snapshot:
    def seconds_of(pids: list[int]) -> dict[int, float]:
        found = {pid: process_seconds(pid) for pid in pids}
        return {pid: seconds for pid, seconds in found.items() if seconds is not None}

    return Snapshot(
        at=time.perf_counter(),
        server=seconds_of([*server.pids(), *server.worker_pids()]),
        database=seconds_of(database_pids(database_url)),
        generator=time.process_time(),
        machine=machine_busy_seconds(),
    )


@dataclass(frozen=True)
class CpuUse:
    """CPU seconds spent between two snapshots."""

    seconds: float
    server: float
    database: float
    generator: float
    machine: float

    @property
    def others(self) -> float:
        """What every other process of the machine spent meanwhile."""
        return max(0.0, self.machine - self.server - self.database - self.generator)


def spent(before: Snapshot, after: Snapshot) -> CpuUse:
    """Processes that started in between count from zero; those that ended are not seen."""

    def grown(start: dict[int, float], end: dict[int, float]) -> float:
        return sum(seconds - start.get(pid, 0.0) for pid, seconds in end.items())

    return CpuUse(
        seconds=after.at - before.at,
        server=grown(before.server, after.server),
        database=grown(before.database, after.database),
        generator=after.generator - before.generator,
        machine=after.machine - before.machine,
    )


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} {five:.1f} {fifteen:.1f}"
