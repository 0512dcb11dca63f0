"""Cold-path timings of the pure engine (`schedule_timeline`), no Django, no HTTP.

Usage: cd /work/main && .venv/bin/python bench/engine.py [runs] [name-substring]

Prints, per scenario and window, the median and p95 in milliseconds over `runs` calls (default
30) and the number of final events. The schedules mirror `bench/scenarios.py` (the HTTP bench)
but are built as engine values directly.
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shifts.engine import (
    CalendarText,
    CalendarType,
    Frequency,
    ShiftSpec,
    ShiftType,
    UserDirectory,
    Window,
    on_call_window,
    schedule_timeline,
)

BASE = datetime(2025, 1, 6)  # a Monday; every rotation starts here (wall clock)
BASE_UTC = BASE.replace(tzinfo=UTC)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
USERS = tuple(f"user{i}" for i in range(12))
DIRECTORY = UserDirectory(by_username={user: user for user in USERS})
WINDOWS = (("week", 7), ("month", 30), ("year", 364))
# instants: early in the rotation, and far into it (what a long-running rotation costs)
INSTANTS = (("instant +4w", timedelta(weeks=4, hours=13)), ("instant +200d", timedelta(days=200)))


@dataclass(frozen=True)
class Schedule:
    name: str
    shifts: tuple[ShiftSpec, ...] = ()
    calendars: tuple[CalendarText, ...] = ()


def rotation(
    shift_id: str,
    *,
    start: datetime,
    duration: timedelta,
    groups: list[list[str]],
    frequency: Frequency = Frequency.WEEKLY,
    level: int = 0,
    by_day: tuple[str, ...] = (),
    time_zone: str = "UTC",
) -> ShiftSpec:
    return ShiftSpec(
        shift_id=shift_id,
        type=ShiftType.ROLLING_USERS,
        calendar_type=CalendarType.PRIMARY,
        time_zone=time_zone,
        start=start,
        duration=duration,
        level=level,
        rotation_start=start,
        frequency=frequency,
        interval=1,
        week_start="MO",
        by_day=by_day,
        rolling_users=tuple(tuple(group) for group in groups),
        start_rotation_from_user_index=0,
    )


def overrides(count: int, time_zone: str) -> list[ShiftSpec]:
    """`count` overrides spread over a year, of varying hours, lengths and users."""
    step = timedelta(days=364) / count
    return [
        ShiftSpec(
            shift_id=f"override{i}",
            type=ShiftType.OVERRIDE,
            calendar_type=CalendarType.OVERRIDES,
            time_zone=time_zone,
            start=BASE + step * i + timedelta(hours=8 + (i * 5) % 12),
            duration=timedelta(hours=2 + (i * 7) % 24),
            users=(USERS[i % len(USERS)],),
        )
        for i in range(count)
    ]


def hourly() -> Schedule:
    groups = [[user] for user in USERS[:3]]
    hour = timedelta(hours=1)
    shift = rotation("hourly", start=BASE, duration=hour, groups=groups, frequency=Frequency.HOURLY)
    return Schedule("hourly 3-user rotation", shifts=(shift,))


def daily() -> Schedule:
    groups = [[user] for user in USERS[:3]]
    day = timedelta(days=1)
    shift = rotation("daily", start=BASE, duration=day, groups=groups, frequency=Frequency.DAILY)
    return Schedule("daily rotation", shifts=(shift,))


def five_rotations() -> Schedule:
    """Five weekly rotations on three levels, Europe/Berlin wall clock (DST), 40 overrides."""
    tz, u, hours = "Europe/Berlin", USERS, lambda n: timedelta(hours=n)
    shifts = [
        rotation(
            "primary",
            time_zone=tz,
            start=BASE + hours(9),
            duration=timedelta(weeks=1),
            groups=[[u[0]], [u[1]], [u[2]], [u[3]]],
        ),
        rotation(
            "secondary",
            time_zone=tz,
            start=BASE + timedelta(days=3, hours=9),
            duration=timedelta(weeks=1),
            groups=[[u[4]], [u[5]], [u[6]]],
        ),
        rotation(
            "business hours",
            time_zone=tz,
            start=BASE + hours(9),
            duration=hours(8),
            groups=[[u[7]], [u[8]]],
            level=1,
            by_day=WEEKDAYS[:5],
        ),
        rotation(
            "weekend days",
            time_zone=tz,
            start=BASE + timedelta(days=5, hours=10),
            duration=hours(10),
            groups=[[u[9]], [u[10]]],
            level=1,
            by_day=WEEKDAYS[5:],
        ),
        rotation(
            "wednesday cover",
            time_zone=tz,
            start=BASE + timedelta(days=2, hours=12),
            duration=hours(2),
            groups=[[u[11]], [u[0]]],
            level=2,
        ),
    ]
    return Schedule("5 weekly rotations + 40 overrides", shifts=(*shifts, *overrides(40, tz)))


def ical() -> Schedule:
    """A weekly RRULE event plus 500 single events spread over the year."""
    stamp = "%Y%m%dT%H%M%SZ"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//bench//engine//EN",
        "BEGIN:VEVENT",
        "UID:weekly-rota@bench",
        f"DTSTART:{BASE.strftime(stamp)}",
        f"DTEND:{(BASE + timedelta(days=2)).strftime(stamp)}",
        "RRULE:FREQ=WEEKLY;BYDAY=MO,TH",
        f"SUMMARY:{USERS[0]}",
        "END:VEVENT",
    ]
    step = timedelta(days=364) / 500
    for i in range(500):
        start = BASE + step * i + timedelta(hours=(i * 5) % 24)
        lines += [
            "BEGIN:VEVENT",
            f"UID:single-{i}@bench",
            f"DTSTART:{start.strftime(stamp)}",
            f"DTEND:{(start + timedelta(hours=1 + i % 6)).strftime(stamp)}",
            f"SUMMARY:[L{i % 3}] {USERS[1 + i % 5]}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    text = "\r\n".join(lines) + "\r\n"
    return Schedule(
        "iCal weekly + 500 singles", calendars=(CalendarText(text, CalendarType.PRIMARY),)
    )


def timings(call: Callable[[], object], runs: int) -> tuple[float, float]:
    """(median, nearest-rank p95) in milliseconds, after one warm-up call."""
    call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    ordered = sorted(samples)
    return statistics.median(samples), ordered[max(0, math.ceil(0.95 * runs) - 1)]


def cases(schedule: Schedule) -> list[tuple[str, Window]]:
    windows = [
        (label, Window(BASE_UTC, BASE_UTC + timedelta(days=days))) for label, days in WINDOWS
    ]
    instants = [(label, on_call_window(BASE_UTC + offset)) for label, offset in INSTANTS]
    return windows + instants


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    pattern = sys.argv[2] if len(sys.argv) > 2 else ""
    print(f"{'scenario':<36} {'window':<14} {'events':>6} {'median ms':>10} {'p95 ms':>8}")
    for schedule in (hourly(), daily(), five_rotations(), ical()):
        if pattern not in schedule.name:
            continue
        for label, window in cases(schedule):
            call = partial(
                schedule_timeline,
                shifts=schedule.shifts,
                calendars=schedule.calendars,
                directory=DIRECTORY,
                window=window,
            )
            count = len(call())
            median, p95 = timings(call, runs)
            print(f"{schedule.name:<36} {label:<14} {count:>6} {median:>10.2f} {p95:>8.2f}")


if __name__ == "__main__":
    main()
