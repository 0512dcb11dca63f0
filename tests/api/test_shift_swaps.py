"""`/api/v1/shift_swaps/` (UPSTREAM-BEHAVIOUR §a.5, UPSTREAM-CASES SWP-API-01/02, DECISIONS D10):
every route, filter and message. Roles, organization scoping and slashes are in the resource
tables of test_auth and test_routing."""

import hashlib

import pytest
from freezegun import freeze_time

from schedules.models import ShiftSwap
from tests.api.helpers import API, NOT_FOUND, PUBLIC_ID, create_schedule, page
from tests.api.swap_helpers import (
    SWAPS,
    daily_rotation,
    final_rows,
    request_swap,
    swap_made,
    take,
    web_schedule,
)
from users import services as user_services
from users.models import Role

pytestmark = pytest.mark.django_db

# Monday 10:00; "tomorrow" is Tuesday 2030-01-08.
NOW = "2030-01-07T10:00:00Z"
NOW_6 = "2030-01-07T10:00:00.000000Z"
FORMAT = (
    "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm:ssZ, "
    "YYYY-MM-DDThh:mm:ss.uuuuuuZ, YYYY-MM-DDThh:mm:ss[+HHMM|-HHMM], "
    "YYYY-MM-DDThh:mm:ss.uuuuuu[+HHMM|-HHMM]."
)
REQUIRED = ["This field is required."]
NOT_OPEN = {"detail": "The shift swap request is not in a state which allows it to be taken"}
IN_THE_PAST = {"non_field_errors": ["swap_start must be a datetime in the future"]}


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW) as frozen:
        yield frozen


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def bob(make_user):
    return make_user("bob")


@pytest.fixture
def schedule(api_client, alice) -> dict:
    """Alice on call 12:00-15:00 every day (UPSTREAM-CASES §8's setup)."""
    return web_schedule(api_client, [daily_rotation(api_client, [alice], "2030-01-06T12:00:00")])


@pytest.fixture
def shift_id(schedule) -> str:
    return schedule["shifts"][0]


def avatar(user) -> str:
    return f"https://www.gravatar.com/avatar/{hashlib.md5(user.email.encode()).hexdigest()}"


def event_user(user, swap: dict | None = None, stood_in_for=None) -> dict:
    entry = {
        "display_name": user.username,
        "email": user.email,
        "pk": user.public_id,
        "avatar_full": avatar(user),
    }
    if swap is not None:
        entry["swap_request"] = {"pk": swap["id"]}
        if stood_in_for is not None:
            entry["swap_request"]["user"] = event_user(stood_in_for)
    return entry


def swap_event(start: str, end: str, users: list[dict], shift: str) -> dict:
    return {
        "all_day": False,
        "start": start,
        "end": end,
        "users": users,
        "missing_users": [],
        "priority_level": 1,
        "source": "web",
        "calendar_type": 0,
        "is_empty": False,
        "is_gap": False,
        "is_override": False,
        "shift": {"pk": shift},
    }


def body(swap: dict, schedule, start, end, beneficiary, **fields) -> dict:
    """The representation of `swap` (its id), made at NOW unless told."""
    return {
        "id": swap["id"],
        "created_at": NOW_6,
        "updated_at": NOW_6,
        "status": "open",
        "schedule": schedule["id"],
        "swap_start": start,
        "swap_end": end,
        "description": None,
        "beneficiary": beneficiary.public_id,
        "benefactor": None,
        **fields,
    }


def taken_body(swap, schedule, shift_id, alice, bob, end: str, shift_end=None, **fields) -> dict:
    """Alice's swap from 13:00 tomorrow to `end`, taken by bob; its one swapped shift ends at
    `shift_end` (`end` unless told)."""
    return body(
        swap,
        schedule,
        "2030-01-08T13:00:00.000000Z",
        f"2030-01-08T{end}:00.000000Z",
        alice,
        status="taken",
        benefactor=bob.public_id,
        shifts=[
            swap_event(
                "2030-01-08T13:00:00Z",
                f"2030-01-08T{shift_end or end}:00Z",
                [event_user(bob, swap, stood_in_for=alice)],
                shift_id,
            )
        ],
        **fields,
    )


