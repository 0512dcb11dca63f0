"""Upstream's swapped final schedules (UPSTREAM-CASES §8, SWP-01..08, and DER-06), replayed
through the HTTP API as the recorded scenarios are: a web schedule with U's daily rotation
12:00-15:00 (level 1), swaps made, taken and deleted through `/api/v1/shift_swaps/`, then
`final_shifts` and the iCal export, compared row by row, in order.

Users: U = alice, X = bob (who takes), U2 = carol. D0 = 2030-01-07 (a Monday), "now" is D0 10:00.
"""

from dataclasses import dataclass

import icalendar
import pytest
from freezegun import freeze_time

from tests.api.helpers import API
from tests.api.swap_helpers import SWAPS, daily_rotation, final_rows, swap_made, take, web_schedule
from users.models import Role

pytestmark = pytest.mark.django_db

NOW = "2030-01-07T10:00:00Z"
# Swaps of SWP-08 that are in the past now were made then.
A_WEEK_BEFORE = "2029-12-30T10:00:00Z"
D0, D1, D2, D3 = "2030-01-07", "2030-01-08", "2030-01-09", "2030-01-10"
DAY_ZERO, DAY_ONE = f"{D0}T00:00:00Z", f"{D1}T00:00:00Z"


@dataclass(frozen=True)
class SwapStep:
    start: str
    end: str
    by: str = "alice"
    taken_by: str | None = None
    deleted: bool = False
    made_at: str = NOW


@dataclass(frozen=True)
class Case:
    name: str
    swaps: list[SwapStep]
    expected: list[tuple[str, str, str]]
    window: tuple[str, str] = (D0, D2)
    group: tuple[str, ...] = ("alice",)
    rotation: tuple[str, int] = ("T12:00:00", 3)


def rows(*triples: tuple[str, str, str, str]) -> list[tuple[str, str, str]]:
    """(user, day, start hh:mm, end hh:mm) as final_shifts rows."""
    return [(user, f"{day}T{start}:00Z", f"{day}T{end}:00Z") for user, day, start, end in triples]


TODAY = ("alice", D0, "12:00", "15:00")
CASES = [
    Case(
        "SWP-01-split-start-open",
        [SwapStep(f"{D1}T13:00:00Z", f"{D1}T18:00:00Z")],
        rows(TODAY, ("alice", D1, "12:00", "13:00"), ("alice", D1, "13:00", "15:00")),
    ),
    Case(
        "SWP-01-split-start-taken",
        [SwapStep(f"{D1}T13:00:00Z", f"{D1}T18:00:00Z", taken_by="bob")],
        rows(TODAY, ("alice", D1, "12:00", "13:00"), ("bob", D1, "13:00", "15:00")),
    ),
    Case(
        "SWP-02-split-end-open",
        [SwapStep(f"{D1}T10:00:00Z", f"{D1}T13:00:00Z")],
        rows(TODAY, ("alice", D1, "12:00", "13:00"), ("alice", D1, "13:00", "15:00")),
    ),
    Case(
        "SWP-02-split-end-taken",
        [SwapStep(f"{D1}T10:00:00Z", f"{D1}T13:00:00Z", taken_by="bob")],
        rows(TODAY, ("bob", D1, "12:00", "13:00"), ("alice", D1, "13:00", "15:00")),
    ),
    Case(
        # final events at the instant tomorrow 16:10: final_shifts over a window of no length
        "SWP-03-instant-inside-the-swap",
        [SwapStep(f"{D1}T16:00:00Z", f"{D1}T18:00:00Z", taken_by="bob")],
        rows(("bob", D1, "16:10", "16:10")),
        window=(f"{D1}T16:10", f"{D1}T16:10"),
        rotation=("T10:00:00", 8),
    ),
    Case(
        "SWP-04-split-both-open",
        [SwapStep(f"{D1}T13:00:00Z", f"{D1}T14:00:00Z")],
        rows(
            TODAY,
            ("alice", D1, "12:00", "13:00"),
            ("alice", D1, "13:00", "14:00"),
            ("alice", D1, "14:00", "15:00"),
        ),
    ),
    Case(
        "SWP-04-split-both-taken",
        [SwapStep(f"{D1}T13:00:00Z", f"{D1}T14:00:00Z", taken_by="bob")],
        rows(
            TODAY,
            ("alice", D1, "12:00", "13:00"),
            ("bob", D1, "13:00", "14:00"),
            ("alice", D1, "14:00", "15:00"),
        ),
    ),
    Case(
        "SWP-06-whole-shift",
        [SwapStep(f"{D1}T15:00:00Z", f"{D3}T12:00:00Z", taken_by="bob")],
        rows(("alice", D1, "12:00", "15:00"), ("bob", D2, "12:00", "15:00")),
        window=(D1, D3),
    ),
    Case(
        "SWP-07-partial-replace-open",
        [SwapStep(f"{D1}T10:00:00Z", f"{D1}T13:00:00Z")],
        rows(
            TODAY,
            ("carol", D0, "12:00", "15:00"),
            ("alice", D1, "12:00", "13:00"),
            ("carol", D1, "12:00", "13:00"),
            ("alice", D1, "13:00", "15:00"),
            ("carol", D1, "13:00", "15:00"),
        ),
        group=("alice", "carol"),
    ),
    Case(
        "SWP-07-partial-replace-taken",
        [SwapStep(f"{D1}T10:00:00Z", f"{D1}T13:00:00Z", taken_by="bob")],
        rows(
            TODAY,
            ("carol", D0, "12:00", "15:00"),
            ("bob", D1, "12:00", "13:00"),
            ("carol", D1, "12:00", "13:00"),
            ("alice", D1, "13:00", "15:00"),
            ("carol", D1, "13:00", "15:00"),
        ),
        group=("alice", "carol"),
    ),
    Case(
        "SWP-08-no-changes",
        [
            # by someone not in the schedule; deleted; in the past; open and started (past due)
            SwapStep(DAY_ZERO, DAY_ONE, by="dave", taken_by="bob", made_at=A_WEEK_BEFORE),
            SwapStep(DAY_ZERO, DAY_ONE, taken_by="bob", deleted=True, made_at=A_WEEK_BEFORE),
            SwapStep("2029-12-31T00:00:00Z", "2030-01-01T00:00:00Z", made_at=A_WEEK_BEFORE),
            SwapStep(f"{D0}T09:00:00Z", f"{D1}T00:00:00Z", made_at=A_WEEK_BEFORE),
        ],
        rows(TODAY, ("alice", D1, "12:00", "15:00")),
    ),
    Case(
        "DER-06-an-open-swap-splits-rows",
        [SwapStep(f"{D1}T13:00:00Z", f"{D1}T14:00:00Z")],
        rows(
            ("alice", D1, "12:00", "13:00"),
            ("alice", D1, "13:00", "14:00"),
            ("alice", D1, "14:00", "15:00"),
        ),
        window=(D1, D2),
    ),
]


