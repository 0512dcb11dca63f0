"""Replays the scenarios recorded from the upstream engine through the HTTP API.

`cases.json` and `cases-2.json` are copies of the two recorded case files (same format, see
their README): create the users' shifts and the schedule through the API, serve iCal text from a
local HTTP server, query `final_shifts` and compare with the recorded rows (rows sharing a
`shift_start` in any order).

Every case must match exactly, except rows of a case tagged `dst` where our daylight saving rules
(docs/time-zones.md) answer differently from upstream. Each such row is listed in
`DST_DIFFERENCES` with upstream's row and ours, explained in docs/dst-differences.md and pinned
by a focused engine test (`tests/engine/test_rotation_dst.py`).
"""

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from users.models import Role

CASE_FILES = ("cases.json", "cases-2.json")
CASES = [
    case
    for case_file in CASE_FILES
    for case in json.loads((Path(__file__).parent / case_file).read_text())
]
USERNAMES = ("alice", "bob", "carol", "dave", "erin", "frank")
DST_DIFFERENCES_DOC = Path(__file__).parents[2] / "docs" / "dst-differences.md"


@dataclass(frozen=True)
class DstDifference:
    """Where a `dst` case's recorded row and ours part: upstream's row becomes ours."""

    case: str
    query: int  # index into the case's queries
    upstream: dict[str, str]
    ours: dict[str, str]


DST_DIFFERENCES = (
    DstDifference(
        "g12-045-web",
        0,
        {"user": "bob", "shift_start": "2025-11-01T22:00:00Z", "shift_end": "2025-11-04T00:00:00Z"},
        {"user": "bob", "shift_start": "2025-11-01T22:00:00Z", "shift_end": "2025-11-03T23:00:00Z"},
    ),
)


@pytest.fixture
def user_ids(make_user) -> dict[str, str]:
    return {name: make_user(name, Role.ADMIN).public_id for name in USERNAMES}


def with_user_ids(body: dict, user_ids: dict[str, str]) -> dict:
    """Usernames in `users`/`rolling_users` become ids; unknown names are sent as they are."""
    body = dict(body)
    if body.get("users") is not None:
        body["users"] = [user_ids.get(name, name) for name in body["users"]]
    if body.get("rolling_users") is not None:
        body["rolling_users"] = [
            [user_ids.get(name, name) for name in group] for group in body["rolling_users"]
        ]
    return body


def served_calendars(case: dict, httpserver) -> dict:
    urls = {}
    for key, field in (
        ("ical_primary", "ical_url_primary"),
        ("ical_overrides", "ical_url_overrides"),
    ):
        if case.get(key) is not None:
            path = f"/{case['name']}-{key}.ics"
            httpserver.expect_request(path).respond_with_data(
                case[key], content_type="text/calendar"
            )
            urls[field] = httpserver.url_for(path)
    return urls


def create_scenario(api_client, case: dict, user_ids: dict, httpserver):
    """The failed stage as (stage, status, body), or the created schedule id."""
    shift_ids = []
    for index, shift in enumerate(case["shifts"]):
        response = api_client.post(
            "/api/v1/on_call_shifts/", with_user_ids(shift, user_ids), format="json"
        )
        if response.status_code != 201:
            return (f"shift {index}", response.status_code, response.json())
        shift_ids.append(response.json()["id"])
    body = {**case["schedule"], **served_calendars(case, httpserver)}
    if case["schedule"].get("type") in ("calendar", "web"):
        body["shifts"] = shift_ids
    response = api_client.post("/api/v1/schedules/", body, format="json")
    if response.status_code != 201:
        return ("schedule", response.status_code, response.json())
    return response.json()["id"]


def comparable(rows: list[dict]) -> list[list[dict]]:
    """Rows grouped by shift_start (in order), each group sorted: ties may come in any order."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["shift_start"], []).append(row)
    return [sorted(group, key=json.dumps) for group in groups.values()]


def answer(api_client, schedule_id: str, query: dict, usernames: dict) -> dict:
    response = api_client.get(f"/api/v1/schedules/{schedule_id}/final_shifts", query)
    body = response.json()
    if response.status_code != 200:
        return {"status": response.status_code, "body": body}
    rows = [
        {
            "user": usernames[row["user_pk"]],
            "shift_start": row["shift_start"],
            "shift_end": row["shift_end"],
        }
        for row in body["results"]
    ]
    assert body["count"] == len(rows)
    return {"status": 200, "body": {"results": rows}}


def normalised(result: dict) -> dict:
    if result["status"] != 200:
        return result
    return {"status": 200, "rows": comparable(result["body"]["results"])}


def our_expected(case: dict) -> list[dict]:
    """The recorded answers, with each listed DST difference of the case replaced by ours."""
    expected = json.loads(json.dumps(case.get("expected_ours", case["expected"])))
    for difference in DST_DIFFERENCES:
        if difference.case == case["name"]:
            assert "dst" in case["tags"], "only DST rules may change upstream's rows"
            rows = expected[difference.query]["body"]["results"]
            rows[rows.index(difference.upstream)] = difference.ours
    return expected


def test_every_dst_difference_is_documented():
    doc = DST_DIFFERENCES_DOC.read_text()
    cases = {case["name"]: case for case in CASES}
    for difference in DST_DIFFERENCES:
        assert difference.case in cases and difference.case in doc
        for row in (difference.upstream, difference.ours):
            assert row["shift_start"] in doc and row["shift_end"] in doc, difference


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_conformance(case, api_client, user_ids, httpserver):
    outcome = create_scenario(api_client, case, user_ids, httpserver)
    created = case.get("create_expected") or {"stage": None, "status": 201, "body": None}
    if created["stage"] is not None:
        assert outcome == (created["stage"], created["status"], created["body"])
        return
    assert isinstance(outcome, str), outcome
    usernames = {user_id: name for name, user_id in user_ids.items()}
    expected = our_expected(case)
    results = [answer(api_client, outcome, query, usernames) for query in case["queries"]]
    assert [normalised(result) for result in results] == [normalised(exp) for exp in expected]
