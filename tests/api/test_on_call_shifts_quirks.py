"""Shift request bodies that real clients send (DECISIONS §4): all must be accepted."""

import pytest

from tests.api import shift_helpers as h
from users import services as user_services
from users.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(make_user):
    return make_user("bob", Role.EDITOR)


# Every optional key a type does not need, sent as an explicit null (the Terraform provider's
# habit). `interval` stays out of the recurring bodies: null there is an error upstream (OCS-07).
NULLS = {
    "team_id": None,
    "name": None,
    "time_zone": None,
    "level": None,
    "rotation_start": None,
    "until": None,
    "week_start": None,
    "by_day": None,
    "by_month": None,
    "by_monthday": None,
    "source": None,
}
NULL_BODIES = {
    "single_event": {
        **NULLS,
        "frequency": None,
        "interval": None,
        "rolling_users": None,
        "start_rotation_from_user_index": None,
    },
    "recurrent_event": {**NULLS, "rolling_users": None, "start_rotation_from_user_index": None},
    "rolling_users": {**NULLS, "users": None, "rolling_users": "BOB"},
    "override": {
        **NULLS,
        "frequency": None,
        "interval": None,
        "rolling_users": None,
        "start_rotation_from_user_index": None,
    },
}
NULL_RESULTS = {
    "single_event": {},
    "recurrent_event": {"frequency": "daily", "interval": 1},
    "rolling_users": {
        "frequency": "daily",
        "interval": 1,
        "rolling_users": "BOB",
        "start_rotation_from_user_index": 0,
    },
    "override": {},
}


def with_bob(values: dict, bob) -> dict:
    return {key: [[bob.public_id]] if value == "BOB" else value for key, value in values.items()}


@pytest.mark.parametrize("shift_type", h.SHIFT_TYPES)
def test_explicit_null_for_every_unset_optional(api_client, bob, shift_type):
    response = h.post_shift(api_client, shift_type, **with_bob(NULL_BODIES[shift_type], bob))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body == h.expected_shift(
        shift_type, body["id"], **with_bob(NULL_RESULTS[shift_type], bob)
    )
    assert h.stored_values(body["id"], "source", "level", "week_start") == {
        "source": 1,
        "level": 0,
        "week_start": "SU",
    }


@pytest.mark.parametrize(
    ("sent", "stored_source"),
    [(0, 0), (1, 1), (3, 3), (2, 1), (None, 1), (..., 1), ("0", 1)],
    ids=["web", "api", "terraform", "slack", "null", "absent", "string"],
)
def test_source_is_accepted_and_only_web_and_terraform_are_kept(api_client, sent, stored_source):
    fields = {} if sent is ... else {"source": sent}

    shift = h.create_shift(api_client, "recurrent_event", **fields)

    assert "source" not in shift
    assert h.stored_values(shift["id"], "source") == {"source": stored_source}


def test_level_zero(api_client):
    shift = h.create_shift(api_client, "recurrent_event", level=0)

    assert shift["level"] == 0


@pytest.mark.parametrize(
    ("shift_type", "frequency"),
    [
        ("recurrent_event", "hourly"),
        ("recurrent_event", "daily"),
        ("recurrent_event", "monthly"),
        ("rolling_users", "hourly"),
        ("rolling_users", "daily"),
    ],
    ids=lambda value: value,
)
def test_week_start_on_a_non_weekly_shift_is_stored_not_rendered(
    api_client, bob, shift_type, frequency
):
    shift = h.create_shift(
        api_client,
        shift_type,
        frequency=frequency,
        week_start="MO",
        rolling_users=[[bob.public_id]],
    )

    assert "week_start" not in shift
    assert h.stored_values(shift["id"], "week_start") == {"week_start": "MO"}


def test_rolling_users_null_on_a_rolling_shift(api_client):
    shift = h.create_shift(api_client, "rolling_users", rolling_users=None)

    assert shift == h.expected_shift(
        "rolling_users",
        shift["id"],
        frequency="daily",
        interval=1,
        rolling_users=None,
        start_rotation_from_user_index=0,
    )


def test_rolling_shift_without_users_key(api_client, admin, bob):
    body = h.shift_body(
        "rolling_users",
        frequency="weekly",
        week_start="MO",
        rolling_users=[[admin.public_id, bob.public_id], [bob.public_id]],
        start_rotation_from_user_index=1,
    )
    assert "users" not in body

    response = api_client.post(h.SHIFTS_URL, body, format="json")

    assert response.status_code == 201
    assert response.json() == h.expected_shift(
        "rolling_users",
        response.json()["id"],
        frequency="weekly",
        week_start="MO",
        interval=1,
        rolling_users=[[admin.public_id, bob.public_id], [bob.public_id]],
        start_rotation_from_user_index=1,
    )


def test_sets_in_any_order(api_client, admin, bob):
    shift = h.create_shift(
        api_client,
        "recurrent_event",
        frequency="weekly",
        week_start="SU",
        by_day=["FR", "MO", "WE"],
        by_month=[12, 1],
        by_monthday=[-1, 15, 1],
        users=[bob.public_id, admin.public_id],
    )

    assert (shift["by_day"], shift["by_month"], shift["by_monthday"]) == (
        ["FR", "MO", "WE"],
        [12, 1],
        [-1, 15, 1],
    )
    assert sorted(shift["users"]) == sorted([admin.public_id, bob.public_id])


@pytest.mark.parametrize("field", ["by_day", "by_month", "by_monthday"])
def test_empty_lists_are_stored_and_rendered_as_null(api_client, field):
    shift = h.create_shift(api_client, "recurrent_event", **{field: []})

    assert shift[field] is None
    assert h.stored_values(shift["id"], field) == {field: None}


def test_current_users_is_not_a_route(api_client):
    for path in ("/api/v1/on_call_shifts/current_users/", "/api/v1/on_call_shifts/current_users"):
        response = api_client.get(path)
        assert (response.status_code, response.json()) == (404, {"detail": "Not found."}), path


@pytest.mark.parametrize("sent", ["", "null", None], ids=["empty", "null string", "null"])
def test_team_id_spellings_of_no_team(api_client, sent):
    shift = h.create_shift(api_client, team_id=sent)

    assert shift["team_id"] is None


def test_team_id_is_echoed_and_can_be_cleared(api_client, organization):
    team = user_services.team_create(organization=organization, name="SRE")

    shift = h.create_shift(api_client, team_id=team.public_id)
    cleared = api_client.put(h.shift_url(shift["id"]), {"team_id": None}, format="json").json()

    assert shift == h.expected_shift("single_event", shift["id"], team_id=team.public_id)
    assert cleared == {**shift, "team_id": None}


def test_non_admin_may_only_use_own_teams(organization, make_user, make_client):
    mine = user_services.team_create(organization=organization, name="mine")
    theirs = user_services.team_create(organization=organization, name="theirs")
    editor = make_client(make_user("editor", Role.EDITOR, teams=[mine]))

    allowed = h.post_shift(editor, "single_event", team_id=mine.public_id)
    refused = h.post_shift(editor, "single_event", team_id=theirs.public_id)

    assert allowed.status_code == 201
    assert (refused.status_code, refused.json()) == (
        400,
        {"team_id": ["Object does not exist"]},
    )
