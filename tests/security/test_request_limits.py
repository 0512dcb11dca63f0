"""Request bodies over 1 MB are refused with a clear JSON answer, and store nothing."""

import json

import pytest

from schedules.models import Schedule

pytestmark = pytest.mark.django_db

MEGABYTE = 1024 * 1024


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_bodies_over_one_megabyte_are_refused(api_client, content_type):
    name = "x" * (MEGABYTE + 1)
    body = (
        json.dumps({"name": name, "type": "web", "time_zone": "UTC"})
        if content_type == "application/json"
        else f"type=web&time_zone=UTC&name={name}"
    )
    response = api_client.generic("POST", "/api/v1/schedules/", body, content_type=content_type)
    assert (response.status_code, response.json()) == (
        413,
        {"detail": "Request body exceeded the maximum size of 1048576 bytes."},
    )
    assert not Schedule.objects.exists()


def test_bodies_under_the_limit_are_read(api_client):
    body = json.dumps({"name": "x" * 200, "type": "web", "time_zone": "UTC", "pad": "y" * 900_000})
    response = api_client.generic(
        "POST", "/api/v1/schedules/", body, content_type="application/json"
    )
    assert response.status_code == 201
