"""Concurrent writes on PostgreSQL: no 5xx, no lost update, a consistent final state.

Eight real threads, each with its own API client (and so its own database connection and
throttle bucket), hit the API at once. SQLite serializes writers, so these races only exist on
PostgreSQL: the module is skipped elsewhere.
"""

import random
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from schedules.models import Schedule, ShiftSwap
from shifts.models import OnCallShift
from users import services as user_services
from users.models import Role, User

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent transactions need PostgreSQL (set DATABASE_URL)",
    ),
]

API = "/api/v1"
THREADS = 8
# Generous: the machine is shared. Every worker makes all its steps, however slow the machine;
# this only bounds a wait that failed.
PATIENCE = 600
T0 = "2030-01-06T09:00:00"
FINAL_WINDOW = {"start_date": "2030-01-01", "end_date": "2030-01-15"}


# --- running workers --------------------------------------------------------------------------


def run_concurrently(workers: list[Callable[[], object]]) -> list[object]:
    """Start every worker at the same instant on its own thread; return their results in order.

    Each thread closes its database connections when it ends, so that the test database can be
    flushed (and dropped) afterwards.
    """
    barrier = threading.Barrier(len(workers))

    def run(worker):
        try:
            barrier.wait(timeout=PATIENCE)
            return worker()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(workers)) as pool:
        futures = [pool.submit(run, worker) for worker in workers]
        return [future.result(timeout=PATIENCE) for future in futures]


class Recorder:
    """One thread's client; remembers every status it got, and every 5xx body."""

    def __init__(self, client: APIClient):
        self.client = client
        self.statuses: Counter[int] = Counter()
        self.server_errors: list[tuple[str, str, int, bytes]] = []

    def call(self, method: str, path: str, body: dict | None = None):
        response = getattr(self.client, method)(f"{API}{path}", body, format="json")
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.server_errors.append((method, path, response.status_code, response.content))
        return response


def no_server_errors(recorders: list[Recorder]) -> Counter[int]:
    """Every answer was a success, a 400 or a 404; the statuses seen, counted."""
    errors = [error for recorder in recorders for error in recorder.server_errors]
    statuses = sum((recorder.statuses for recorder in recorders), Counter())
    assert errors == [], statuses
    assert not set(statuses) - {200, 201, 204, 400, 404}, statuses
    return statuses


# --- setup ------------------------------------------------------------------------------------


@pytest.fixture
def clients(organization, make_client) -> list[APIClient]:
    """One admin (so one throttle bucket) and one client per thread."""
    users = [
        user_services.user_create(
            organization=organization,
            username=f"worker{index}",
            email=f"worker{index}@example.com",
            role=Role.ADMIN,
        )
        for index in range(THREADS)
    ]
    return [make_client(user) for user in users]


@pytest.fixture
def main(clients) -> Recorder:
    """A client for setup and final checks, outside the threads."""
    return Recorder(clients[0])


def shift_body(user_ids: list[str], name: str = "shift", **fields) -> dict:
    return {
        "name": name,
        "type": "recurrent_event",
        "start": T0,
        "duration": 8 * 3600,
        "frequency": "daily",
        "users": user_ids,
        **fields,
    }


def create_shift(recorder: Recorder, user_ids: list[str], name: str = "shift") -> str:
    response = recorder.call("post", "/on_call_shifts/", shift_body(user_ids, name))
    assert response.status_code == 201, response.content
    return response.json()["id"]


def create_schedule(recorder: Recorder, schedule_type: str, name: str, shifts=()) -> str:
    body = {"name": name, "type": schedule_type, "time_zone": "UTC", "shifts": list(shifts)}
    response = recorder.call("post", "/schedules/", body)
    assert response.status_code == 201, response.content
    return response.json()["id"]


def listed(recorder: Recorder, resource: str) -> list[dict]:
    """Every item of a list endpoint, all pages followed."""
    items, page = [], 1
    while True:
        response = recorder.call("get", f"/{resource}/?perpage=100&page={page}")
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["results"]
        if body["next"] is None:
            return items
        page += 1


def user_ids(organization) -> list[str]:
    return list(User.objects.filter(organization=organization).values_list("public_id", flat=True))


# --- final state ------------------------------------------------------------------------------


