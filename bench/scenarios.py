"""The benchmark's schedules, built through the public HTTP API only.

Every schedule is a calendar schedule with web overrides on
(docs/differences.md#overrides-through-the-api), so rotations and override shifts can be mixed in
`shifts`. Dates are relative to `base`, a Monday 00:00 UTC a few
weeks before today, so that "now" (current_oncall, on_call_now) falls inside every rotation.
"""

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import requests

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
HOUR = 3600
DAY = 24 * HOUR
WEEK = 7 * DAY
MINUTE = timedelta(minutes=1)
# Shift creation is independent work: a few threads keep both workers busy during setup.
SETUP_THREADS = 4


class Api:
    """A keep-alive session per thread, with the raw token upstream clients send."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url
        self.token = token
        self.local = threading.local()

    @property
    def session(self) -> requests.Session:
        session = getattr(self.local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["Authorization"] = self.token
            self.local.session = session
        return session

    def url(self, path: str) -> str:
        return f"{self.base_url}/api/v1/{path}"

    def post(self, path: str, body: dict) -> dict:
        response = self.session.post(self.url(path), json=body, timeout=60)
        if response.status_code != 201:
            raise RuntimeError(f"POST {path} → {response.status_code}: {response.text[:500]}")
        return response.json()

    def put(self, path: str, body: dict) -> dict:
        response = self.session.put(self.url(path), json=body, timeout=60)
        if response.status_code != 200:
            raise RuntimeError(f"PUT {path} → {response.status_code}: {response.text[:500]}")
        return response.json()

    def patch(self, path: str, body: dict) -> dict:
        response = self.session.patch(self.url(path), json=body, timeout=60)
        if response.status_code != 200:
            raise RuntimeError(f"PATCH {path} → {response.status_code}: {response.text[:500]}")
        return response.json()

    def get(self, path: str, params: dict | None = None) -> requests.Response:
        response = self.session.get(self.url(path), params=params, timeout=120)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} → {response.status_code}: {response.text[:500]}")
        return response

    def parallel(self, make: Callable[[dict], str], bodies: Iterable[dict]) -> list[str]:
        with ThreadPoolExecutor(SETUP_THREADS) as pool:
            return list(pool.map(make, bodies))


class ShiftWrite:
    """PUTs one shift again and again, each time `MINUTE` later than the time before (its start
    and the start of its rotation): each write changes the final shifts of the schedules using
    it, and gives the shift content it never had."""

    def __init__(self, api: Api, shift_id: str, body: dict) -> None:
        self.api, self.shift_id, self.body = api, shift_id, body
        self.writes = 0

    def __call__(self) -> None:
        self.writes += 1
        moved = dict(self.body)
        for field in ("start", "rotation_start"):
            if field in moved:
                moved[field] = wall(datetime.fromisoformat(moved[field]) + MINUTE * self.writes)
        self.api.put(f"on_call_shifts/{self.shift_id}/", moved)


def wall(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%S")


def bench_base(now: datetime) -> datetime:
    """Monday 00:00 UTC four weeks before `now`'s week."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    return midnight - timedelta(days=midnight.weekday(), weeks=4)


def create_users(api: Api, prefix: str, count: int) -> list[str]:
    bodies = [
        {"username": f"{prefix}{i}", "email": f"{prefix}{i}@bench.test", "role": "editor"}
        for i in range(count)
    ]
    return api.parallel(lambda body: api.post("users/", body)["id"], bodies)


def rotation(
    *,
    name: str,
    start: datetime,
    duration: int,
    groups: list[list[str]],
    level: int = 0,
    frequency: str = "weekly",
    by_day: list[str] | None = None,
    time_zone: str = "UTC",
) -> dict:
    return {
        "name": name,
        "type": "rolling_users",
        "time_zone": time_zone,
        "level": level,
        "start": wall(start),
        "rotation_start": wall(start),
        "duration": duration,
        "frequency": frequency,
        "interval": 1,
        "week_start": "MO",
        "by_day": by_day,
        "rolling_users": groups,
        "start_rotation_from_user_index": 0,
    }


def override(*, name: str, start: datetime, duration: int, users: list[str], tz: str) -> dict:
    return {
        "name": name,
        "type": "override",
        "time_zone": tz,
        "start": wall(start),
        "duration": duration,
        "users": users,
    }


def create_schedule(api: Api, name: str, shift_bodies: list[dict], time_zone: str) -> str:
    return schedule_of_shifts(api, name, create_shifts(api, shift_bodies), time_zone)


def create_shifts(api: Api, shift_bodies: list[dict]) -> list[str]:
    """The ids of the shifts made of `shift_bodies`, in their order."""
    return api.parallel(lambda body: api.post("on_call_shifts/", body)["id"], shift_bodies)


