"""Signal's on-call schedules API (`/api/v1/on_call_schedules`, docs/dialects.md#signal): the
seed's requests and answers replayed, weekly and custom schedules, who is on call and for how
long, and bad input."""

import pytest
from freezegun import freeze_time

from schedules.models import Schedule
from tests.api.helpers import PUBLIC_ID
from tests.dialects.seeds import (
    BOB,
    DAYS,
    JANE,
    JOHN,
    SIGNAL,
    SIGNAL_CURRENT_KEYS,
    SIGNAL_PATCH,
    SIGNAL_ROTATION,
    SIGNAL_SUMMARY_KEYS,
    SIGNAL_WEEKLY,
    SIGNAL_WEEKLY_DETAIL_KEYS,
    WEEK,
    changed,
)

pytestmark = pytest.mark.django_db

# A Monday, noon UTC: 07:00 in New York.
NOW = "2024-01-15T12:00:00Z"


def create(client, body: dict) -> dict:
    response = client.post(SIGNAL, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["data"]


def weekly(emails) -> dict:
    return {
        day: {"user": email} if email else None for day, email in zip(DAYS, emails, strict=True)
    }


def test_seed_weekly_schedule(client, people):
    data = create(client, SIGNAL_WEEKLY)

    assert data.pop("id").startswith("sched_")
    assert data == {
        "name": "Engineering On-Call",
        "schedule_type": "weekly",
        "timezone": "America/New_York",
        "enabled": True,
        "members": [JOHN, JANE, BOB],
        "weekly_schedule": weekly(WEEK),
        # Monday in New York, from its 00:00 (05:00 UTC) to its last second
        "current_on_call": JOHN,
        "current_shift_start": "2024-01-15T05:00:00Z",
        "current_shift_end": "2024-01-16T04:59:59Z",
        "created_at": "2024-01-15T12:00:00Z",
    }


def test_seed_rotation_schedule(client, people):
    data = create(client, SIGNAL_ROTATION)

    assert {key: data[key] for key in data if key != "id"} == {
        "name": "Weekly Rotation",
        "schedule_type": "custom",
        "timezone": "UTC",
        "enabled": True,
        "members": [JOHN, JANE, BOB],
        "rotation_type": "weekly",
        "rotation_start": "2024-01-01T00:00:00Z",
        # the third week from the start: bob's turn
        "current_on_call": BOB,
        "current_shift_start": "2024-01-15T00:00:00Z",
        "current_shift_end": "2024-01-21T23:59:59Z",
        "created_at": "2024-01-15T12:00:00Z",
    }


def test_seed_answers_have_the_seed_keys(client, people):
    """The detail also carries `created_at` (docs/dialects.md#signal)."""
    schedule_id = create(client, SIGNAL_WEEKLY)["id"]

    listed = client.get(SIGNAL).json()["data"]
    detail = client.get(f"{SIGNAL}/{schedule_id}").json()["data"]
    current = client.get(f"{SIGNAL}/{schedule_id}/current").json()

    assert [set(item) for item in listed] == [SIGNAL_SUMMARY_KEYS]
    assert set(detail) == SIGNAL_WEEKLY_DETAIL_KEYS | {"created_at"}
    assert current == {
        "on_call": JOHN,
        "shift_start": "2024-01-15T05:00:00Z",
        "shift_end": "2024-01-16T04:59:59Z",
    }
    assert set(current) == SIGNAL_CURRENT_KEYS


def test_seed_patch_changes_only_the_days_it_names(client, people):
    schedule_id = create(client, SIGNAL_WEEKLY)["id"]

    response = client.patch(f"{SIGNAL}/{schedule_id}", SIGNAL_PATCH, format="json")

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["weekly_schedule"] == weekly((JANE, JOHN, *WEEK[2:]))
    assert (data["current_on_call"], data["members"]) == (JANE, [JOHN, JANE, BOB])


def test_null_clears_a_day_and_put_is_patch(client, people):
    schedule_id = create(client, SIGNAL_WEEKLY)["id"]

    body = {"weekly_schedule": {"monday": None}}
    data = client.put(f"{SIGNAL}/{schedule_id}", body, format="json").json()["data"]

    assert data["weekly_schedule"] == weekly((None, *WEEK[1:]))
    assert (data["current_on_call"], data["current_shift_start"]) == (None, None)
    assert data["name"] == "Engineering On-Call"


def test_members_default_to_the_weekly_users_and_gain_new_ones(client, people):
    body = changed(SIGNAL_WEEKLY, weekly_schedule=weekly((BOB, None, JANE, BOB, None, None, None)))
    del body["members"]
    schedule_id = create(client, body)["id"]
    assert client.get(f"{SIGNAL}/{schedule_id}").json()["data"]["members"] == [BOB, JANE]

    patch = {"weekly_schedule": {"sunday": {"user": JOHN}}}
    data = client.patch(f"{SIGNAL}/{schedule_id}", patch, format="json").json()["data"]

    assert data["members"] == [BOB, JANE, JOHN]


def test_a_stretch_merges_back_to_back_days_of_one_user(client, people):
    body = changed(SIGNAL_WEEKLY, timezone="UTC", weekly_schedule=weekly((JOHN,) * 3 + (JANE,) * 4))
    schedule_id = create(client, body)["id"]

    assert client.get(f"{SIGNAL}/{schedule_id}/current").json() == {
        "on_call": JOHN,
        "shift_start": "2024-01-15T00:00:00Z",
        "shift_end": "2024-01-17T23:59:59Z",
    }


def test_e_mails_are_read_ignoring_case(client, people):
    body = changed(SIGNAL_ROTATION, members=["JOHN@example.com", JANE])

    assert create(client, body)["members"] == [JOHN, JANE]


def test_a_daily_rotation_hands_over_at_the_local_time_of_its_start_across_dst(client, people):
    body = changed(
        SIGNAL_ROTATION,
        timezone="America/New_York",
        rotation_type="daily",
        rotation_start="2024-03-08T09:00:00-05:00",
        members=[JOHN, JANE],
    )
    with freeze_time("2024-03-11T12:00:00Z"):
        data = create(client, body)

    # 09:00 EST is 14:00 UTC; after the change, 09:00 EDT is 13:00 UTC
    assert (data["current_on_call"], data["current_shift_start"], data["current_shift_end"]) == (
        JOHN,
        "2024-03-10T13:00:00Z",
        "2024-03-11T12:59:59Z",
    )


def test_nobody_before_the_rotation_starts(client, people):
    data = create(client, changed(SIGNAL_ROTATION, rotation_start="2024-02-01T00:00:00Z"))

    assert (data["current_on_call"], data["current_shift_end"]) == (None, None)


def test_a_disabled_schedule_has_nobody_on_call_and_keeps_its_data(client, people):
    schedule_id = create(client, SIGNAL_WEEKLY)["id"]

    data = client.patch(f"{SIGNAL}/{schedule_id}", {"enabled": False}, format="json").json()
    listed = client.get(SIGNAL, {"enabled": "false"}).json()["data"]

    assert (data["data"]["current_on_call"], data["data"]["weekly_schedule"]) == (
        None,
        weekly(WEEK),
    )
    assert [(item["id"], item["current_on_call"]) for item in listed] == [(schedule_id, None)]
    assert client.get(SIGNAL, {"enabled": "true"}).json() == {"data": []}


def test_the_type_can_change(client, people):
    schedule_id = create(client, SIGNAL_WEEKLY)["id"]

    body = {"schedule_type": "custom", "rotation_type": "daily", "rotation_start": "2024-01-15"}
    data = client.patch(f"{SIGNAL}/{schedule_id}", body, format="json").json()["data"]

    assert "weekly_schedule" not in data
    assert (data["rotation_type"], data["rotation_start"], data["current_on_call"]) == (
        "daily",
        "2024-01-15T05:00:00Z",
        JOHN,
    )


@pytest.mark.parametrize("form", ["sched_{}", "{}"])
@pytest.mark.parametrize("slash", ["", "/"])
def test_ids_with_or_without_the_prefix_and_slash(client, people, form, slash):
    schedule_id = create(client, SIGNAL_WEEKLY)["id"]
    path = f"{SIGNAL}/{form.format(schedule_id.removeprefix('sched_'))}"

    assert client.get(path + slash).json()["data"]["id"] == schedule_id
    assert client.get(f"{path}/current{slash}").status_code == 200
    assert PUBLIC_ID.match(schedule_id.removeprefix("sched_"))


def test_rails_wrapped_bodies(client, people):
    data = create(client, {"on_call_schedule": SIGNAL_ROTATION})
    response = client.patch(
        f"{SIGNAL}/{data['id']}", {"on_call_schedule": {"name": "Renamed"}}, format="json"
    )

    assert response.json()["data"]["name"] == "Renamed"


def test_x_api_key(client, people, admin):
    from users import services

    _, token = services.api_token_create(user=admin, name="key")
    create(client, SIGNAL_WEEKLY)
    response = client.get(SIGNAL, HTTP_AUTHORIZATION="", HTTP_X_API_KEY=token)

    assert [item["name"] for item in response.json()["data"]] == ["Engineering On-Call"]


def test_delete(client, people):
    schedule_id = create(client, SIGNAL_WEEKLY)["id"]

    response = client.delete(f"{SIGNAL}/{schedule_id}")

    assert (response.status_code, response.content) == (204, b"")
    assert client.get(f"{SIGNAL}/{schedule_id}").status_code == 404
    assert not Schedule.objects.exists()


TEN_THOUSAND = [f"m{i}@example.com" for i in range(10_000)]
BAD = {
    "unknown member": (
        changed(SIGNAL_ROTATION, members=[JOHN, "nobody@example.com"]),
        {"members": ["No user has the e-mail nobody@example.com."]},
    ),
    "unknown weekly user": (
        changed(SIGNAL_WEEKLY, weekly_schedule={"friday": {"user": "x@example.com"}}),
        {"weekly_schedule.friday.user": ["No user has the e-mail x@example.com."]},
    ),
    "weekly user not a member": (
        changed(SIGNAL_WEEKLY, members=[JOHN, JANE]),
        {
            f"weekly_schedule.{day}.user": [f"{BOB} is not one of the schedule's members."]
            for day in ("wednesday", "saturday", "sunday")
        },
    ),
    "bad schedule type": (
        changed(SIGNAL_WEEKLY, schedule_type="monthly"),
        {"schedule_type": ['"monthly" is not a valid choice.']},
    ),
    "bad rotation type": (
        changed(SIGNAL_ROTATION, rotation_type="hourly"),
        {"rotation_type": ['"hourly" is not a valid choice.']},
    ),
    "custom without rotation fields": (
        changed(SIGNAL_ROTATION, rotation_type=None) | {"rotation_type": None},
        {"rotation_type": ["This field may not be null."]},
    ),
    "custom missing rotation start": (
        {k: v for k, v in SIGNAL_ROTATION.items() if k != "rotation_start"},
        {"rotation_start": ["This field is required."]},
    ),
    "malformed rotation start": (
        changed(SIGNAL_ROTATION, rotation_start="next monday"),
        {
            "rotation_start": [
                "Datetime has wrong format. Use one of these formats instead: "
                "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
            ]
        },
    ),
    "empty members": (
        changed(SIGNAL_ROTATION, members=[]),
        {"members": ["This list may not be empty."]},
    ),
    "10,000 members": (
        changed(SIGNAL_ROTATION, members=TEN_THOUSAND),
        {"members": ["Ensure this field has no more than 1000 elements."]},
    ),
    "a member twice": (
        changed(SIGNAL_ROTATION, members=[JOHN, "John@Example.com"]),
        {"members": ["john@example.com is listed more than once."]},
    ),
    "unknown zone": (
        changed(SIGNAL_WEEKLY, timezone="Mars/Olympus"),
        {"timezone": ["Invalid timezone"]},
    ),
    "not a day": (
        changed(SIGNAL_WEEKLY, weekly_schedule={"funday": None}),
        {"weekly_schedule.funday": ["Not a day: expected monday, tuesday, … sunday."]},
    ),
    "rotation fields on a weekly schedule": (
        changed(SIGNAL_WEEKLY, rotation_type="daily"),
        {"rotation_type": ["Only custom schedules have this field."]},
    ),
    "missing name": (
        {k: v for k, v in SIGNAL_WEEKLY.items() if k != "name"},
        {"name": ["This field is required."]},
    ),
    "not an object": ([1, 2], {"body": ["Invalid data. Expected a dictionary, but got list."]}),
}


@pytest.mark.parametrize(("body", "details"), BAD.values(), ids=BAD.keys())
def test_bad_input_is_a_400_naming_the_field_and_stores_nothing(client, people, body, details):
    response = client.post(SIGNAL, body, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "validation_error", "message": "Validation failed", "details": details}
    }
    assert not Schedule.objects.exists()


def test_a_bad_patch_changes_nothing(client, people):
    schedule_id = create(client, SIGNAL_WEEKLY)["id"]
    before = client.get(f"{SIGNAL}/{schedule_id}").json()

    response = client.patch(
        f"{SIGNAL}/{schedule_id}",
        {"name": "Renamed", "weekly_schedule": {"monday": {"user": "x@example.com"}}},
        format="json",
    )

    assert response.status_code == 400
    assert client.get(f"{SIGNAL}/{schedule_id}").json() == before


def test_bad_json(client):
    response = client.post(SIGNAL, "{oops", content_type="application/json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], list(error["details"])) == ("validation_error", ["body"])


def test_a_bad_enabled_filter(client):
    response = client.get(SIGNAL, {"enabled": "maybe"})

    assert (response.status_code, response.json()["error"]["details"]) == (
        400,
        {"enabled": ["Must be true or false."]},
    )