def assert_consistent(recorder: Recorder) -> None:
    """What the API lists matches the rows, every reference points at a live row, and every
    schedule still renders."""
    shifts = {shift["id"]: shift for shift in listed(recorder, "on_call_shifts")}
    schedules = {schedule["id"]: schedule for schedule in listed(recorder, "schedules")}
    assert set(shifts) == set(OnCallShift.objects.values_list("public_id", flat=True))
    assert set(schedules) == set(Schedule.objects.values_list("public_id", flat=True))

    linking = {
        shift_id: {
            schedule["id"] for schedule in schedules.values() if shift_id in schedule["shifts"]
        }
        for shift_id in shifts
    }
    for schedule in schedules.values():
        assert set(schedule["shifts"]) <= set(shifts), schedule
        for shift_id in schedule["shifts"]:
            # A shift names a calendar schedule linking it, else the web schedule owning it.
            calendars = {
                other for other in linking[shift_id] if schedules[other]["type"] == "calendar"
            }
            assert shifts[shift_id]["schedule"] in (calendars or {schedule["id"]})
        response = recorder.client.get(
            f"{API}/schedules/{schedule['id']}/final_shifts/", FINAL_WINDOW
        )
        assert response.status_code == 200, response.content

    owned = Counter(
        shift_id
        for schedule in schedules.values()
        if schedule["type"] == "web"
        for shift_id in schedule["shifts"]
    )
    assert all(count == 1 for count in owned.values()), owned
    links = Schedule.linked_shifts.through.objects.values_list("schedule_id", "oncallshift_id")
    live_schedules = set(Schedule.objects.values_list("pk", flat=True))
    live_shifts = set(OnCallShift.objects.values_list("pk", flat=True))
    assert all(s in live_schedules and o in live_shifts for s, o in links)


# --- tests ------------------------------------------------------------------------------------


def test_churn_of_shifts_and_schedules_never_fails(organization, clients, main):
    """Creates, updates, links, ownership transfers and deletes, all at once."""
    people = user_ids(organization)
    shared_shifts = [create_shift(main, people[:2], f"shared {index}") for index in range(6)]
    web = [
        create_schedule(main, "web", f"web {index}", shared_shifts[index::2]) for index in (0, 1)
    ]
    calendars = [create_schedule(main, "calendar", f"cal {index}") for index in (0, 1)]

    def worker(index: int) -> Recorder:
        recorder = Recorder(clients[index])
        rng = random.Random(index)
        mine: list[str] = []
        my_schedules: list[str] = []
        for step in range(12):
            action = (index + step) % 6
            if action == 0:
                response = recorder.call(
                    "post", "/on_call_shifts/", shift_body(people[:3], f"t{index}s{step}")
                )
                if response.status_code == 201:
                    mine.append(response.json()["id"])
            elif action == 1:
                # Every calendar schedule links the same shifts (plus this thread's own).
                shifts = rng.sample(shared_shifts, 3) + mine[-1:]
                recorder.call("put", f"/schedules/{rng.choice(calendars)}/", {"shifts": shifts})
            elif action == 2:
                # Web schedules take shifts from each other.
                shifts = rng.sample(shared_shifts, 3)
                recorder.call("put", f"/schedules/{rng.choice(web)}/", {"shifts": shifts})
            elif action == 3:
                target = rng.choice(shared_shifts + mine)
                recorder.call("put", f"/on_call_shifts/{target}/", {"name": f"t{index}s{step}"})
                recorder.call("put", f"/on_call_shifts/{target}/", {"users": people[index:]})
            elif action == 4:
                schedule_type = rng.choice(["web", "calendar"])
                shifts = mine[-2:] + rng.sample(shared_shifts, 1)
                body = {"name": f"t{index}s{step}", "type": schedule_type, "time_zone": "UTC"}
                response = recorder.call("post", "/schedules/", {**body, "shifts": shifts})
                if response.status_code == 201:
                    my_schedules.append(response.json()["id"])
                recorder.call("get", f"/schedules/{rng.choice(web + calendars)}/")
            else:
                # Deletes race with the links and transfers above: shared shifts go too.
                if mine:
                    recorder.call("delete", f"/on_call_shifts/{mine.pop(0)}/")
                if my_schedules:
                    recorder.call("delete", f"/schedules/{my_schedules.pop(0)}/")
                if step >= 6:
                    recorder.call("delete", f"/on_call_shifts/{rng.choice(shared_shifts)}/")
                recorder.client.get(
                    f"{API}/schedules/{rng.choice(web + calendars)}/final_shifts/", FINAL_WINDOW
                )
        return recorder

    recorders = run_concurrently([lambda index=index: worker(index) for index in range(THREADS)])

    statuses = no_server_errors(recorders)
    # The races really happened: creates, updates and deletes all went through.
    assert {200, 201, 204} <= set(statuses), statuses
    assert_consistent(main)


