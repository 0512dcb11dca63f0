"""What a live server stores, read back through its API, and the checks made on it after a
load: every acknowledged write is there, and `final_shifts` agrees with the stored shifts."""

from datetime import datetime, timedelta

from bench.mix import BAND, HOUR, KINDS, Ledger, World
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
    differing = {}
    for kind in KINDS:
        stored = listed(api, kind.route)
        differing[kind.name] = [
            (object_id, fields, stored.get(object_id))
            for object_id, fields in ledger.of(kind).items()
            if object_id not in stored
            or as_written(stored[object_id], fields) != as_written(fields, fields)
        ]
    return differing


def as_written(item: dict, fields: dict) -> dict:
    """The fields of an item that a writer wrote (lists of ids in any order)."""
    return {name: sorted(item[name]) if name == "shifts" else item[name] for name in fields}


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
        # Named "w<writer> schedule <n>".
        writer = int(schedule["name"].split(" ", 1)[0].removeprefix("w"))
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
