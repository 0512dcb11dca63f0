"""`POST /api/v1/on_call_shifts/`: UPSTREAM-CASES §3 creates, the §c.2 rules, §c.3 clearing,
§c.4 representation, and the request quirks of DECISIONS §4."""

import pytest

from tests.api import shift_helpers as h
from users.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(make_user):
    return make_user("bob", Role.EDITOR)


def ocs05_body(user_id: str, **changes) -> dict:
    """The body of upstream's `test_create_on_call_shift` (OCS-05)."""
    body = {
        "team_id": None,
        "name": "test name",
        "type": "recurrent_event",
        "level": 1,
        "start": h.T0,
        "rotation_start": h.T0,
        "duration": 10800,
        "users": [user_id],
        "week_start": "MO",
        "frequency": "weekly",
        "interval": 2,
        "until": h.T0_PLUS_30D,
        "by_day": ["MO", "WE", "FR"],
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not ...}


def test_create_recurrent_event(api_client, admin):  # OCS-05
    response = api_client.post(h.SHIFTS_URL, ocs05_body(admin.public_id), format="json")

    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "team_id": None,
        "schedule": None,
        "name": "test name",
        "type": "recurrent_event",
        "time_zone": None,
        "level": 1,
        "start": h.T0,
        "rotation_start": h.T0,
        "duration": 10800,
        "frequency": "weekly",
        "interval": 2,
        "until": h.T0_PLUS_30D,
        "week_start": "MO",
        "by_day": ["MO", "WE", "FR"],
        "users": [admin.public_id],
        "by_month": None,
        "by_monthday": None,
    }
    assert api_client.get(h.shift_url(body["id"])).json() == body


def test_create_defaults_interval_to_one(api_client, admin):  # OCS-06
    response = api_client.post(
        h.SHIFTS_URL, ocs05_body(admin.public_id, interval=...), format="json"
    )

    assert response.status_code == 201
    assert response.json()["interval"] == 1


def test_create_with_null_interval_fails(api_client, admin):  # OCS-07
    response = api_client.post(
        h.SHIFTS_URL, ocs05_body(admin.public_id, interval=None), format="json"
    )

    assert (response.status_code, response.json()) == (400, h.INTERVAL_REQUIRED)


def test_create_daily_without_interval_falls_back_to_one(api_client, admin):  # OCS-08
    body = {
        "type": "recurrent_event",
        "level": 1,
        "start": h.T0,
        "rotation_start": h.T0,
        "duration": 10800,
        "users": [admin.public_id],
        "frequency": "daily",
        "until": h.T0_PLUS_30D,
    }

    response = api_client.post(h.SHIFTS_URL, body, format="json")

    assert response.status_code == 201
    shift_id = response.json()["id"]
    assert response.json() == h.expected_shift(
        "recurrent_event",
        shift_id,
        level=1,
        duration=10800,
        users=[admin.public_id],
        frequency="daily",
        interval=1,
        until=h.T0_PLUS_30D,
    )


def test_create_override(api_client, admin):  # OCS-09
    body = {
        "team_id": None,
        "name": "test name",
        "type": "override",
        "start": h.T0,
        "rotation_start": h.T0,
        "duration": 10800,
        "users": [admin.public_id],
    }

    response = api_client.post(h.SHIFTS_URL, body, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "team_id": None,
        "schedule": None,
        "name": "test name",
        "type": "override",
        "time_zone": None,
        "start": h.T0,
        "rotation_start": h.T0,
        "duration": 10800,
        "users": [admin.public_id],
    }
    assert h.stored(body["id"]).level == 0


def test_create_web_override(api_client, admin):  # OCS-17
    body = {
        "team_id": None,
        "name": "test web override",
        "type": "override",
        "source": 0,
        "start": h.T0,
        # Upstream pins a web override's rotation start to its start, whatever is sent.
        "rotation_start": "2024-05-01T00:00:00",
        "duration": 3600,
        "users": [admin.public_id],
        "time_zone": "UTC",
    }

    response = api_client.post(h.SHIFTS_URL, body, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "team_id": None,
        "schedule": None,
        "name": "test web override",
        "type": "override",
        "time_zone": "UTC",
        "start": h.T0,
        "rotation_start": h.T0,
        "duration": 3600,
        "users": [admin.public_id],
    }
    shift = h.stored(body["id"])
    assert (shift.source, shift.level, shift.start) == (0, 99, shift.rotation_start)


def test_create_with_invalid_time_zone(api_client, admin):  # OCS-10
    response = api_client.post(
        h.SHIFTS_URL, ocs05_body(admin.public_id, time_zone="asdfasdfasdf"), format="json"
    )

    assert (response.status_code, response.json()) == (400, h.INVALID_TIME_ZONE)


def test_create_rolling_users_with_unknown_user(api_client, admin):  # OCS-11
    body = ocs05_body(
        admin.public_id,
        type="rolling_users",
        users=...,
        time_zone=None,
        rolling_users=[[admin.public_id], ["fuzz"]],
        start_rotation_from_user_index=0,
    )

    response = api_client.post(h.SHIFTS_URL, body, format="json")

    assert (response.status_code, response.json()) == (
        400,
        {"rolling_users": {"1": ["User does not exist {'fuzz'}"]}},
    )


