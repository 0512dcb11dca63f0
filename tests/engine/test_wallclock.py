"""Wall-clock readings to UTC (docs/time-zones.md): gaps move forward, folds take fold 0."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shifts.engine import wallclock

CASES = [
    # zone, wall clock, UTC instant
    ("America/Chicago", "2024-03-10T01:59", "2024-03-10T07:59"),
    ("America/Chicago", "2024-03-10T02:00", "2024-03-10T08:00"),  # gap: 03:00 CDT
    ("America/Chicago", "2024-03-10T02:30", "2024-03-10T08:30"),  # gap: 03:30 CDT
    ("America/Chicago", "2024-03-10T03:00", "2024-03-10T08:00"),
    ("America/Chicago", "2024-11-03T01:30", "2024-11-03T06:30"),  # fold: first, CDT
    ("America/Chicago", "2024-11-03T02:00", "2024-11-03T08:00"),
    ("Europe/London", "2024-03-31T01:30", "2024-03-31T01:30"),  # gap: 02:30 BST
    ("Europe/London", "2024-10-27T01:30", "2024-10-27T00:30"),  # fold: first, BST
    ("Europe/London", "2024-07-01T12:00", "2024-07-01T11:00"),
    ("Australia/Sydney", "2024-10-06T02:30", "2024-10-05T16:30"),  # gap: 03:30 AEDT
    ("Australia/Sydney", "2024-04-07T02:30", "2024-04-06T15:30"),  # fold: first, AEDT
    ("Australia/Sydney", "2024-04-07T03:00", "2024-04-06T17:00"),
    ("UTC", "2024-03-10T02:30", "2024-03-10T02:30"),
]


@pytest.mark.parametrize(("zone", "wall", "instant"), CASES, ids=[f"{z} {w}" for z, w, _ in CASES])
def test_to_utc(zone: str, wall: str, instant: str) -> None:
    resolved = wallclock.to_utc(datetime.fromisoformat(wall), wallclock.zone(zone))
    assert resolved == datetime.fromisoformat(instant).replace(tzinfo=UTC)
    assert resolved.tzinfo is UTC


@pytest.mark.parametrize(
    ("zone", "instant", "wall"),
    [
        ("America/Chicago", "2024-11-03T06:30", "2024-11-03T01:30"),
        ("America/Chicago", "2024-11-03T07:30", "2024-11-03T01:30"),
        ("Australia/Sydney", "2024-10-05T16:30", "2024-10-06T03:30"),
    ],
)
def test_to_wall(zone: str, instant: str, wall: str) -> None:
    aware = datetime.fromisoformat(instant).replace(tzinfo=UTC)
    reading = wallclock.to_wall(aware, wallclock.zone(zone))
    assert (reading, reading.tzinfo, reading.fold) == (datetime.fromisoformat(wall), None, 0)


@pytest.mark.parametrize("name", ["UTC", "Etc/UTC", "etc/utc", "Etc/UCT", "Zulu"])
def test_every_spelling_of_utc_is_one_zone(name: str) -> None:
    assert wallclock.zone(name) is wallclock.zone("UTC")


def test_naive_as_utc() -> None:
    assert wallclock.naive_as_utc(datetime(2025, 1, 2, 3)) == datetime(2025, 1, 2, 3, tzinfo=UTC)


@pytest.mark.parametrize("fold", [0, 1])
def test_utc_spans_in_utc_are_those_of_any_zone_without_offsets(fold: int) -> None:
    # UTC takes a shorter way (no offsets looked up); a zone of offset 0 takes the general one.
    starts = [datetime(2024, 3, 31, hour, 30, fold=fold) for hour in range(4)]
    length = timedelta(minutes=90)

    spans = wallclock.utc_spans(starts, length, wallclock.zone("UTC"))

    assert spans == wallclock.utc_spans(starts, length, ZoneInfo("Etc/GMT"))
    assert [(start.tzinfo, end.tzinfo, start.fold) for start, end in spans] == [(UTC, UTC, 0)] * 4
