"""What a live server stores, read back through its API, and the checks made on it after a
load: every acknowledged write is there, and `final_shifts` agrees with the stored shifts."""

import re
from datetime import datetime, timedelta

from bench.mix import BAND, HOUR, Ledger, World
from bench.scenarios import Api


def listed(api: Api, resource: str) -> dict[str, dict]:
    """Every item of a list endpoint by id, all pages followed."""
    items: dict[str, dict] = {}
    page = 1
    while True:
        body = api.get(f"{resource}/", {"perpage": 100, "page": page}).json()
        items.update((item["id"], item) for item in body["results"])
        if body["next"] is None:
            return items
        page += 1


def stored_as_acknowledged(api: Api, ledger: Ledger) -> dict[str, list]:
    """The acknowledged writes the database does not show as acknowledged, by kind (each object
    has one writer, so its last acknowledged state must be its stored state)."""
    shifts, teams, schedules = (
        listed(api, resource) for resource in ("on_call_shifts", "teams", "schedules")
    )
    return {
        "shifts": [
            (shift_id, fields, shifts.get(shift_id))
            for shift_id, fields in ledger.shifts.items()
            if shift_id not in shifts or {name: shifts[shift_id][name] for name in fields} != fields
        ],
        "teams": [
            (team_id, name, teams.get(team_id))
            for team_id, name in ledger.teams.items()
            if team_id not in teams or teams[team_id]["name"] != name
        ],
        "schedules": [
            (schedule_id, fields, schedules.get(schedule_id))
            for schedule_id, fields in ledger.schedules.items()
            if schedule_id not in schedules
            or schedules[schedule_id]["name"] != fields["name"]
            or sorted(schedules[schedule_id]["shifts"]) != sorted(fields["shifts"])
        ],
    }


def utc_row(wall_start: str, user: str) -> tuple[str, str, str]:
    """The final_shifts row (start, user, end) of a one-hour single event at `wall_start` in a
    UTC schedule."""
    start = datetime.fromisoformat(wall_start)
    return (
        f"{start:%Y-%m-%dT%H:%M:%SZ}",
        user,
        f"{start + timedelta(seconds=HOUR):%Y-%m-%dT%H:%M:%SZ}",
    )


def final_shifts_disagreeing(api: Api, ledger: Ledger, world: World) -> list[tuple]:
    """Writers' schedules whose final_shifts over the writer's band of time are not exactly one
    row per stored shift (single events of one user, one hour, apart from each other)."""
    shifts = listed(api, "on_call_shifts")
    disagreeing = []
    for schedule_id in ledger.schedules:
        schedule = api.get(f"schedules/{schedule_id}/").json()
        writer = int(re.match(r"w(\d+) ", schedule["name"]).group(1))
        band_start = world.bands_start + writer * BAND
        wanted = sorted(
            utc_row(shifts[shift_id]["start"], user)
            for shift_id in schedule["shifts"]
            for user in shifts[shift_id]["users"]
        )
        window = {
            "start_date": f"{band_start:%Y-%m-%dT%H:%M}",
            "end_date": f"{band_start + BAND:%Y-%m-%dT%H:%M}",
        }
        rows = api.get(f"schedules/{schedule_id}/final_shifts/", window).json()["results"]
        answered = [(row["shift_start"], row["user_pk"], row["shift_end"]) for row in rows]
        if answered != wanted:
            disagreeing.append((schedule_id, wanted, answered))
    return disagreeing
