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


# --- swaps: writes, and the instant an open swap stops splitting rows ---------------------------


def swap_answers(api_client, schedule: dict) -> dict:
    """`answers`, with the bounds of the shifts current_oncall lists and a new window's rows."""
    sid = schedule["id"]
    current = api_client.get(f"/api/v1/schedules/{sid}/current_oncall").json()["shifts"]
    return {
        **answers(api_client, schedule),
        "current_shifts": [
            (shift["shift_start"][11:16], shift["shift_end"][11:16]) for shift in current
        ],
        "new_window_rows": final_rows(api_client, schedule, NEW_WINDOW),
    }


WHOLE_DAY = ["alice 09:00 17:00"]
SPLIT = ["alice 09:00 12:00", "alice 12:00 14:00", "alice 14:00 17:00"]


def alice_and(pieces: list[str], world: dict, current="09:00 17:00") -> dict:
    """The answers at 10:00 when the day's 09:00-17:00 comes in `pieces` ("user start end")."""
    rows = [
        (user, f"2030-01-07T{start}:00Z", f"2030-01-07T{end}:00Z")
        for user, start, end in map(str.split, pieces)
    ]
    alice = [world["alice"].public_id]
    return {
        "rows": rows,
        "on_call_now": alice,
        "listed": alice,
        "current": ["alice"],
        "current_shifts": [tuple(current.split())],
        "new_window_rows": rows,
    }


def swap_of_alice(api_client, world, start: str, end: str = "14:00:00") -> dict:
    body = {
        "schedule": world["calendar"]["id"],
        "swap_start": f"2030-01-07T{start}Z",
        "swap_end": f"2030-01-07T{end}Z",
        "beneficiary": world["alice"].public_id,
    }
    return post(api_client, "shift_swaps", body)


def taken_by_bob(api_client, world, swap: dict) -> None:
    benefactor = {"benefactor": world["bob"].public_id}
    write(api_client, "post", f"shift_swaps/{swap['id']}/take", benefactor)


def test_every_swap_write_is_seen_by_the_next_read(api_client, world):
    calendar = world["calendar"]
    with freeze_time(NOW) as frozen:
        assert swap_answers(api_client, calendar) == alice_and(WHOLE_DAY, world)
        swap = swap_of_alice(api_client, world, "12:00:00")
        assert swap_answers(api_client, calendar) == alice_and(SPLIT, world, "09:00 12:00")

        taken_by_bob(api_client, world, swap)
        taken = ["alice 09:00 12:00", "bob 12:00 14:00", "alice 14:00 17:00"]
        assert swap_answers(api_client, calendar) == alice_and(taken, world, "09:00 12:00")

        frozen.tick(60)
        later = {"swap_start": "2030-01-07T13:00:00Z", "swap_end": "2030-01-07T14:00:00Z"}
        write(api_client, "patch", f"shift_swaps/{swap['id']}", later)
        moved = ["alice 09:00 13:00", "bob 13:00 14:00", "alice 14:00 17:00"]
        assert swap_answers(api_client, calendar) == alice_and(moved, world, "09:00 13:00")

        write(api_client, "delete", f"shift_swaps/{swap['id']}")
        assert swap_answers(api_client, calendar) == alice_and(WHOLE_DAY, world)


def test_no_cached_answer_outlives_the_start_of_an_open_swap(api_client, world):
    """An open swap splits the rows while its start is ahead, and stops the instant it passes,
    with no write: answers kept before that instant must not be served after it."""
    calendar = world["calendar"]
    with freeze_time(NOW) as frozen:
        swap_of_alice(api_client, world, "12:00:00")
        assert swap_answers(api_client, calendar) == alice_and(SPLIT, world, "09:00 12:00")
        frozen.move_to("2030-01-07T12:00:00Z")
        # still open at its very start: alice's piece from 12:00 is the current one
        assert swap_answers(api_client, calendar) == alice_and(SPLIT, world, "12:00 14:00")
        frozen.move_to("2030-01-07T12:00:00.000001Z")
        assert swap_answers(api_client, calendar) == alice_and(WHOLE_DAY, world)


def test_a_swap_taken_at_its_start_changes_who_is_on_call_now(api_client, world):
    calendar = world["calendar"]
    with freeze_time(NOW):
        swap = swap_of_alice(api_client, world, "10:00:00")
        before = swap_answers(api_client, calendar)
        taken_by_bob(api_client, world, swap)
        after = swap_answers(api_client, calendar)
    bob = [world["bob"].public_id]
    assert (before["on_call_now"], before["current"]) == ([world["alice"].public_id], ["alice"])
    assert (after["on_call_now"], after["listed"], after["current"]) == (bob, bob, ["bob"])
    assert after["current_shifts"] == [("10:00", "14:00")]
