"""`PUT`/`PATCH /api/v1/on_call_shifts/{id}/`: UPSTREAM-CASES OCS-12…15, the §c.6 rules and the
update quirks of DECISIONS §4 (partial PUT, type change, GET body sent back)."""

import pytest

from tests.api import shift_helpers as h
from users.models import Role

pytestmark = pytest.mark.django_db

WEEKLY_MO_FR = {
    "frequency": "weekly",
    "week_start": "SU",
    "interval": 2,
    "by_day": ["MO", "FR"],
    "duration": 7200,
}


@pytest.fixture
def bob(make_user):
    return make_user("bob", Role.EDITOR)


@pytest.fixture
def weekly(api_client) -> dict:
    """OCS-12's shift: recurrent, weekly every 2 weeks on MO and FR, 2h, no users."""
    return h.create_shift(api_client, "recurrent_event", name="weekly", **WEEKLY_MO_FR)


@pytest.fixture
def rolling(api_client, bob) -> dict:
    return h.create_shift(
        api_client,
        "rolling_users",
        name="rolling",
        rolling_users=[[bob.public_id]],
        **WEEKLY_MO_FR,
    )


def put(client, shift_id: str, body: dict, method: str = "put"):
    return getattr(client, method)(h.shift_url(shift_id), body, format="json")


def test_update_recurrent_event(api_client, organization, weekly, bob):  # OCS-12
    schedule = h.make_schedule(organization, "calendar", weekly["id"])

    response = put(
        api_client,
        weekly["id"],
        {"duration": 14400, "users": [bob.public_id], "by_day": ["MO", "WE", "FR"]},
    )

    assert response.status_code == 200
    assert response.json() == {
        "id": weekly["id"],
        "team_id": None,
        "schedule": schedule.public_id,
        "name": "weekly",
        "type": "recurrent_event",
        "time_zone": None,
        "level": 0,
        "start": h.T0,
        "rotation_start": h.T0,
        "duration": 14400,
        "frequency": "weekly",
        "interval": 2,
        "until": None,
        "week_start": "SU",
        "by_day": ["MO", "WE", "FR"],
        "users": [bob.public_id],
        "by_month": None,
        "by_monthday": None,
    }
    assert api_client.get(h.shift_url(weekly["id"])).json() == response.json()


def test_update_rolling_shift_of_a_web_schedule(api_client, organization, rolling, bob):  # OCS-13
    schedule = h.make_schedule(organization, "web", rolling["id"])

    response = put(api_client, rolling["id"], {"duration": 14400, "by_day": ["MO", "WE", "FR"]})

    assert response.status_code == 200
    assert response.json() == {
        "id": rolling["id"],
        "team_id": None,
        "schedule": schedule.public_id,
        "name": "rolling",
        "type": "rolling_users",
        "time_zone": None,
        "level": 0,
        "start": h.T0,
        "rotation_start": h.T0,
        "duration": 14400,
        "frequency": "weekly",
        "interval": 2,
        "until": None,
        "week_start": "SU",
        "by_day": ["MO", "WE", "FR"],
        "rolling_users": [[bob.public_id]],
        "start_rotation_from_user_index": 0,
        "by_month": None,
        "by_monthday": None,
    }


UPDATE_ERRORS = {  # OCS-14, plus the other §c.2 field rules on update
    "frequency null": ({"frequency": None}, h.FREQUENCY_REQUIRED),
    "start with millis and Z": ({"start": "2024-05-06T10:00:00.000Z"}, h.INVALID_DATETIME),
    "rotation_start with offset": (
        {"rotation_start": "2024-05-06T10:00:00+00:00"},
        h.INVALID_DATETIME,
    ),
    "by_day unknown day": ({"by_day": ["QQ", "FR"]}, h.INVALID_BY_DAY),
    "by_month 13": ({"by_month": [13]}, h.INVALID_BY_MONTH),
    "by_monthday 35": ({"by_monthday": [35]}, h.INVALID_BY_MONTHDAY),
    "interval 0": ({"interval": 0}, h.INVALID_INTERVAL),
    "type unknown": ({"type": "invalid_type"}, h.INVALID_SHIFT_TYPE),
    "until not a date": ({"until": "not-a-date"}, h.INVALID_DATETIME),
    "frequency internal code": ({"frequency": 0, "interval": 5}, h.INVALID_FREQUENCY),
    "time_zone unknown": ({"time_zone": "asdfasdfasdf"}, h.INVALID_TIME_ZONE),
    "week_start unknown": ({"week_start": "XX"}, h.INVALID_WEEK_START),
    "duration garbage": ({"duration": "later"}, h.INVALID_DURATION),
    "name null": ({"name": None}, {"name": ["This field may not be null."]}),
    "interval null with frequency": (
        {"frequency": "daily", "interval": None},
        h.INTERVAL_REQUIRED,
    ),
    "type changed to recurring without frequency": (
        {"type": "rolling_users", "frequency": None, "start_rotation_from_user_index": 0},
        h.FREQUENCY_REQUIRED,
    ),
    "team_id unknown": ({"team_id": "TNOSUCHTEAM12"}, {"team_id": ["Object does not exist"]}),
}


