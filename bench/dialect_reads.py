"""The Signal and Instatus reads beside upstream's `current_oncall` (docs/dialects.md).

Built through the public APIs: Instatus's schedule of 3 restricted layers (day shifts on weekdays
09:00-17:00, a weekly night rotation 17:00-09:00, 8-hour turns on weekends), a Signal custom
daily rotation, and a calendar schedule of 3 rotations to compare with. Each read is measured
after an untimed write to a user (which every answer naming users must see) and repeated; the
target is at most twice `current_oncall` on the calendar schedule. Bodies that are too large are
refused at once: a 10,000-member rotation is timed too.
"""

import time
from dataclasses import dataclass
from datetime import datetime

import requests
from measure import Budget, Latency, Probe, latency
from scenarios import Api, create_schedule, many_rotations

LAYER_USERS = 5
TARGET_RATIO = 2.0
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")


def instatus_layers(users: list[str], base: datetime) -> list[dict]:
    start = f"{base:%Y-%m-%dT%H:%M:%S}Z"

    def layer(name: str, offset: int, **fields) -> dict:
        members = [{"workspaceMemberId": users[(offset + i) % len(users)]} for i in range(5)]
        return {"name": name, "members": members, "startDate": start, **fields}

    weekdays = [
        {"startDay": day, "startDayTime": "09:00", "endDay": day, "endDayTime": "17:00"}
        for day in WEEKDAYS
    ]
    weekend = {
        "startDay": "SATURDAY",
        "startDayTime": "00:00",
        "endDay": "MONDAY",
        "endDayTime": "00:00",
    }
    return [
        layer(
            "days", 0, rotationType="DAILY", restrictionType="TIMEINTERVALS", timeIntervals=weekdays
        ),
        layer(
            "nights",
            5,
            rotationType="WEEKLY",
            restrictionType="TIMEOFDAY",
            timeOfDayRestrictionStartTime="17:00",
            timeOfDayRestrictionEndTime="09:00",
        ),
        layer(
            "weekends",
            10,
            rotationType="CUSTOM",
            customRotationTypeValue=8,
            customRotationTypeUnit="HOURS",
            restrictionType="TIMEINTERVALS",
            timeIntervals=[weekend],
        ),
    ]


@dataclass(frozen=True)
class DialectSchedules:
    instatus: str
    signal: str
    calendar: str

    @classmethod
    def build(cls, api: Api, users: list[str], base: datetime) -> "DialectSchedules":
        response = api.session.post(
            f"{api.base_url}/on-call-schedules",
            json={"name": "3 restricted layers", "onCallShifts": instatus_layers(users, base)},
            timeout=60,
        )
        if response.status_code != 201:
            raise RuntimeError(f"Instatus create → {response.status_code}: {response.text[:300]}")
        emails = [api.get(f"users/{user}/").json()["email"] for user in users[:LAYER_USERS]]
        signal = api.post(
            "on_call_schedules",
            {
                "name": "daily rotation",
                "schedule_type": "custom",
                "members": emails,
                "rotation_type": "daily",
                "rotation_start": f"{base:%Y-%m-%dT%H:%M:%S}Z",
            },
        )["data"]["id"]
        calendar = create_schedule(api, "3 rotations", many_rotations(users, base, 3), "UTC")
        return cls(response.json()["id"], signal, calendar)


def after_write_and_repeat(
    probe: Probe, url: str, budget: Budget, write
) -> tuple[Latency, Latency]:
    return latency(probe, url, budget, write), latency(probe, url, budget)


def refusal_ms(api: Api, samples: int) -> float:
    """Median time of a POST whose rotation has 10,000 members (a 400)."""
    body = {
        "name": "too many",
        "onCallShifts": [
            {
                "members": [{"workspaceMemberId": f"U{i:012d}"} for i in range(10_000)],
                "rotationType": "DAILY",
                "startDate": "2026-01-01T00:00:00Z",
            }
        ],
    }
    timings = []
    for _ in range(samples):
        started = time.perf_counter()
        response = requests.post(
            f"{api.base_url}/on-call-schedules",
            json=body,
            headers={"Authorization": f"Bearer {api.token}"},
            timeout=60,
        )
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 400:
            raise RuntimeError(f"10,000 members → {response.status_code}: {response.text[:300]}")
    return sorted(timings)[len(timings) // 2]


def measure(api: Api, probe: Probe, budget: Budget, schedules: DialectSchedules, write) -> dict:
    urls = {
        "current_oncall, calendar of 3 rotations": api.url(
            f"schedules/{schedules.calendar}/current_oncall/"
        ),
        "Signal current, daily rotation": api.url(f"on_call_schedules/{schedules.signal}/current"),
        "Instatus /members, 3 restricted layers": (
            f"{api.base_url}/on-call-schedules/{schedules.instatus}/members"
        ),
        "current_oncall, the 3 restricted layers": api.url(
            f"schedules/{schedules.instatus}/current_oncall/"
        ),
    }
    return {name: after_write_and_repeat(probe, url, budget, write) for name, url in urls.items()}


def report(results: dict, refusal: float, say, line) -> None:
    say("\nthe Signal and Instatus reads, ms median / p95 (after a user write / repeated)")
    for name, (after_write, repeat) in results.items():
        line(name, {"after write": after_write, "repeat": repeat})
    baseline = next(iter(results.values()))
    for name, (after_write, repeat) in list(results.items())[1:3]:
        ratios = (
            after_write.median_ms / baseline[0].median_ms,
            repeat.median_ms / baseline[1].median_ms,
        )
        verdict = "OK" if max(ratios) <= TARGET_RATIO else "MISS"
        say(
            f"  {name}: {ratios[0]:.2f}x / {ratios[1]:.2f}x current_oncall "
            f"(target ≤ {TARGET_RATIO:.0f}x) {verdict}"
        )
    say(f"a 10,000-member rotation refused (400) in {refusal:.1f} ms (median; target < 2000 ms)")
