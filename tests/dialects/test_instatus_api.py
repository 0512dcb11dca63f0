"""Instatus's on-call schedules API (`/on-call-schedules`, docs/dialects.md#instatus): the seed's
requests replayed, ids kept across `PUT`, rotation lengths and restrictions as the final shifts
show them, `/members`, and bad input."""

import copy

import pytest

from schedules.models import Schedule
from shifts.models import RestrictionWindow, Rotation, RotationMember
from tests.dialects.seeds import (
    INSTATUS,
    INSTATUS_INTERVAL_KEYS,
    INSTATUS_MEMBER_KEYS,
    INSTATUS_PERSON_KEYS,
    INSTATUS_SCHEDULE_KEYS,
    INSTATUS_SHIFT_KEYS,
    instatus_create,
    instatus_shift,
)

pytestmark = pytest.mark.django_db

# A Saturday, 22:00 UTC: inside the seed's Saturday 21:00 to Sunday 03:00 interval.
NOW = "2023-08-12T22:00:00Z"


@pytest.fixture
def ann(make_user):
    return make_user("ann", phone_number="+15550001", hide_phone_number=True)


@pytest.fixture
def ben(make_user):
    return make_user("ben", phone_number="+15550002")


@pytest.fixture
def cat(make_user):
    return make_user("cat")