@pytest.mark.parametrize(("body", "expected"), UPDATE_ERRORS.values(), ids=UPDATE_ERRORS.keys())
@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_rule_violations_change_nothing(api_client, weekly, method, body, expected):
    response = put(api_client, weekly["id"], body, method)

    assert (response.status_code, response.json()) == (400, expected)
    assert api_client.get(h.shift_url(weekly["id"])).json() == weekly


def test_update_rolling_users_with_unknown_user(api_client, rolling, bob):  # OCS-15
    response = put(api_client, rolling["id"], {"rolling_users": [[bob.public_id], ["fuzz"]]})

    assert (response.status_code, response.json()) == (
        400,
        {"rolling_users": {"1": ["User does not exist {'fuzz'}"]}},
    )
    assert api_client.get(h.shift_url(rolling["id"])).json() == rolling


def test_update_start_index_to_null_fails_but_leaving_it_out_is_fine(api_client, rolling):
    response = put(api_client, rolling["id"], {"start_rotation_from_user_index": None})
    assert (response.status_code, response.json()) == (400, h.START_INDEX_REQUIRED)

    response = put(api_client, rolling["id"], {"name": "renamed"})
    assert response.status_code == 200
    assert response.json() == {**rolling, "name": "renamed"}


def test_rolling_daily_rules_use_stored_values(api_client, bob):
    shift = h.create_shift(
        api_client,
        "rolling_users",
        rolling_users=[[bob.public_id]],
        by_day=["MO", "TU"],
        interval=2,
    )

    fewer_days = put(api_client, shift["id"], {"by_day": ["MO"]})
    monthdays = put(api_client, shift["id"], {"by_monthday": [1]})

    assert (fewer_days.status_code, fewer_days.json()) == (400, h.INTERVAL_OVER_DAYS)
    assert (monthdays.status_code, monthdays.json()) == (400, h.DAILY_DAY_LIMITS)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"frequency": "weekly"}, h.WEEK_START_REQUIRED),
        ({"frequency": "weekly", "week_start": "TU"}, None),
        ({"frequency": "hourly"}, None),
    ],
    ids=["weekly without week_start", "weekly with week_start", "hourly"],
)
def test_week_start_is_required_only_when_the_frequency_becomes_weekly(api_client, body, expected):
    shift = h.create_shift(api_client, "recurrent_event", week_start="MO", interval=3)

    response = put(api_client, shift["id"], body)

    if expected is not None:
        assert (response.status_code, response.json()) == (400, expected)
    else:
        assert response.status_code == 200
        assert response.json()["frequency"] == body["frequency"]


def test_same_weekly_frequency_without_week_start_keeps_it(api_client, weekly):
    response = put(api_client, weekly["id"], {"frequency": "weekly", "interval": 2})

    assert response.status_code == 200
    assert response.json() == weekly


@pytest.mark.parametrize(
    ("body", "interval"),
    [
        ({"frequency": "weekly"}, 1),
        ({"frequency": "weekly", "interval": 3}, 3),
        ({"by_day": ["MO"]}, 2),
    ],
    ids=["frequency alone resets it", "explicit interval", "no frequency keeps it"],
)
def test_interval_reset_when_a_frequency_arrives_without_one(api_client, weekly, body, interval):
    response = put(api_client, weekly["id"], body)

    assert response.status_code == 200
    assert response.json()["interval"] == interval


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("shift_kind", ["weekly", "rolling"])
def test_put_with_only_start_keeps_every_other_field(
    api_client, request, organization, method, shift_kind
):
    shift = request.getfixturevalue(shift_kind)
    h.make_schedule(organization, "calendar", shift["id"])
    shift = api_client.get(h.shift_url(shift["id"])).json()

    response = put(api_client, shift["id"], {"start": "2024-05-07T11:30:00"}, method)

    assert response.status_code == 200
    assert response.json() == {**shift, "start": "2024-05-07T11:30:00"}