# --- create -----------------------------------------------------------------------------------


def test_create_answers_upstreams_body(api_client, schedule, shift_id, alice):
    response = request_swap(
        api_client,
        schedule,
        "2030-01-08T13:00:00Z",
        "2030-01-08T14:00:00Z",
        alice,
        description="Dentist",
    )

    assert response.status_code == 201
    created = response.json()
    assert PUBLIC_ID.match(created["id"][2:]) and created["id"].startswith("SSR")
    assert len(created["id"]) == 15
    assert created == body(
        created,
        schedule,
        "2030-01-08T13:00:00.000000Z",
        "2030-01-08T14:00:00.000000Z",
        alice,
        description="Dentist",
        shifts=[
            swap_event(
                "2030-01-08T13:00:00Z",
                "2030-01-08T14:00:00Z",
                [event_user(alice, created)],
                shift_id,
            )
        ],
    )


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        # test_create_swap_start_and_swap_end_must_include_time_zone, upstream's table
        ("2285-07-20T12:00:00Z", "2285-07-20T12:00:00.000000Z"),
        ("2285-07-20T12:00:00.245652Z", "2285-07-20T12:00:00.245652Z"),
        ("2285-07-20T12:00:00+07:00", "2285-07-20T05:00:00.000000Z"),
        ("2285-07-20T12:00:00.245652+07:00", "2285-07-20T05:00:00.245652Z"),
        ("2285-07-20T12:00:00+0700", "2285-07-20T05:00:00.000000Z"),
        ("2285-07-20T12:00:00.245652+0700", "2285-07-20T05:00:00.245652Z"),
    ],
)
def test_create_reads_times_with_their_zone(api_client, schedule, alice, given, stored):
    response = request_swap(api_client, schedule, given, given.replace("2285", "2286"), alice)

    assert response.status_code == 201, response.json()
    assert (response.json()["swap_start"], response.json()["swap_end"]) == (
        stored,
        stored.replace("2285", "2286"),
    )


START, END = "2030-01-08T13:00:00Z", "2030-01-08T14:00:00Z"
TOMORROW, DAY_AFTER = "2030-01-08T00:00:00Z", "2030-01-09T00:00:00Z"
CREATE_ERRORS = {
    "nothing": ({}, {"schedule": REQUIRED, "swap_start": REQUIRED, "swap_end": REQUIRED}),
    "no zone": (
        {"swap_start": "2030-01-08 13:00:00", "swap_end": "20300108T140000Z"},
        {"swap_start": [FORMAT], "swap_end": [FORMAT]},
    ),
    "not a string": ({"swap_start": 1893934800}, {"swap_start": [FORMAT]}),
    "out of range": (
        {"swap_end": "9999-12-31T23:59:59-23:59"},
        {"swap_end": ["Datetime value out of range."]},
    ),
    "unknown schedule": ({"schedule": "SAAAAAAAAAAAA"}, {"schedule": ["Object does not exist"]}),
    "schedule null": ({"schedule": None}, {"schedule": ["This field may not be null."]}),
    "schedule a list": ({"schedule": ["S"]}, {"schedule": ["Invalid values"]}),
    "start in the past": (
        {"swap_start": "2030-01-07T09:59:59Z"},
        {"non_field_errors": ["swap_start must be a datetime in the future"]},
    ),
    "end before start": (
        {"swap_end": "2030-01-08T12:59:59Z"},
        {"non_field_errors": ["swap_end must occur after swap_start"]},
    ),
    "longer than a year": (
        {"swap_end": "2031-01-08T13:00:00.000001Z"},
        {
            "non_field_errors": [
                "The difference between swap_start and swap_end must be less than one year "
                "(365 days)"
            ]
        },
    ),
    "blank description": ({"description": ""}, {"description": ["This field may not be blank."]}),
    "long description": (
        {"description": "x" * 3001},
        {"description": ["Ensure this field has no more than 3000 characters."]},
    ),
    "no beneficiary": ({"beneficiary": None}, {"detail": "beneficiary user ID is required"}),
    "empty beneficiary": ({"beneficiary": ""}, {"detail": "beneficiary user ID is required"}),
    "unknown beneficiary": (
        {"beneficiary": "UAAAAAAAAAAAA"},
        {"detail": "Invalid beneficiary user ID"},
    ),
    "beneficiary not a string": ({"beneficiary": 7}, {"detail": "Invalid beneficiary user ID"}),
}


