"""Fixtures of the on-call action tests: alice by day and bob by night."""

import pytest

from tests.api.helpers import created as post


@pytest.fixture
def alice(make_user, organization):
    return make_user(
        "alice",
        timezone="America/New_York",
        slack_user_id="UALICE",
        slack_team_id="TSLACK",
        phone_number="+12345678901",
    )


@pytest.fixture
def bob(make_user):
    return make_user("bob", hide_phone_number=True, phone_number="+10000000000")


@pytest.fixture
def schedule(api_client, alice, bob) -> dict:
    """alice 09:00-17:00 and bob 17:00-09:00 every day from 2026-03-23 (UTC)."""
    shifts = [
        post(
            api_client,
            "on_call_shifts",
            {
                "type": "recurrent_event",
                "frequency": "daily",
                "start": start,
                "duration": hours * 3600,
                "users": [user.public_id],
            },
        )["id"]
        for user, start, hours in (
            (alice, "2026-03-23T09:00:00", 8),
            (bob, "2026-03-23T17:00:00", 16),
        )
    ]
    return post(
        api_client,
        "schedules",
        {"name": "Primary", "type": "calendar", "time_zone": "UTC", "shifts": shifts},
    )