def test_rolling_users_of_another_organization_do_not_exist(
    api_client, admin, make_user, other_organization
):
    stranger = make_user("stranger", org=other_organization)

    response = h.post_shift(
        api_client,
        "rolling_users",
        rolling_users=[[admin.public_id], [admin.public_id, stranger.public_id]],
    )

    assert (response.status_code, response.json()) == (
        400,
        {"rolling_users": {"1": [f"User does not exist {{'{stranger.public_id}'}}"]}},
    )


def test_unknown_and_foreign_users_are_dropped(api_client, bob, make_user, other_organization):
    stranger = make_user("stranger", org=other_organization)

    shift = h.create_shift(api_client, users=[bob.public_id, "UNOBODY123456", stranger.public_id])

    assert shift["users"] == [bob.public_id]


# (body changes over the type's minimal body, expected 400 body)
CREATE_ERRORS = {
    "type missing": ("single_event", {"type": ...}, {"type": ["This field is required."]}),
    "type unknown": ("single_event", {"type": "weekly_event"}, h.INVALID_SHIFT_TYPE),
    "type as internal code": ("single_event", {"type": 0}, h.INVALID_SHIFT_TYPE),
    "start missing": ("single_event", {"start": ...}, {"start": ["This field is required."]}),
    "start null": ("single_event", {"start": None}, {"start": ["This field may not be null."]}),
    "start with millis and Z": (
        "single_event",
        {"start": "2024-05-06T10:00:00.000Z"},
        h.INVALID_DATETIME,
    ),
    "start with Z": ("single_event", {"start": "2024-05-06T10:00:00Z"}, h.INVALID_DATETIME),
    "start with offset": (
        "single_event",
        {"start": "2024-05-06T10:00:00+02:00"},
        h.INVALID_DATETIME,
    ),
    "start with a space": ("single_event", {"start": "2024-05-06 10:00:00"}, h.INVALID_DATETIME),
    "start without seconds": ("single_event", {"start": "2024-05-06T10:00"}, h.INVALID_DATETIME),
    "start a date": ("single_event", {"start": "2024-05-06"}, h.INVALID_DATETIME),
    "start a number": ("single_event", {"start": 1714989600}, h.INVALID_DATETIME),
    "rotation_start with Z": (
        "single_event",
        {"rotation_start": "2024-05-06T10:00:00Z"},
        h.INVALID_DATETIME,
    ),
    "until not a date": ("recurrent_event", {"until": "not-a-date"}, h.INVALID_DATETIME),
    "duration missing": (
        "single_event",
        {"duration": ...},
        {"duration": ["This field is required."]},
    ),
    "duration garbage": ("single_event", {"duration": "an hour"}, h.INVALID_DURATION),
    "name too long": (
        "single_event",
        {"name": "x" * 201},
        {"name": ["Ensure this field has no more than 200 characters."]},
    ),
    "time_zone unknown": ("single_event", {"time_zone": "Mars/Olympus"}, h.INVALID_TIME_ZONE),
    "team_id unknown": (
        "single_event",
        {"team_id": "TNOSUCHTEAM12"},
        {"team_id": ["Object does not exist"]},
    ),
    "frequency unknown": ("recurrent_event", {"frequency": "yearly"}, h.INVALID_FREQUENCY),
    "frequency as internal code": ("recurrent_event", {"frequency": 1}, h.INVALID_FREQUENCY),
    "recurrent frequency missing": (
        "recurrent_event",
        {"frequency": ...},
        h.FREQUENCY_REQUIRED,
    ),
    "recurrent frequency null": ("recurrent_event", {"frequency": None}, h.FREQUENCY_REQUIRED),
    "rolling frequency missing": ("rolling_users", {"frequency": ...}, h.FREQUENCY_REQUIRED),
    "interval zero": ("recurrent_event", {"interval": 0}, h.INVALID_INTERVAL),
    "interval negative": ("recurrent_event", {"interval": -2}, h.INVALID_INTERVAL),
    "interval not a number": (
        "recurrent_event",
        {"interval": "often"},
        {"interval": ["A valid integer is required."]},
    ),
    "week_start unknown": ("recurrent_event", {"week_start": "XX"}, h.INVALID_WEEK_START),
    "recurrent weekly without week_start": (
        "recurrent_event",
        {"frequency": "weekly"},
        h.WEEK_START_REQUIRED,
    ),
    "rolling weekly with null week_start": (
        "rolling_users",
        {"frequency": "weekly", "week_start": None},
        h.WEEK_START_REQUIRED,
    ),
    "by_day unknown day": ("recurrent_event", {"by_day": ["QQ", "FR"]}, h.INVALID_BY_DAY),
    "by_day lower case": ("recurrent_event", {"by_day": ["mo"]}, h.INVALID_BY_DAY),
    "by_month 13": ("recurrent_event", {"by_month": [13]}, h.INVALID_BY_MONTH),
    "by_month 0": ("recurrent_event", {"by_month": [0]}, h.INVALID_BY_MONTH),
    "by_month string": ("recurrent_event", {"by_month": ["1"]}, h.INVALID_BY_MONTH),
    "by_monthday 35": ("recurrent_event", {"by_monthday": [35]}, h.INVALID_BY_MONTHDAY),
    "by_monthday 0": ("recurrent_event", {"by_monthday": [0]}, h.INVALID_BY_MONTHDAY),
    "by_monthday -32": ("recurrent_event", {"by_monthday": [-32]}, h.INVALID_BY_MONTHDAY),
    "rolling start index missing": (
        "rolling_users",
        {"start_rotation_from_user_index": ...},
        h.START_INDEX_REQUIRED,
    ),
    "rolling start index null": (
        "rolling_users",
        {"start_rotation_from_user_index": None},
        h.START_INDEX_REQUIRED,
    ),
    "rolling start index negative": (
        "rolling_users",
        {"start_rotation_from_user_index": -1},
        {"start_rotation_from_user_index": ["Ensure this value is greater than or equal to 0."]},
    ),
    "by_day not a list": (
        "recurrent_event",
        {"by_day": "MO"},
        {"by_day": ['Expected a list of items but got type "str".']},
    ),
    "by_month an object": (
        "recurrent_event",
        {"by_month": {"1": 1}},
        {"by_month": ['Expected a list of items but got type "dict".']},
    ),
    "users not a list": (
        "single_event",
        {"users": "UNOBODY123456"},
        {"users": ['Expected a list of items but got type "str".']},
    ),
    "rolling daily with by_monthday": (
        "rolling_users",
        {"by_monthday": [1, 15]},
        h.DAILY_DAY_LIMITS,
    ),
    "rolling daily interval over by_day": (
        "rolling_users",
        {"by_day": ["MO"], "interval": 2},
        h.INTERVAL_OVER_DAYS,
    ),
}