def test_counts_add_up_after_concurrent_creates_and_deletes(clients, organization, main):
    """Each thread creates shifts and schedules and deletes every other one of its own."""
    people = user_ids(organization)
    per_thread = 6

    def worker(index: int) -> tuple[Recorder, set[str], set[str]]:
        recorder = Recorder(clients[index])
        kept_shifts, kept_schedules = set(), set()
        for step in range(per_thread):
            shift_id = create_shift(recorder, people[:2], f"t{index}s{step}")
            schedule_id = create_schedule(recorder, "web", f"t{index}s{step}", [shift_id])
            if step % 2:
                # Deleting a web schedule takes the shifts it owns with it.
                assert recorder.call("delete", f"/schedules/{schedule_id}/").status_code == 204
            else:
                kept_shifts.add(shift_id)
                kept_schedules.add(schedule_id)
        return recorder, kept_shifts, kept_schedules

    results = run_concurrently([lambda index=index: worker(index) for index in range(THREADS)])

    no_server_errors([recorder for recorder, _, _ in results])
    kept_shifts = set().union(*(shifts for _, shifts, _ in results))
    kept_schedules = set().union(*(schedules for _, _, schedules in results))
    assert len(kept_shifts) == len(kept_schedules) == THREADS * per_thread // 2
    assert {shift["id"] for shift in listed(main, "on_call_shifts")} == kept_shifts
    assert {schedule["id"] for schedule in listed(main, "schedules")} == kept_schedules
    assert_consistent(main)


def put_field_repeatedly(recorder: Recorder, path: str, body: dict) -> Recorder:
    for _ in range(5):
        response = recorder.call("put", path, body)
        assert response.status_code == 200, response.content
    return recorder


def test_partial_puts_of_one_shift_all_survive(organization, clients, main):
    """Eight PUTs, each of a different field of one shift: every one of them is kept."""
    people = user_ids(organization)
    team = main.call("post", "/teams/", {"name": "ops"}).json()["id"]
    shift_id = create_shift(main, people[:1])
    path = f"/on_call_shifts/{shift_id}/"
    changes = [
        {"name": "renamed"},
        {"team_id": team},
        {"time_zone": "Europe/Paris"},
        {"level": 3},
        {"duration": 3600},
        {"until": "2031-01-01T00:00:00"},
        {"users": people[2:5]},
        {"by_month": [1, 2]},
    ]
    assert len(changes) == THREADS

    recorders = run_concurrently(
        [
            partial(put_field_repeatedly, Recorder(client), path, body)
            for client, body in zip(clients, changes, strict=True)
        ]
    )

    no_server_errors(recorders)
    shift = main.call("get", path).json()
    for body in changes:
        for name, value in body.items():
            assert shift[name] == value, (name, shift)


def test_partial_puts_of_one_schedule_all_survive(clients, organization, main):
    """Eight PUTs, each of a different field of one calendar schedule: every one is kept."""
    people = user_ids(organization)
    team = main.call("post", "/teams/", {"name": "ops"}).json()["id"]
    shift_id = create_shift(main, people[:1])
    schedule_id = create_schedule(main, "calendar", "calendar")
    path = f"/schedules/{schedule_id}/"
    changes = [
        {"name": "renamed"},
        {"team_id": team},
        {"time_zone": "Europe/Paris"},
        {"slack": {"channel_id": "C1"}},
        {"slack": {"user_group_id": "G1"}},
        {"shifts": [shift_id]},
        {"enable_web_overrides": True},
        {"ical_url_overrides": "https://calendar.example.com/overrides.ics"},
    ]
    assert len(changes) == THREADS

    recorders = run_concurrently(
        [
            partial(put_field_repeatedly, Recorder(client), path, body)
            for client, body in zip(clients, changes, strict=True)
        ]
    )

    no_server_errors(recorders)
    schedule = main.call("get", path).json()
    assert schedule == {
        "id": schedule_id,
        "team_id": team,
        "name": "renamed",
        "type": "calendar",
        "time_zone": "Europe/Paris",
        "on_call_now": [],
        "shifts": [shift_id],
        "ical_url_overrides": "https://calendar.example.com/overrides.ics",
        "enable_web_overrides": True,
        "slack": {"channel_id": "C1", "user_group_id": "G1"},
    }