@pytest.mark.parametrize(("change", "expected"), CREATE_ERRORS.values(), ids=CREATE_ERRORS.keys())
def test_create_errors(api_client, schedule, alice, change, expected):
    good = {
        "schedule": schedule["id"],
        "swap_start": START,
        "swap_end": END,
        "beneficiary": alice.public_id,
    }
    sent = {} if change == {} else {**good, **change}

    response = api_client.post(f"{SWAPS}/", sent, format="json")

    assert (response.status_code, response.json()) == (400, expected)
    assert not ShiftSwap.objects.exists()


def test_create_refuses_another_organizations_schedule_and_user(
    api_client, schedule, alice, other_organization, make_user
):
    stranger = make_user("stranger", org=other_organization)

    by_schedule = request_swap(
        api_client, {"id": create_schedule(other_organization)}, START, END, alice
    )
    by_user = request_swap(api_client, schedule, START, END, stranger)

    assert by_schedule.json() == {"schedule": ["Object does not exist"]}
    assert by_user.json() == {"detail": "Invalid beneficiary user ID"}


def test_a_deleted_user_cannot_ask(api_client, schedule, make_user):
    gone = make_user("gone")
    user_services.user_delete(user=gone)

    response = request_swap(api_client, schedule, START, END, gone)

    assert response.json() == {"detail": "Invalid beneficiary user ID"}


def test_create_ignores_what_is_read_only(api_client, schedule, alice, bob):
    created = swap_made(
        api_client, schedule, START, END, alice, benefactor=bob.public_id, status="taken"
    )

    assert (created["status"], created["benefactor"]) == ("open", None)


def test_a_swap_of_no_length_is_accepted(api_client, schedule, alice):
    created = swap_made(api_client, schedule, START, START, alice)

    assert created["swap_end"] == created["swap_start"] and created["shifts"] == []


# --- list -------------------------------------------------------------------------------------


@pytest.fixture
def four_swaps(api_client, alice, bob, schedule, frozen):
    """SWP-API-01: s1 open; s2 past due; s3 past due and under way; s4 taken by alice."""
    other = web_schedule(api_client, [], name="Other")
    made_earlier = "2030-01-05T10:00:00Z"
    swaps = {
        "s1": swap_made(
            api_client, schedule, "2030-01-08T00:00:00Z", "2030-01-09T00:00:00Z", alice
        ),
        "s2": swap_made(
            api_client,
            schedule,
            "2030-01-06T00:00:00Z",
            "2030-01-07T00:00:00Z",
            bob,
            at=made_earlier,
        ),
        "s3": swap_made(
            api_client, other, "2030-01-07T00:00:00Z", "2030-01-08T00:00:00Z", bob, at=made_earlier
        ),
        "s4": swap_made(api_client, other, TOMORROW, DAY_AFTER, bob),
    }
    assert take(api_client, swaps["s4"]["id"], alice).status_code == 200
    return {"other": other, **swaps}


def listed(api_client, query: str = "") -> list[str]:
    response = api_client.get(f"{SWAPS}/{query}")
    assert response.status_code == 200, response.json()
    return [swap["id"] for swap in response.json()["results"]]


LIST_FILTERS = {
    "default: starting from now": ("", ["s1", "s4"]),
    "schedule": ("?schedule_id={schedule}", ["s1"]),
    "open only": ("?open_only=true", ["s1"]),
    "open_only other than true": ("?open_only=1", ["s1", "s4"]),
    "beneficiary since yesterday": (
        "?beneficiary={bob}&starting_after=2030-01-06T00:00:00.000000Z",
        ["s2", "s3", "s4"],
    ),
    "benefactor": ("?benefactor={alice}", ["s4"]),
    "starting_after with an offset": (
        "?starting_after=2030-01-07T01:00:00%2B01:00",
        ["s3", "s1", "s4"],
    ),
    "empty starting_after is now": ("?starting_after=", ["s1", "s4"]),
    "unknown ids": ("?schedule_id=SAAAAAAAAAAAA", []),
}


