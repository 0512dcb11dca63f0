"""Cached answers are never stale after a write (issue "Performance", point 3).

Each case warms the caches (`final_shifts`, `on_call_now`, `current_oncall`), writes through the
API, and checks that the next answers show the write.
"""

from collections.abc import Callable

import pytest
from freezegun import freeze_time

from tests.api.helpers import created as post

pytestmark = pytest.mark.django_db

NOW = "2030-01-07T10:00:00"
WINDOW = "start_date=2030-01-07&end_date=2030-01-08"
# Inside the block of time whose expansion WINDOW cached, and never asked for before a write.
NEW_WINDOW = "start_date=2030-01-07T02:00&end_date=2030-01-07T22:00"


def write(api_client, method: str, path: str, body: dict | None = None) -> None:
    response = getattr(api_client, method)(f"/api/v1/{path}", body, format="json")
    assert response.status_code in (200, 204), response.content


@pytest.fixture
def people(make_user) -> dict:
    return {name: make_user(name) for name in ("alice", "bob")}


def office_hours(api_client, user, start: str = "2030-01-07T09:00:00", **fields) -> dict:
    body = {
        "type": "recurrent_event",
        "frequency": "daily",
        "start": start,
        "duration": 8 * 3600,
        "users": [user.public_id],
        **fields,
    }
    return post(api_client, "on_call_shifts", body)


@pytest.fixture
def world(api_client, people) -> dict:
    """A calendar schedule with alice's office hours, a web schedule with bob's, and one
    extra free shift of bob."""
    alice_hours = office_hours(api_client, people["alice"])
    bob_hours = office_hours(api_client, people["bob"], source=0)
    return {
        "calendar": post(
            api_client,
            "schedules",
            {"name": "c", "type": "calendar", "time_zone": "UTC", "shifts": [alice_hours["id"]]},
        ),
        "web": post(
            api_client,
            "schedules",
            {"name": "w", "type": "web", "time_zone": "UTC", "shifts": [bob_hours["id"]]},
        ),
        "alice_hours": alice_hours,
        "bob_hours": bob_hours,
        **people,
    }


def final_rows(api_client, schedule: dict, window: str = WINDOW) -> list[tuple]:
    path = f"/api/v1/schedules/{schedule['id']}/final_shifts?{window}"
    rows = api_client.get(path).json()["results"]
    return [(r["user_username"], r["shift_start"], r["shift_end"]) for r in rows]


def answers(api_client, schedule: dict) -> dict:
    """Everything that may come from a cache, in one comparable value."""
    sid = schedule["id"]
    return {
        "rows": final_rows(api_client, schedule),
        "on_call_now": api_client.get(f"/api/v1/schedules/{sid}").json()["on_call_now"],
        "listed": {
            item["id"]: item["on_call_now"]
            for item in api_client.get("/api/v1/schedules/").json()["results"]
        }[sid],
        "current": [
            u["username"]
            for u in api_client.get(f"/api/v1/schedules/{sid}/current_oncall").json()["users"]
        ],
    }


def on_call(
    names: list[str], world: dict, start="2030-01-07T09:00:00Z", end="2030-01-07T17:00:00Z"
):
    ids = [world[name].public_id for name in names]
    return {
        "rows": [(name, start, end) for name in names],
        "on_call_now": ids,
        "listed": ids,
        "current": names,
    }


Write = Callable[[object, dict], None]


def shift_moved(api_client, world):
    write(
        api_client,
        "put",
        f"on_call_shifts/{world['alice_hours']['id']}",
        {"start": "2030-01-07T08:00:00"},
    )


def shift_users_changed(api_client, world):
    write(
        api_client,
        "patch",
        f"on_call_shifts/{world['alice_hours']['id']}",
        {"users": [world["bob"].public_id]},
    )


def shift_deleted(api_client, world):
    write(api_client, "delete", f"on_call_shifts/{world['alice_hours']['id']}")