@pytest.mark.parametrize(
    ("resource", "body", "error"),
    [
        (
            "users",
            {"username": "twin", "email": "twin@example.com"},
            {"username": ["A user with this username already exists."]},
        ),
        ("teams", {"name": "twins"}, {"name": ["A team with this name already exists."]}),
    ],
    ids=["username", "team-name"],
)
def test_same_unique_name_created_at_once_gives_one_201_and_field_errors(
    clients, resource, body, error
):
    def worker(index: int):
        response = clients[index].post(f"{API}/{resource}/", body, format="json")
        return response.status_code, response.json()

    results = run_concurrently([lambda index=index: worker(index) for index in range(THREADS)])

    assert sorted(status for status, _ in results) == [201] + [400] * (THREADS - 1)
    assert [answer for status, answer in results if status == 400] == [error] * (THREADS - 1)


def test_users_and_teams_created_at_once_get_distinct_grafana_ids(clients):
    def worker(index: int) -> list[int]:
        client = clients[index]
        user = {"username": f"new{index}", "email": f"new{index}@example.com"}
        answers = [
            client.post(f"{API}/users/", user, format="json"),
            client.post(f"{API}/teams/", {"name": f"team{index}"}, format="json"),
        ]
        assert [answer.status_code for answer in answers] == [201, 201]
        return [answer.json()["grafana_id"] for answer in answers]

    results = run_concurrently([lambda index=index: worker(index) for index in range(THREADS)])

    user_ids_given = [user for user, _ in results]
    team_ids_given = [team for _, team in results]
    assert len(set(user_ids_given)) == THREADS
    assert len(set(team_ids_given)) == THREADS


@pytest.mark.parametrize("same_benefactor", [False, True], ids=["each-their-own", "one-benefactor"])
def test_one_open_swap_taken_at_once_is_taken_once(organization, clients, main, same_benefactor):
    """Every thread takes the same open swap at once: one 200, the others upstream's 400, and
    the swap (and its schedule's version) changed once."""
    users = list(User.objects.filter(organization=organization).order_by("id"))
    beneficiary, *takers = users
    schedule = create_schedule(
        main, "web", "swaps", [create_shift(main, [beneficiary.public_id], "rotation")]
    )
    swap = main.call(
        "post",
        "/shift_swaps/",
        {
            "schedule": schedule,
            "swap_start": "2099-01-01T00:00:00Z",
            "swap_end": "2099-01-02T00:00:00Z",
            "beneficiary": beneficiary.public_id,
        },
    ).json()["id"]
    version = Schedule.objects.get(public_id=schedule).version

    def worker(index: int):
        benefactor = takers[0] if same_benefactor else takers[index % len(takers)]
        response = clients[index].post(
            f"{API}/shift_swaps/{swap}/take", {"benefactor": benefactor.public_id}, format="json"
        )
        return response.status_code, response.json()

    results = run_concurrently([lambda index=index: worker(index) for index in range(1, THREADS)])

    assert sorted(status for status, _ in results) == [200] + [400] * (THREADS - 2)
    (winner,) = [answer for status, answer in results if status == 200]
    assert [answer for status, answer in results if status == 400] == [
        {"detail": "The shift swap request is not in a state which allows it to be taken"}
    ] * (THREADS - 2)
    stored = ShiftSwap.objects.get(public_id=swap)
    assert (winner["status"], winner["benefactor"]) == ("taken", stored.benefactor.public_id)
    assert Schedule.objects.get(public_id=schedule).version == version + 1


@pytest.mark.parametrize("how", ["demote", "delete"])
def test_admins_stepping_down_at_once_leave_one(organization, make_user, make_client, how):
    """Every admin demotes (or deletes) themself at once: the organization's lock lets them go
    one at a time, and the last one is refused."""
    admins = [make_user(f"admin{index}", Role.ADMIN) for index in range(THREADS)]
    clients = [make_client(user) for user in admins]

    def worker(index: int) -> int:
        url = f"{API}/users/{admins[index].public_id}/"
        if how == "demote":
            return clients[index].put(url, {"role": "editor"}, format="json").status_code
        return clients[index].delete(url).status_code

    statuses = run_concurrently([lambda index=index: worker(index) for index in range(THREADS)])

    success = 200 if how == "demote" else 204
    assert sorted(statuses) == [success] * (THREADS - 1) + [400]
    assert (
        User.objects.filter(organization=organization, role=Role.ADMIN, is_active=True).count() == 1
    )