@pytest.mark.parametrize(("query", "expected"), LIST_FILTERS.values(), ids=LIST_FILTERS.keys())
def test_list_filters(api_client, four_swaps, schedule, alice, bob, query, expected):
    query = query.format(schedule=schedule["id"], alice=alice.public_id, bob=bob.public_id)

    found = listed(api_client, query)

    assert sorted(found) == sorted(four_swaps[name]["id"] for name in expected)


def test_list_is_by_start_in_upstreams_page(api_client, four_swaps, schedule, alice, bob):
    query = "?starting_after=2030-01-01T00:00:00Z"
    response = api_client.get(f"{SWAPS}/{query}&perpage=3&page=2")

    assert response.json() == page(
        [
            body(
                four_swaps["s4"],
                four_swaps["other"],
                "2030-01-08T00:00:00.000000Z",
                "2030-01-09T00:00:00.000000Z",
                bob,
                status="taken",
                benefactor=alice.public_id,
            )
        ],
        count=4,
        previous=f"http://127.0.0.1:8000{SWAPS}/?perpage=3&starting_after=2030-01-01T00%3A00%3A00Z",
        current_page_number=2,
        page_size=3,
        total_pages=2,
    )
    ordered = listed(api_client, query)
    assert ordered[:2] == [four_swaps["s2"]["id"], four_swaps["s3"]["id"]]
    assert set(ordered[2:]) == {four_swaps["s1"]["id"], four_swaps["s4"]["id"]}


def test_list_statuses(api_client, four_swaps):
    response = api_client.get(f"{SWAPS}/?starting_after=2030-01-01T00:00:00Z")

    statuses = {swap["id"]: swap["status"] for swap in response.json()["results"]}
    assert statuses == {
        four_swaps["s1"]["id"]: "open",
        four_swaps["s2"]["id"]: "past_due",
        four_swaps["s3"]["id"]: "past_due",
        four_swaps["s4"]["id"]: "taken",
    }


def test_list_expands_users(api_client, four_swaps, alice, bob):
    response = api_client.get(f"{SWAPS}/?benefactor={alice.public_id}&expand_users=true")

    (item,) = response.json()["results"]
    assert (item["beneficiary"], item["benefactor"]) == (event_user(bob), event_user(alice))
    assert "shifts" not in item


@pytest.mark.parametrize(
    "value", ["yesterday", "2030-01-06", "2030-01-06T00:00:00", "2030-01-06 00:00:00Z"]
)
def test_a_bad_starting_after_is_a_bare_list(api_client, value):
    response = api_client.get(f"{SWAPS}/", {"starting_after": value})

    assert (response.status_code, response.json()) == (400, [FORMAT])


# --- retrieve ---------------------------------------------------------------------------------


@pytest.fixture
def taken_swap(api_client, schedule, alice, bob) -> dict:
    swap = swap_made(api_client, schedule, "2030-01-08T13:00:00Z", "2030-01-08T18:00:00Z", alice)
    assert take(api_client, swap["id"], bob).status_code == 200
    return swap


def test_retrieve(api_client, taken_swap, schedule, shift_id, alice, bob):
    response = api_client.get(f"{SWAPS}/{taken_swap['id']}")

    assert response.json() == taken_body(
        taken_swap, schedule, shift_id, alice, bob, "18:00", shift_end="15:00"
    )


def test_retrieve_expands_users(api_client, taken_swap, alice, bob):
    found = api_client.get(f"{SWAPS}/{taken_swap['id']}/?expand_users=true").json()

    assert (found["beneficiary"], found["benefactor"]) == (event_user(alice), event_user(bob))
    assert len(found["shifts"]) == 1


def test_detail_routes_ignore_the_list_filters(api_client, taken_swap):
    query = "?schedule_id=SAAAAAAAAAAAA&starting_after=bad&open_only=true"

    assert api_client.get(f"{SWAPS}/{taken_swap['id']}/{query}").status_code == 200


