"""The production rate: 300 requests a minute per user, the 301st is refused."""

import os
import subprocess
import sys

import pytest
from freezegun import freeze_time

from apikit.throttling import UserRateThrottle

pytestmark = pytest.mark.django_db


def test_default_rate_is_upstreams():
    env = {key: value for key, value in os.environ.items() if key != "API_THROTTLE_RATE"}
    env.update(SECRET_KEY="x", DJANGO_SETTINGS_MODULE="oncall.settings")
    code = (
        "from django.conf import settings; print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "{'public_api': '300/minute'}"


def test_the_301st_request_in_a_minute_is_throttled(api_client, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"public_api": "300/minute"})
    with freeze_time("2030-01-01T12:00:00") as clock:
        statuses = set()
        for _ in range(300):
            statuses.add(api_client.get("/api/v1/users/current").status_code)
            clock.tick(0.1)
        response = api_client.get("/api/v1/users/current")
    assert statuses == {200}
    assert response.status_code == 429
    assert (response["Retry-After"], response["RateLimit-Reset"]) == ("30", "30")