@pytest.mark.parametrize(
    ("shift_type", "changes", "expected"), CREATE_ERRORS.values(), ids=CREATE_ERRORS.keys()
)
def test_create_rule_violations(api_client, admin, shift_type, changes, expected):
    if shift_type == "rolling_users":
        changes = {"rolling_users": [[admin.public_id]], **changes}
    body = h.shift_body(shift_type, **changes)
    body = {key: value for key, value in body.items() if value is not ...}

    response = api_client.post(h.SHIFTS_URL, body, format="json")

    assert (response.status_code, response.json()) == (400, expected)
    assert not h.OnCallShift.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"by_day": ["MO", "TU"], "interval": 2},
        {"by_day": ["MO"]},
        {"by_monthday": []},
        {"frequency": "weekly", "week_start": "MO", "by_monthday": [1]},
    ],
    ids=["interval equals days", "default interval", "empty by_monthday", "weekly by_monthday"],
)
def test_rolling_daily_limits_only_bind_daily_rotations(api_client, admin, changes):
    response = h.post_shift(
        api_client, "rolling_users", rolling_users=[[admin.public_id]], **changes
    )

    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (3600, 3600),
        (5400.0, 5400),
        (5400.9, 5400),
        ("7200", 7200),
        ("7200.5", 7200),
        ("01:00:00", 3600),
        ("1 02:00:00", 93600),
        ("PT1H", 3600),
        ("PT1H30M", 5400),
        ("P1DT1H", 90000),
    ],
    ids=str,
)
def test_duration_is_integer_seconds_for_every_input_form(api_client, value, seconds):
    shift = h.create_shift(api_client, duration=value)

    assert shift["duration"] == seconds
    assert api_client.get(h.shift_url(shift["id"])).json()["duration"] == seconds


@pytest.mark.parametrize(
    ("fields", "wall_clock"),
    [
        ({}, {"start": h.T0, "rotation_start": h.T0}),
        (
            {"time_zone": "America/New_York"},
            {"start": "2024-03-10T02:30:00", "rotation_start": "2024-03-03T02:30:00"},
        ),
        ({"time_zone": "America/New_York"}, {"start": "2024-11-03T01:30:00"}),
        ({"time_zone": "Australia/Sydney"}, {"start": "2024-12-31T23:59:59"}),
        ({"time_zone": "Asia/Kolkata"}, {"until": "2025-01-01T00:00:00"}),
    ],
    ids=["utc", "dst gap", "dst fold", "year end", "until"],
)
def test_wall_clock_values_are_echoed_exactly(api_client, fields, wall_clock):
    sent = {"start": "2024-01-15T08:00:00", **wall_clock}
    if "rotation_start" not in sent:
        sent["rotation_start"] = sent["start"]

    shift = h.create_shift(api_client, "recurrent_event", **fields, **sent)

    echoed = {key: shift[key] for key in sent}
    assert echoed == sent
    reread = api_client.get(h.shift_url(shift["id"])).json()
    assert {key: reread[key] for key in sent} == sent