def test_a_started_swap_stays_readable_until_it_ends(api_client, taken_swap, frozen):
    """D10: upstream hides a swap once it starts; here it is there until it ends."""
    frozen.move_to("2030-01-08T17:59:59.999999Z")
    during = api_client.get(f"{SWAPS}/{taken_swap['id']}")
    frozen.move_to("2030-01-08T18:00:00Z")
    after = api_client.get(f"{SWAPS}/{taken_swap['id']}")

    assert (during.status_code, during.json()["status"], len(during.json()["shifts"])) == (
        200,
        "taken",
        1,
    )
    assert (after.status_code, after.json()) == (404, NOT_FOUND)


def test_a_past_due_swap_is_readable_and_changes_nothing(api_client, schedule, alice, frozen):
    swap = swap_made(api_client, schedule, "2030-01-07T13:00:00Z", "2030-01-07T14:00:00Z", alice)
    frozen.move_to("2030-01-07T13:00:01Z")

    found = api_client.get(f"{SWAPS}/{swap['id']}").json()

    assert (found["status"], found["shifts"]) == ("past_due", [])
    rows = final_rows(api_client, schedule["id"], "2030-01-07", "2030-01-08")
    assert rows == [("alice", "2030-01-07T12:00:00Z", "2030-01-07T15:00:00Z")]


# --- update -----------------------------------------------------------------------------------


@pytest.fixture
def open_swap(api_client, schedule, alice) -> dict:
    return swap_made(api_client, schedule, START, END, alice)


def test_put_replaces_and_needs_every_field(api_client, open_swap):
    response = api_client.put(f"{SWAPS}/{open_swap['id']}", {"description": "x"}, format="json")

    assert (response.status_code, response.json()) == (
        400,
        {"schedule": REQUIRED, "swap_start": REQUIRED, "swap_end": REQUIRED},
    )


def test_put_moves_a_swap_to_another_schedule(api_client, open_swap, schedule, alice, frozen):
    other = web_schedule(
        api_client, [daily_rotation(api_client, [alice], "2030-01-06T12:00:00")], name="Other"
    )
    frozen.tick(60)
    sent = {
        "schedule": other["id"],
        "swap_start": "2030-01-09T12:30:00+00:00",
        "swap_end": "2030-01-09T13:00:00+00:00",
        "beneficiary": "ignored",
        "benefactor": "ignored",
    }

    response = api_client.put(f"{SWAPS}/{open_swap['id']}/", sent, format="json")

    assert response.status_code == 200, response.json()
    assert {key: response.json()[key] for key in ("schedule", "updated_at", "description")} == {
        "schedule": other["id"],
        "updated_at": "2030-01-07T10:01:00.000000Z",
        "description": None,
    }
    assert final_rows(api_client, schedule["id"], "2030-01-08", "2030-01-09") == [
        ("alice", "2030-01-08T12:00:00Z", "2030-01-08T15:00:00Z")
    ]
    assert final_rows(api_client, other["id"], "2030-01-09", "2030-01-10") == [
        ("alice", "2030-01-09T12:00:00Z", "2030-01-09T12:30:00Z"),
        ("alice", "2030-01-09T12:30:00Z", "2030-01-09T13:00:00Z"),
        ("alice", "2030-01-09T13:00:00Z", "2030-01-09T15:00:00Z"),
    ]


def test_patch_changes_what_it_is_given(api_client, open_swap):
    response = api_client.patch(
        f"{SWAPS}/{open_swap['id']}", {"description": "Dentist"}, format="json"
    )

    assert response.status_code == 200
    assert {key: response.json()[key] for key in ("swap_start", "swap_end", "description")} == {
        "swap_start": "2030-01-08T13:00:00.000000Z",
        "swap_end": "2030-01-08T14:00:00.000000Z",
        "description": "Dentist",
    }