def schedule_shifts_replaced(api_client, world):
    other = office_hours(api_client, world["bob"])
    write(api_client, "put", f"schedules/{world['calendar']['id']}", {"shifts": [other["id"]]})


def schedule_zone_changed(api_client, world):
    # Zone-less shifts of a calendar schedule are read in its zone.
    write(api_client, "put", f"schedules/{world['calendar']['id']}", {"time_zone": "Europe/Paris"})


def user_demoted(api_client, world):
    write(api_client, "patch", f"users/{world['alice'].public_id}", {"role": "viewer"})


def user_deleted(api_client, world):
    write(api_client, "delete", f"users/{world['alice'].public_id}")


def user_renamed(api_client, world):
    write(api_client, "patch", f"users/{world['alice'].public_id}", {"username": "alicia"})


def override_added(api_client, world):
    override = post(
        api_client,
        "on_call_shifts",
        {
            "type": "override",
            "start": "2030-01-07T09:00:00",
            "duration": 8 * 3600,
            "users": [world["bob"].public_id],
        },
    )
    write(
        api_client,
        "put",
        f"schedules/{world['calendar']['id']}",
        {"enable_web_overrides": True, "shifts": [world["alice_hours"]["id"], override["id"]]},
    )


def shift_taken_by_other_web_schedule(api_client, world):
    """The calendar's shift is left alone; the web schedule loses bob's shift to a new one."""
    post(
        api_client,
        "schedules",
        {"name": "w2", "type": "web", "time_zone": "UTC", "shifts": [world["bob_hours"]["id"]]},
    )


NOBODY = {"rows": [], "on_call_now": [], "listed": [], "current": []}


def alice_an_hour_earlier(world: dict) -> dict:
    return on_call(["alice"], world, start="2030-01-07T08:00:00Z", end="2030-01-07T16:00:00Z")


def case(schedule: str, change: Write, expected: Callable[[dict], dict]):
    return pytest.param(schedule, change, expected, id=change.__name__)


@pytest.mark.parametrize(
    ("schedule", "change", "expected"),
    [
        case("calendar", shift_moved, alice_an_hour_earlier),
        case("calendar", shift_users_changed, lambda world: on_call(["bob"], world)),
        case("calendar", shift_deleted, lambda world: NOBODY),
        case("calendar", schedule_shifts_replaced, lambda world: on_call(["bob"], world)),
        case("calendar", user_demoted, lambda world: NOBODY),
        case("calendar", user_deleted, lambda world: NOBODY),
        case("calendar", override_added, lambda world: on_call(["bob"], world)),
        case("web", shift_taken_by_other_web_schedule, lambda world: NOBODY),
    ],
)
def test_writes_invalidate_cached_answers(api_client, world, schedule, change, expected):
    with freeze_time(NOW):
        before = answers(api_client, world[schedule])
        assert before == answers(api_client, world[schedule])  # now served from the caches
        change(api_client, world)
        assert answers(api_client, world[schedule]) == expected(world)
        assert final_rows(api_client, world[schedule], NEW_WINDOW) == expected(world)["rows"]


def test_zone_change_moves_the_rows(api_client, world):
    with freeze_time(NOW):
        answers(api_client, world["calendar"])
        schedule_zone_changed(api_client, world)
        rows = answers(api_client, world["calendar"])["rows"]
        new_window_rows = final_rows(api_client, world["calendar"], NEW_WINDOW)
    assert rows == new_window_rows == [("alice", "2030-01-07T08:00:00Z", "2030-01-07T16:00:00Z")]


def test_rename_shows_in_final_shifts(api_client, world):
    with freeze_time(NOW):
        answers(api_client, world["calendar"])
        user_renamed(api_client, world)
        rows = answers(api_client, world["calendar"])["rows"]
        new_window_rows = final_rows(api_client, world["calendar"], NEW_WINDOW)
    assert rows == new_window_rows == [("alicia", "2030-01-07T09:00:00Z", "2030-01-07T17:00:00Z")]