def create(client, body: dict) -> dict:
    response = client.post(INSTATUS, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def schedule_of(client, *shifts: dict, **fields) -> dict:
    return create(client, {"name": "Layers", "onCallShifts": list(shifts), **fields})


def final_rows(api_client, schedule_id: str, start: str, end: str) -> list[tuple[str, str, str]]:
    """The schedule's final shifts through upstream's API: (username, start, end)."""
    response = api_client.get(
        f"/api/v1/schedules/{schedule_id}/final_shifts",
        {"start_date": start, "end_date": end},
    )
    assert response.status_code == 200, response.json()
    return [
        (row["user_username"], row["shift_start"][5:16], row["shift_end"][5:16])
        for row in response.json()["results"]
    ]


def test_seed_create(client, ann, ben):
    data = create(client, instatus_create(ann.public_id, ben.public_id))

    shift = data["onCallShifts"][0]
    assert set(data) == INSTATUS_SCHEDULE_KEYS
    assert set(shift) == INSTATUS_SHIFT_KEYS
    assert [set(member) for member in shift["members"]] == [INSTATUS_MEMBER_KEYS] * 2
    assert [set(interval) for interval in shift["timeIntervals"]] == [INSTATUS_INTERVAL_KEYS]
    assert (data["name"], data["description"], data["status"]) == (
        "Primary On-call Schedule",
        "This schedule is for the primary on-call team.",
        "ACTIVE",
    )
    assert {key: value for key, value in shift.items() if key not in ("id", "members")} == {
        "name": "Primary",
        "order": 1,
        "rotationType": "WEEKLY",
        "customRotationTypeValue": None,
        "customRotationTypeUnit": None,
        "startDate": "2023-08-08T08:00:00.000Z",
        "endDate": "2024-08-21T08:42:00.000Z",
        "restrictionType": "TIMEINTERVALS",
        "timeOfDayRestrictionStartTime": None,
        "timeOfDayRestrictionEndTime": None,
        "timeIntervals": [
            {
                "id": shift["timeIntervals"][0]["id"],
                "startDay": "SATURDAY",
                "startDayTime": "1970-01-01T21:00:00.000Z",
                "endDay": "SUNDAY",
                "endDayTime": "1970-01-01T03:00:00.000Z",
            }
        ],
    }
    assert shift["members"][0] | {"id": None} == {
        "id": None,
        "order": 1,
        "color": "#FF5733",
        "workspaceMember": {
            "id": ann.public_id,
            "user": {"id": ann.public_id, "name": "ann", "email": ann.email, "avatar": None},
        },
    }
    assert [m["order"] for m in shift["members"]] == [1, 2]


def test_seed_put_of_the_answer_keeps_every_id(client, ann, ben):
    created = create(client, instatus_create(ann.public_id, ben.public_id))
    body = copy.deepcopy(created) | {"name": "Name Update"}

    response = client.put(f"{INSTATUS}/{created['id']}", body, format="json")

    assert response.status_code == 200
    assert response.json() == created | {"name": "Name Update"}
    assert client.get(f"{INSTATUS}/{created['id']}").json() == response.json()


def test_put_updates_creates_and_deletes_by_id(client, ann, ben, cat):
    created = schedule_of(
        client,
        instatus_shift([ann.public_id, ben.public_id], name="first"),
        instatus_shift([cat.public_id], name="second"),
    )
    first, second = created["onCallShifts"]
    kept_member = first["members"][1]
    body = {
        "name": "Layers",
        "onCallShifts": [
            instatus_shift([cat.public_id], name="new"),
            {
                **instatus_shift([], name="first again"),
                "id": first["id"],
                "members": [kept_member, {"workspaceMemberId": cat.public_id}],
            },
        ],
    }

    shifts = client.put(f"{INSTATUS}/{created['id']}", body, format="json").json()["onCallShifts"]

    assert [(s["name"], s["order"]) for s in shifts] == [("new", 1), ("first again", 2)]
    assert shifts[1]["id"] == first["id"] and shifts[0]["id"] not in (first["id"], second["id"])
    assert shifts[1]["members"][0]["id"] == kept_member["id"]
    assert [m["workspaceMember"]["id"] for m in shifts[1]["members"]] == [
        ben.public_id,
        cat.public_id,
    ]
    assert Rotation.objects.count() == 2
    assert RotationMember.objects.count() == 3


def test_put_keeps_what_it_leaves_out(client, ann):
    created = schedule_of(client, instatus_shift([ann.public_id]), description="kept")

    data = client.put(f"{INSTATUS}/{created['id']}", {"name": "Renamed"}, format="json").json()

    assert data == created | {"name": "Renamed"}


def test_order_sets_the_rotation_order_and_colors_default_to_the_palette(
    client, api_client, ann, ben, cat
):
    shift = instatus_shift([ann.public_id, ben.public_id, cat.public_id], rotationType="DAILY")
    shift["members"][0]["order"] = 3
    shift["members"][1]["order"] = 1
    shift["members"][2]["order"] = 2
    data = schedule_of(client, shift)

    members = data["onCallShifts"][0]["members"]
    assert [(m["order"], m["color"]) for m in members] == [
        (3, "#0470a6"),
        (1, "#195397"),
        (2, "#1e8449"),
    ]
    assert [row[0] for row in final_rows(api_client, data["id"], "2024-01-01", "2024-01-04")] == [
        "ben",
        "cat",
        "ann",
    ]


LENGTHS = {
    "DAILY": (
        {"rotationType": "DAILY"},
        "2024-01-01",
        "2024-01-03",
        ["01-01T00:00", "01-02T00:00"],
    ),
    "WEEKLY": (
        {"rotationType": "WEEKLY"},
        "2024-01-01",
        "2024-01-15",
        ["01-01T00:00", "01-08T00:00"],
    ),
    "6 HOURS": (
        {"rotationType": "CUSTOM", "customRotationTypeValue": 6, "customRotationTypeUnit": "HOURS"},
        "2024-01-01",
        "2024-01-01T12:00",
        ["01-01T00:00", "01-01T06:00"],
    ),
    "3 DAYS": (
        {"rotationType": "CUSTOM", "customRotationTypeValue": 3, "customRotationTypeUnit": "DAYS"},
        "2024-01-01",
        "2024-01-07",
        ["01-01T00:00", "01-04T00:00"],
    ),
    "2 WEEKS": (
        {"rotationType": "CUSTOM", "customRotationTypeValue": 2, "customRotationTypeUnit": "WEEKS"},
        "2024-01-01",
        "2024-01-29",
        ["01-01T00:00", "01-15T00:00"],
    ),
}


@pytest.mark.parametrize(("fields", "start", "end", "starts"), LENGTHS.values(), ids=LENGTHS)
def test_rotation_lengths(client, api_client, ann, ben, fields, start, end, starts):
    data = schedule_of(client, instatus_shift([ann.public_id, ben.public_id], **fields))

    rows = final_rows(api_client, data["id"], start, end)

    assert [(user, row_start) for user, row_start, _ in rows] == list(
        zip(["ann", "ben"], starts, strict=True)
    )


def test_an_end_date_in_the_middle_of_a_turn(client, api_client, ann, ben):
    data = schedule_of(
        client,
        instatus_shift(
            [ann.public_id, ben.public_id], rotationType="DAILY", endDate="2024-01-02T12:00:00Z"
        ),
    )

    assert final_rows(api_client, data["id"], "2024-01-01", "2024-01-05") == [
        ("ann", "01-01T00:00", "01-02T00:00"),
        ("ben", "01-02T00:00", "01-02T12:00"),
    ]


def test_a_time_of_day_restriction_wrapping_midnight(client, api_client, ann, ben):
    shift = instatus_shift(
        [ann.public_id, ben.public_id],
        rotationType="DAILY",
        restrictionType="TIMEOFDAY",
        timeOfDayRestrictionStartTime="1970-01-01T22:00:00.000Z",
        timeOfDayRestrictionEndTime="06:00",
    )
    data = schedule_of(client, shift)

    assert data["onCallShifts"][0]["timeOfDayRestrictionEndTime"] == "1970-01-01T06:00:00.000Z"
    assert final_rows(api_client, data["id"], "2024-01-01", "2024-01-02T12:00") == [
        ("ann", "01-01T00:00", "01-01T06:00"),
        ("ann", "01-01T22:00", "01-02T00:00"),
        ("ben", "01-02T00:00", "01-02T06:00"),
    ]


def test_time_intervals_wrapping_the_week(client, api_client, ann, ben):
    interval = {
        "startDay": "SUNDAY",
        "startDayTime": "1970-01-01T20:00:00+02:00",
        "endDay": "MONDAY",
        "endDayTime": "1970-01-01T06:00:00.000Z",
    }
    shift = instatus_shift(
        [ann.public_id, ben.public_id], restrictionType="TIMEINTERVALS", timeIntervals=[interval]
    )
    data = schedule_of(client, shift)

    assert data["onCallShifts"][0]["timeIntervals"][0]["startDayTime"] == (
        "1970-01-01T18:00:00.000Z"
    )
    # a week from Monday 2024-01-01: the window straddles the Monday hand-over
    assert final_rows(api_client, data["id"], "2024-01-01", "2024-01-16") == [
        ("ann", "01-01T00:00", "01-01T06:00"),
        ("ann", "01-07T18:00", "01-08T00:00"),
        ("ben", "01-08T00:00", "01-08T06:00"),
        ("ben", "01-14T18:00", "01-15T00:00"),
        ("ann", "01-15T00:00", "01-15T06:00"),
    ]


def person(user, phone=None) -> dict:
    return {"id": user.public_id, "name": user.username, "email": user.email, "phone": phone}


def members(client, schedule_id: str) -> dict:
    response = client.get(f"{INSTATUS}/{schedule_id}/members")
    assert response.status_code == 200
    body = response.json()
    assert all(set(p) == INSTATUS_PERSON_KEYS for group in body.values() for p in group)
    return {
        name: [{k: v for k, v in p.items() if k != "avatar"} for p in group]
        for name, group in body.items()
    }


def test_seed_members(client, ann, ben):
    data = create(client, instatus_create(ann.public_id, ben.public_id))

    # ann's week (from Tuesday 08:00) holds this Saturday night; ben's the next one
    assert members(client, data["id"]) == {
        "currentMembers": [person(ann)],
        "nextMembers": [person(ben, "+15550002")],
        "allMembers": [person(ann), person(ben, "+15550002")],
    }


def test_members_of_layers_in_shift_order_without_repeats(client, ann, ben, cat):
    night = instatus_shift(
        [ben.public_id],
        startDate="2023-08-01T00:00:00Z",
        restrictionType="TIMEOFDAY",
        timeOfDayRestrictionStartTime="20:00",
        timeOfDayRestrictionEndTime="23:00",
    )
    always = instatus_shift([cat.public_id, ann.public_id], startDate="2023-08-12T00:00:00Z")
    second_cat = instatus_shift(
        [cat.public_id], rotationType="DAILY", startDate="2023-08-01T00:00:00Z"
    )
    data = schedule_of(client, night, always, second_cat)

    assert members(client, data["id"]) == {
        "currentMembers": [person(ben, "+15550002"), person(cat)],
        # at 23:00 ben's window closes
        "nextMembers": [person(cat)],
        "allMembers": [person(ben, "+15550002"), person(cat), person(ann)],
    }


def test_next_members_come_after_a_gap(client, ann, ben):
    shift = instatus_shift(
        [ann.public_id, ben.public_id],
        rotationType="DAILY",
        startDate="2023-08-01T00:00:00Z",
        restrictionType="TIMEOFDAY",
        timeOfDayRestrictionStartTime="09:00",
        timeOfDayRestrictionEndTime="17:00",
    )
    data = schedule_of(client, shift)

    # Saturday 22:00: nobody; Sunday 09:00 is the 13th day from the 1st: ann's
    assert members(client, data["id"])["currentMembers"] == []
    assert members(client, data["id"])["nextMembers"] == [person(ann)]


def test_an_inactive_schedule_has_nobody(client, ann, ben):
    data = schedule_of(client, instatus_shift([ann.public_id, ben.public_id]), status="INACTIVE")

    assert data["status"] == "INACTIVE"
    assert members(client, data["id"]) == {
        "currentMembers": [],
        "nextMembers": [],
        "allMembers": [person(ann), person(ben, "+15550002")],
    }


def test_phones_show_unless_hidden(client, ann, ben):
    data = schedule_of(client, instatus_shift([ben.public_id, ann.public_id]))

    assert members(client, data["id"])["allMembers"] == [person(ben, "+15550002"), person(ann)]


def test_the_v1_prefix_and_trailing_slashes(client, ann):
    data = schedule_of(client, instatus_shift([ann.public_id]))

    for path in (f"/v1{INSTATUS}/{data['id']}", f"{INSTATUS}/{data['id']}/"):
        assert client.get(path).json() == data
    assert [item["id"] for item in client.get(f"/v1{INSTATUS}/").json()] == [data["id"]]


def test_delete(client, ann):
    data = schedule_of(client, instatus_shift([ann.public_id]))

    response = client.delete(f"{INSTATUS}/{data['id']}")

    assert (response.status_code, response.content) == (204, b"")
    assert not Schedule.objects.exists() and not Rotation.objects.exists()


def bad_shift(**fields) -> dict:
    return instatus_shift(["U000000000000"], **fields)


ANN = "{ann}"
BAD = {
    "unknown workspace member": (
        [bad_shift()],
        "onCallShifts.0.members.0.workspaceMemberId: No workspace member has the id U000000000000",
    ),
    "bad rotation type": (
        [instatus_shift([ANN], rotationType="MONTHLY")],
        'onCallShifts.0.rotationType: "MONTHLY" is not a valid choice',
    ),
    "bad restriction type": (
        [instatus_shift([ANN], restrictionType="SOMETIMES")],
        'onCallShifts.0.restrictionType: "SOMETIMES" is not a valid choice',
    ),
    "custom value below 1": (
        [
            instatus_shift(
                [ANN],
                rotationType="CUSTOM",
                customRotationTypeValue=0,
                customRotationTypeUnit="DAYS",
            )
        ],
        "onCallShifts.0.customRotationTypeValue: Ensure this value is greater than or equal to 1",
    ),
    "custom without value and unit": (
        [instatus_shift([ANN], rotationType="CUSTOM")],
        "onCallShifts.0.customRotationTypeValue: This field is required; "
        "onCallShifts.0.customRotationTypeUnit: This field is required",
    ),
    "custom longer than a year": (
        [
            instatus_shift(
                [ANN],
                rotationType="CUSTOM",
                customRotationTypeValue=53,
                customRotationTypeUnit="WEEKS",
            )
        ],
        "onCallShifts.0.customRotationTypeValue: A turn lasts at most 365 days "
        "(8760 hours, 365 days, 52 weeks)",
    ),
    "end before start": (
        [instatus_shift([ANN], endDate="2023-12-31T00:00:00Z")],
        "onCallShifts.0.endDate: Must be after startDate",
    ),
    "malformed time of day": (
        [
            instatus_shift(
                [ANN],
                restrictionType="TIMEOFDAY",
                timeOfDayRestrictionStartTime="25:00",
                timeOfDayRestrictionEndTime="06:00",
            )
        ],
        "onCallShifts.0.timeOfDayRestrictionStartTime: Not a time of day: expected "
        "1970-01-01THH:MM:SS.000Z or HH:MM",
    ),
    "time of day missing": (
        [instatus_shift([ANN], restrictionType="TIMEOFDAY")],
        "onCallShifts.0.timeOfDayRestrictionStartTime: This field is required; "
        "onCallShifts.0.timeOfDayRestrictionEndTime: This field is required",
    ),
    "intervals missing": (
        [instatus_shift([ANN], restrictionType="TIMEINTERVALS", timeIntervals=[])],
        "onCallShifts.0.timeIntervals: At least one interval is required",
    ),
    "bad day": (
        [
            instatus_shift(
                [ANN],
                restrictionType="TIMEINTERVALS",
                timeIntervals=[
                    {
                        "startDay": "FUNDAY",
                        "startDayTime": "09:00",
                        "endDay": "MONDAY",
                        "endDayTime": "10:00",
                    }
                ],
            )
        ],
        'onCallShifts.0.timeIntervals.0.startDay: "FUNDAY" is not a valid choice',
    ),
    "empty members": (
        [instatus_shift([])],
        "onCallShifts.0.members: This list may not be empty",
    ),
    "10,000 members": (
        [instatus_shift([ANN] * 10_000)],
        "onCallShifts.0.members: Ensure this field has no more than 1000 elements",
    ),
    "a member twice": (
        [instatus_shift([ANN, ANN])],
        "onCallShifts.0.members: {ann} is listed more than once",
    ),
    "bad color": (
        [instatus_shift([ANN]) | {"members": [{"workspaceMemberId": ANN, "color": "red"}]}],
        "onCallShifts.0.members.0.color: Not a color: expected #RRGGBB",
    ),
    "missing start date": (
        [{k: v for k, v in instatus_shift([ANN]).items() if k != "startDate"}],
        "onCallShifts.0.startDate: This field is required",
    ),
}


@pytest.mark.parametrize(("shifts", "message"), BAD.values(), ids=BAD.keys())
def test_bad_input_is_a_400_naming_the_field_and_stores_nothing(client, ann, shifts, message):
    shifts = [
        {
            **shift,
            "members": [
                {
                    **member,
                    "workspaceMemberId": member["workspaceMemberId"].format(ann=ann.public_id),
                }
                for member in shift["members"]
            ],
        }
        if "members" in shift
        else shift
        for shift in shifts
    ]

    response = client.post(INSTATUS, {"name": "Bad", "onCallShifts": shifts}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "validation_error",
            "message": f"Validation failed: {message.format(ann=ann.public_id)}",
        }
    }
    assert not Schedule.objects.exists() and not RestrictionWindow.objects.exists()


def test_a_bad_put_changes_nothing(client, ann):
    created = schedule_of(client, instatus_shift([ann.public_id]))
    body = {"name": "Renamed", "onCallShifts": [bad_shift()]}

    response = client.put(f"{INSTATUS}/{created['id']}", body, format="json")

    assert response.status_code == 400
    assert client.get(f"{INSTATUS}/{created['id']}").json() == created


def test_patch_is_not_allowed(client, ann):
    created = schedule_of(client, instatus_shift([ann.public_id]))

    response = client.patch(f"{INSTATUS}/{created['id']}", {"name": "x"}, format="json")

    assert (response.status_code, response.json()) == (
        405,
        {"error": {"code": "method_not_allowed", "message": 'Method "PATCH" not allowed.'}},
    )