PATCH_ERRORS = {
    "one time": (
        {"swap_start": "2030-01-08T12:00:00Z"},
        {
            "non_field_errors": [
                "when doing a partial update on time related fields, both start and end "
                "times must be specified"
            ]
        },
    ),
    "start in the past": (
        {"swap_start": "2030-01-07T09:00:00Z", "swap_end": END},
        IN_THE_PAST,
    ),
    "end before start": (
        {"swap_start": END, "swap_end": START},
        {"non_field_errors": ["swap_end must occur after swap_start"]},
    ),
    "description null is fine, a bad time is not": (
        {"description": None, "swap_end": "later"},
        {"swap_end": [FORMAT]},
    ),
}


@pytest.mark.parametrize(("sent", "expected"), PATCH_ERRORS.values(), ids=PATCH_ERRORS.keys())
def test_patch_errors(api_client, open_swap, sent, expected):
    response = api_client.patch(f"{SWAPS}/{open_swap['id']}", sent, format="json")

    assert (response.status_code, response.json()) == (400, expected)
    assert ShiftSwap.objects.get().swap_start.isoformat() == "2030-01-08T13:00:00+00:00"


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_started_swap_cannot_be_changed(api_client, taken_swap, schedule, frozen, method):
    frozen.move_to("2030-01-08T13:00:00.000001Z")
    sent = {"schedule": schedule["id"], "swap_start": "2030-02-01T00:00:00Z"}
    sent["swap_end"] = "2030-02-02T00:00:00Z"

    response = getattr(api_client, method)(f"{SWAPS}/{taken_swap['id']}", sent, format="json")

    assert (response.status_code, response.json()) == (400, IN_THE_PAST)


# --- delete -----------------------------------------------------------------------------------


def test_delete_is_soft(api_client, open_swap, schedule):
    url = f"{SWAPS}/{open_swap['id']}"
    assert len(final_rows(api_client, schedule["id"], "2030-01-08", "2030-01-09")) == 3

    response = api_client.delete(url)

    assert response.status_code == 204
    assert ShiftSwap.objects.get().deleted_at.isoformat() == "2030-01-07T10:00:00+00:00"
    for answer in (
        api_client.get(url),
        api_client.delete(url),
        take(api_client, open_swap["id"], None),
    ):
        assert (answer.status_code, answer.json()) == (404, NOT_FOUND)
    assert listed(api_client) == []
    assert final_rows(api_client, schedule["id"], "2030-01-08", "2030-01-09") == [
        ("alice", "2030-01-08T12:00:00Z", "2030-01-08T15:00:00Z")
    ]


def test_a_started_swap_cannot_be_deleted(api_client, taken_swap, frozen):
    frozen.move_to("2030-01-08T14:00:00Z")

    response = api_client.delete(f"{SWAPS}/{taken_swap['id']}")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "A shift swap request that has started cannot be deleted"},
    )
    assert ShiftSwap.objects.get().deleted_at is None


# --- take -------------------------------------------------------------------------------------


def test_take(api_client, open_swap, schedule, shift_id, alice, bob, frozen):
    frozen.tick(1)

    response = api_client.post(
        f"{SWAPS}/{open_swap['id']}/take/?expand_users=true",
        {"benefactor": bob.public_id},
        format="json",
    )

    # Upstream answers a take with the plain body, whatever expand_users says.
    assert (response.status_code, response.json()) == (
        200,
        taken_body(
            open_swap,
            schedule,
            shift_id,
            alice,
            bob,
            "14:00",
            updated_at="2030-01-07T10:00:01.000000Z",
        ),
    )


@pytest.mark.parametrize(
    ("benefactor", "expected"),
    [
        (None, {"detail": "benefactor user ID is required"}),
        ("", {"detail": "benefactor user ID is required"}),
        ("UAAAAAAAAAAAA", {"detail": "Invalid benefactor user ID"}),
        (["U"], {"detail": "Invalid benefactor user ID"}),
        ("alice", {"detail": "A shift swap request cannot be created and taken by the same user"}),
    ],
)
def test_take_errors(api_client, open_swap, alice, benefactor, expected):
    sent = {"benefactor": alice.public_id if benefactor == "alice" else benefactor}

    response = api_client.post(f"{SWAPS}/{open_swap['id']}/take", sent, format="json")

    assert (response.status_code, response.json()) == (400, expected)
    assert ShiftSwap.objects.get().benefactor is None


