"""Per-user throttling (UPSTREAM-BEHAVIOUR §d.2, THR-01) with a small patched rate."""

import pytest
from django.core.cache import cache
from freezegun import freeze_time

from apikit.throttling import UserRateThrottle
from tests.api.helpers import API
from users.models import Role

pytestmark = pytest.mark.django_db

RATE = "3/minute"
START = "2024-01-01T12:00:00Z"


@pytest.fixture(autouse=True)
def small_rate(monkeypatch):
    # DRF reads the rate when the throttle class is defined, so settings overrides come too late.
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"public_api": RATE})
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock():
    with freeze_time(START) as frozen:
        yield frozen


def spend_allowance(client, url: str) -> None:
    for _ in range(3):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("resource", ["schedules", "on_call_shifts", "users", "teams", "tokens"])
def test_fourth_request_in_a_minute_is_throttled(api_client, clock, resource):
    url = f"{API}/{resource}/"
    spend_allowance(api_client, url)

    response = api_client.get(url)

    assert response.status_code == 429
    assert response.json() == {"detail": "Request was throttled. Expected available in 60 seconds."}
    assert (response["Retry-After"], response["RateLimit-Reset"]) == ("60", "60")


def test_wait_counts_down_and_the_window_slides(api_client, clock):
    url = f"{API}/users/current/"
    spend_allowance(api_client, url)

    clock.tick(45)
    response = api_client.get(url)
    assert response.status_code == 429
    assert response.json()["detail"].endswith("Expected available in 15 seconds.")
    assert (response["Retry-After"], response["RateLimit-Reset"]) == ("15", "15")

    clock.tick(15)
    assert api_client.get(url).status_code == 200


def test_every_method_counts(api_client, clock):
    url = f"{API}/teams/"
    api_client.post(url, {"name": "A"})
    api_client.patch(f"{url}nonexistent/", {"name": "B"})
    api_client.get(url)

    assert api_client.delete(f"{url}nonexistent/").status_code == 429


def test_counter_is_per_user(api_client, make_user, make_client, clock):
    url = f"{API}/schedules/"
    spend_allowance(api_client, url)
    assert api_client.get(url).status_code == 429

    other = make_client(make_user("other", Role.VIEWER))

    assert other.get(url).status_code == 200


def test_tokens_of_one_user_share_the_counter(admin, make_client, clock):
    url = f"{API}/schedules/"
    spend_allowance(make_client(admin), url)

    assert make_client(admin).get(url).status_code == 429


def test_failed_authentication_is_not_counted(api_client, clock):
    url = f"{API}/schedules/"
    anonymous = api_client.__class__()
    for _ in range(5):
        assert anonymous.get(url).status_code == 403

    spend_allowance(api_client, url)