@pytest.fixture
def people(make_user) -> dict:
    return {name: make_user(name, Role.ADMIN) for name in ("alice", "bob", "carol", "dave")}


def replay(api_client, case: Case, people: dict) -> dict:
    """The schedule of the case, its swaps made (and taken, deleted) through the API."""
    start, hours = case.rotation
    group = [people[name] for name in case.group]
    schedule = web_schedule(api_client, [daily_rotation(api_client, group, f"{D0}{start}", hours)])
    for step in case.swaps:
        swap = swap_made(
            api_client, schedule, step.start, step.end, people[step.by], at=step.made_at
        )
        with freeze_time(step.made_at):
            if step.taken_by:
                assert take(api_client, swap["id"], people[step.taken_by]).status_code == 200
            if step.deleted:
                assert api_client.delete(f"{SWAPS}/{swap['id']}").status_code == 204
    return schedule


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_upstreams_swapped_final_schedules(api_client, people, case):
    schedule = replay(api_client, case, people)

    with freeze_time(NOW):
        assert final_rows(api_client, schedule["id"], *case.window) == case.expected


def exported(api_client, schedule: dict) -> list[tuple[str, str, str]]:
    response = api_client.post(f"{API}/schedules/{schedule['id']}/export_token/")
    token = response.json()["token"]
    calendar = api_client.get(f"{API}/schedules/{schedule['id']}/export/?token={token}")
    return [
        (str(event["summary"]), event["dtstart"].dt.isoformat(), event["dtend"].dt.isoformat())
        for event in icalendar.Calendar.from_ical(calendar.content).walk("VEVENT")
        if event["dtstart"].dt.date().isoformat() == D1
    ]


@pytest.mark.parametrize(
    ("taken_by", "expected"),
    [
        # SWP-04 and SWP-05: the export ignores untaken swaps, and shows taken ones
        (None, [("alice", "12:00", "15:00")]),
        (
            "bob",
            [("alice", "12:00", "13:00"), ("bob", "13:00", "14:00"), ("alice", "14:00", "15:00")],
        ),
    ],
)
def test_the_export_ignores_open_swaps(api_client, people, taken_by, expected):
    case = Case("export", [SwapStep(f"{D1}T13:00:00Z", f"{D1}T14:00:00Z", taken_by=taken_by)], [])
    schedule = replay(api_client, case, people)

    with freeze_time(NOW):
        assert exported(api_client, schedule) == [
            (user, f"{D1}T{start}:00+00:00", f"{D1}T{end}:00+00:00")
            for user, start, end in expected
        ]