def test_take_without_a_body(api_client, open_swap):
    response = api_client.post(f"{SWAPS}/{open_swap['id']}/take")

    assert response.json() == {"detail": "benefactor user ID is required"}


def test_a_taken_swap_cannot_be_taken_again(api_client, taken_swap, alice, make_user):
    carol = make_user("carol")

    again = take(api_client, taken_swap["id"], carol)
    by_beneficiary = take(api_client, taken_swap["id"], alice)

    assert (again.status_code, again.json()) == (400, NOT_OPEN)
    # upstream checks who takes before the state
    assert by_beneficiary.json() == {
        "detail": "A shift swap request cannot be created and taken by the same user"
    }


def test_a_past_due_swap_cannot_be_taken(api_client, open_swap, bob, frozen):
    frozen.move_to("2030-01-08T13:00:00.000001Z")

    response = take(api_client, open_swap["id"], bob)

    assert (response.status_code, response.json()) == (400, NOT_OPEN)


def test_take_needs_write_permission(api_client, open_swap, bob, make_user, make_client):
    for role in (Role.VIEWER, Role.NONE):
        client = make_client(make_user(f"caller{role}", role))
        response = take(client, open_swap["id"], bob)
        assert response.status_code == 403
    unknown = take(make_client(make_user("reader", Role.VIEWER)), "SSRAAAAAAAAAAAA", bob)
    assert unknown.status_code == 403


@pytest.mark.parametrize("slash", ["/", ""])
def test_take_with_and_without_slash(api_client, open_swap, bob, slash):
    response = api_client.post(
        f"{SWAPS}/{open_swap['id']}/take{slash}", {"benefactor": bob.public_id}, format="json"
    )

    assert response.status_code == 200


def test_take_is_a_post(api_client, open_swap):
    response = api_client.get(f"{SWAPS}/{open_swap['id']}/take")

    assert (response.status_code, response.json()) == (405, {"detail": 'Method "GET" not allowed.'})


def test_too_many_open_swaps_in_one_schedule(api_client, schedule, alice, monkeypatch):
    monkeypatch.setattr("schedules.versions.MAX_OPEN_SWAPS", 2)
    for _ in range(2):
        swap_made(api_client, schedule, START, END, alice)

    response = request_swap(api_client, schedule, START, END, alice)

    assert response.status_code == 400
    assert ShiftSwap.objects.count() == 2


# --- what swaps change ------------------------------------------------------------------------


def on_call_now(api_client, schedule_id: str) -> list[str]:
    return api_client.get(f"{API}/schedules/{schedule_id}").json()["on_call_now"]


def test_on_call_answers_show_the_benefactor_during_the_swap(
    api_client, taken_swap, schedule, alice, bob, frozen
):
    frozen.move_to("2030-01-08T14:00:00Z")
    current = api_client.get(f"{API}/schedules/{schedule['id']}/current_oncall").json()

    assert on_call_now(api_client, schedule["id"]) == [bob.public_id]
    assert [user["id"] for user in current["users"]] == [bob.public_id]
    assert [(s["shift_start"], s["shift_end"]) for s in current["shifts"]] == [
        ("2030-01-08T13:00:00+00:00", "2030-01-08T15:00:00+00:00")
    ]
    frozen.move_to("2030-01-08T12:30:00Z")
    upcoming = api_client.get(f"{API}/schedules/{schedule['id']}/next_oncall").json()
    assert [user["id"] for user in upcoming["users"]] == [bob.public_id]


def test_a_benefactor_who_may_not_be_on_call_leaves_nobody(
    api_client, taken_swap, schedule, bob, frozen
):
    user_services.user_update(user=bob, role=Role.VIEWER)
    frozen.move_to("2030-01-08T14:00:00Z")

    assert on_call_now(api_client, schedule["id"]) == []
    assert final_rows(api_client, schedule["id"], "2030-01-08", "2030-01-09") == [
        ("alice", "2030-01-08T12:00:00Z", "2030-01-08T13:00:00Z")
    ]
    assert api_client.get(f"{SWAPS}/{taken_swap['id']}").json()["shifts"] == []