def representations(client, admin, bob) -> dict[str, dict]:
    """One shift of every kind, each with every field it renders set to a non-default value."""
    common = {"name": "full", "time_zone": "Europe/Berlin", "rotation_start": "2024-05-01T00:00:00"}
    recurring = {
        "level": 2,
        "interval": 2,
        "until": h.T0_PLUS_30D,
        "by_day": ["TU", "MO"],
        "by_month": [5, 6],
        "by_monthday": [1, -1],
    }
    users = [admin.public_id, bob.public_id]
    return {
        "single_event": h.create_shift(client, "single_event", level=3, users=users, **common),
        "recurrent_event": h.create_shift(
            client, "recurrent_event", frequency="monthly", users=users, **common, **recurring
        ),
        "recurrent weekly": h.create_shift(
            client,
            "recurrent_event",
            frequency="weekly",
            week_start="WE",
            users=users,
            **common,
            **recurring,
        ),
        "rolling_users": h.create_shift(
            client,
            "rolling_users",
            frequency="weekly",
            week_start="MO",
            rolling_users=[[admin.public_id], [bob.public_id, admin.public_id]],
            start_rotation_from_user_index=1,
            **common,
            **{**recurring, "by_monthday": None},
        ),
        "override": h.create_shift(client, "override", users=users, **common),
        "web override": h.create_shift(client, "override", users=users, source=0),
    }


def test_get_representation_sent_back_as_put_body_changes_nothing(
    api_client, organization, admin, bob
):
    shifts = representations(api_client, admin, bob)
    h.make_schedule(organization, "calendar", *(shift["id"] for shift in shifts.values()))
    before = {
        kind: api_client.get(h.shift_url(shift["id"])).json() for kind, shift in shifts.items()
    }

    after = {kind: put(api_client, body["id"], body).json() for kind, body in before.items()}

    reread = {kind: api_client.get(h.shift_url(body["id"])).json() for kind, body in before.items()}
    assert after == before
    assert reread == before


TYPE_CHANGES = {
    "single to recurrent": (
        "single_event",
        {"type": "recurrent_event", "frequency": "daily"},
        {"frequency": "daily", "interval": 1},
    ),
    "recurrent to single": ("recurrent_event", {"type": "single_event"}, {}),
    "recurrent to override": ("recurrent_event", {"type": "override", "level": 4}, {}),
    "single to rolling": (
        "single_event",
        {
            "type": "rolling_users",
            "frequency": "hourly",
            "rolling_users": "BOB",
            "start_rotation_from_user_index": 0,
        },
        {
            "frequency": "hourly",
            "interval": 1,
            "rolling_users": "BOB",
            "start_rotation_from_user_index": 0,
        },
    ),
    "rolling to single": (
        "rolling_users",
        {"type": "single_event", "users": "BOB"},
        {"users": "BOB"},
    ),
}


@pytest.mark.parametrize(
    ("from_type", "body", "fields"), TYPE_CHANGES.values(), ids=TYPE_CHANGES.keys()
)
def test_put_may_change_the_type(api_client, bob, from_type, body, fields):
    def bobs(values: dict) -> dict:
        ids = {"users": [bob.public_id], "rolling_users": [[bob.public_id]]}
        return {key: ids[key] if value == "BOB" else value for key, value in values.items()}

    shift = h.create_shift(api_client, from_type, rolling_users=[[bob.public_id]])

    response = put(api_client, shift["id"], bobs(body))

    assert response.status_code == 200, response.json()
    assert response.json() == h.expected_shift(body["type"], shift["id"], **bobs(fields))
    cleared = {"frequency", "interval", "rolling_users", "start_rotation_from_user_index"}
    expected_stored = dict.fromkeys(cleared - set(fields))
    assert h.stored_values(shift["id"], *expected_stored) == expected_stored


def test_override_update_clears_until_and_pins_level(api_client):
    shift = h.create_shift(api_client, "recurrent_event", level=5, until=h.T0_PLUS_30D)

    put(api_client, shift["id"], {"type": "override", "level": 7})

    assert h.stored_values(shift["id"], "level", "until", "frequency") == {
        "level": 0,
        "until": None,
        "frequency": None,
    }


@pytest.mark.parametrize(
    ("body", "stored"),
    [
        ({"name": "renamed"}, {"source": 1, "level": 0}),
        ({"name": "renamed", "source": 0}, {"source": 0, "level": 99}),
        ({"name": "renamed", "source": 3}, {"source": 3, "level": 0}),
    ],
    ids=["no source: becomes api", "web stays web", "terraform"],
)
def test_update_recoerces_source(api_client, admin, body, stored):
    """Upstream (§c.6): an update turns a web override into an API one unless it says `source`."""
    shift = h.create_shift(api_client, "override", users=[admin.public_id], source=0)

    response = put(api_client, shift["id"], body)

    assert response.status_code == 200
    assert h.stored_values(shift["id"], "source", "level") == stored


def test_update_users_drops_unknown_ids(api_client, weekly, bob, make_user, other_organization):
    stranger = make_user("stranger", org=other_organization)

    response = put(
        api_client, weekly["id"], {"users": [stranger.public_id, "UNOBODY123456", bob.public_id]}
    )

    assert response.json()["users"] == [bob.public_id]
