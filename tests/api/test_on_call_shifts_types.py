"""Per-type behaviour of shifts: the response key sets (UPSTREAM-BEHAVIOUR §c.4) and the
reset of fields a type does not use (§c.3)."""

import pytest

from tests.api import shift_helpers as h
from users.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(make_user):
    return make_user("bob", Role.EDITOR)


WEEKLY = {"frequency": "weekly", "week_start": "MO"}


@pytest.mark.parametrize(
    ("shift_type", "fields", "extra_keys"),
    [
        ("single_event", {}, set()),
        ("single_event", WEEKLY, set()),
        ("recurrent_event", {}, set()),
        ("recurrent_event", WEEKLY, {"week_start"}),
        ("rolling_users", {}, set()),
        ("rolling_users", WEEKLY, {"week_start"}),
        ("override", {}, set()),
    ],
    ids=[
        "single",
        "single sent weekly",
        "recurrent daily",
        "recurrent weekly",
        "rolling daily",
        "rolling weekly",
        "override",
    ],
)
def test_response_key_sets_per_type(api_client, admin, shift_type, fields, extra_keys):
    shift = h.create_shift(api_client, shift_type, rolling_users=[[admin.public_id]], **fields)

    assert set(shift) == h.KEYS_BY_TYPE[shift_type] | extra_keys
    assert set(api_client.get(h.shift_url(shift["id"])).json()) == set(shift)


# Fields sent to a type that does not use them, and what upstream resets them to (§c.3).
# Every case also sends `users: [bob]` and `rolling_users: [[bob]]`.
TYPE_CLEARING = {
    "single_event": (
        {
            "frequency": "weekly",
            "week_start": "MO",
            "interval": 2,
            "by_day": ["MO"],
            "by_month": [1],
            "by_monthday": [1],
            "start_rotation_from_user_index": 0,
            "until": h.T0_PLUS_30D,
        },
        {
            "frequency": None,
            "interval": None,
            "by_day": None,
            "by_month": None,
            "by_monthday": None,
            "rolling_users": None,
            "start_rotation_from_user_index": None,
            "users": ["bob"],
            # not reset for single events
            "week_start": "MO",
            "until": h.T0_PLUS_30D,
        },
    ),
    "recurrent_event": (
        {"start_rotation_from_user_index": 1},
        {"rolling_users": None, "start_rotation_from_user_index": None, "users": ["bob"]},
    ),
    "rolling_users": ({}, {"users": [], "start_rotation_from_user_index": 0}),
    "override": (
        {
            "level": 5,
            "frequency": "daily",
            "interval": 3,
            "by_day": ["MO"],
            "by_month": [1],
            "by_monthday": [1],
            "start_rotation_from_user_index": 0,
            "until": h.T0_PLUS_30D,
        },
        {
            "level": 0,
            "frequency": None,
            "interval": None,
            "by_day": None,
            "by_month": None,
            "by_monthday": None,
            "rolling_users": None,
            "start_rotation_from_user_index": None,
            "until": None,
            "users": ["bob"],
        },
    ),
}


@pytest.mark.parametrize(
    ("shift_type", "sent", "kept"),
    [(shift_type, *case) for shift_type, case in TYPE_CLEARING.items()],
    ids=TYPE_CLEARING.keys(),
)
def test_create_resets_fields_the_type_does_not_use(api_client, bob, shift_type, sent, kept):
    users = {"users": [bob.public_id], "rolling_users": [[bob.public_id]]}

    shift = h.create_shift(api_client, shift_type, **users, **sent)

    assert h.stored_values(shift["id"], *kept) == kept