def schedule_of_shifts(api: Api, name: str, shift_ids: list[str], time_zone: str) -> str:
    body = {
        "name": name,
        "type": "calendar",
        "time_zone": time_zone,
        "enable_web_overrides": True,
        "shifts": shift_ids,
    }
    return api.post("schedules/", body)["id"]


def spread_overrides(
    *,
    prefix: str,
    base: datetime,
    count: int,
    users: list[str],
    tz: str,
    hours: tuple[int, int] = (2, 26),
    days: int = 364,
) -> list[dict]:
    """`count` overrides spread over `days`, of varying start hours, lengths and users."""
    shortest, longest = hours
    step = timedelta(days=days) / count
    return [
        override(
            name=f"{prefix} override {i}",
            start=base + step * i + timedelta(hours=8 + (i * 5) % 12),
            duration=(shortest + (i * 7) % (longest - shortest)) * HOUR,
            users=[users[i % len(users)]],
            tz=tz,
        )
        for i in range(count)
    ]


# (a) calendar schedule, 5 weekly rotations + overrides, tuned to ≈ 1126 rows over 364 days.
FIVE_ROTATIONS_OVERRIDES = 36
FIVE_ROTATIONS_OVERRIDE_HOURS = (6, 42)


def five_rotations(users: list[str], base: datetime) -> list[dict]:
    """Different users, levels and hand-over days; wall-clock times in Europe/Berlin (DST)."""
    tz = "Europe/Berlin"
    u = users
    return [
        rotation(
            name="primary",
            start=base + timedelta(hours=9),
            duration=WEEK,
            groups=[[u[0]], [u[1]], [u[2]], [u[3]]],
            time_zone=tz,
        ),
        rotation(
            name="secondary",
            start=base + timedelta(days=3, hours=9),
            duration=WEEK,
            groups=[[u[4]], [u[5]], [u[6]]],
            time_zone=tz,
        ),
        rotation(
            name="business hours",
            start=base + timedelta(hours=9),
            duration=8 * HOUR,
            groups=[[u[7]], [u[8]]],
            level=1,
            by_day=DAYS[:5],
            time_zone=tz,
        ),
        rotation(
            name="weekend days",
            start=base + timedelta(days=5, hours=10),
            duration=10 * HOUR,
            groups=[[u[9]], [u[10]]],
            level=1,
            by_day=DAYS[5:],
            time_zone=tz,
        ),
        rotation(
            name="wednesday cover",
            start=base + timedelta(days=2, hours=9),
            duration=2 * HOUR,
            groups=[[u[11]], [u[0]]],
            level=2,
            time_zone=tz,
        ),
        *spread_overrides(
            prefix="five",
            base=base,
            count=FIVE_ROTATIONS_OVERRIDES,
            users=u,
            tz=tz,
            hours=FIVE_ROTATIONS_OVERRIDE_HOURS,
        ),
    ]


def hourly_rotation(users: list[str], base: datetime) -> list[dict]:
    """(b) one user per hour, three users: 24 rows a day."""
    return [
        rotation(
            name="hourly",
            start=base,
            duration=HOUR,
            groups=[[user] for user in users[:3]],
            frequency="hourly",
        )
    ]


def many_rotations(users: list[str], base: datetime, count: int) -> list[dict]:
    """`count` weekly rotations, 2 days a week each, 6 h, levels 0-2, staggered hand-overs."""
    n = len(users)
    return [
        rotation(
            name=f"rotation {i}",
            start=base + timedelta(days=i % 7, hours=(i * 7) % 24),
            duration=6 * HOUR,
            groups=[[users[(i * 3 + j) % n]] for j in range(3)],
            level=i % 3,
            by_day=sorted({DAYS[i % 7], DAYS[(i + 3) % 7]}, key=DAYS.index),
        )
        for i in range(count)
    ]


def list_schedule_shifts(users: list[str], base: datetime, index: int) -> list[dict]:
    """(d) one of the 50 listed schedules: 24/7 weekly rotation, business hours, one override."""
    n = len(users)
    return [
        rotation(
            name=f"list {index} primary",
            start=base + timedelta(days=index % 7, hours=9),
            duration=WEEK,
            groups=[[users[(index + j) % n]] for j in range(3)],
        ),
        rotation(
            name=f"list {index} business",
            start=base + timedelta(hours=9),
            duration=8 * HOUR,
            groups=[[users[(index + 3 + j) % n]] for j in range(2)],
            level=1,
            by_day=DAYS[:5],
        ),
        override(
            name=f"list {index} override",
            start=base + timedelta(weeks=4, days=index % 7, hours=index % 24),
            duration=12 * HOUR,
            users=[users[(index + 5) % n]],
            tz="UTC",
        ),
    ]
