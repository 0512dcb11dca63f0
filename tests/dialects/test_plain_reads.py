"""The plain views of Signal's `current` and Instatus's `/members` answer their plain requests
exactly as the DRF views do, and leave every other request to them."""

from unittest import mock

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from dialects.views import DialectViewSet
from tests.dialects.seeds import INSTATUS, SIGNAL, SIGNAL_ROTATION, instatus_shift
from users import services
from users.models import Role

pytestmark = pytest.mark.django_db


NOW = "2024-01-15T12:00:00Z"


@pytest.fixture
def paths(client, people) -> dict[str, str]:
    signal = client.post(SIGNAL, SIGNAL_ROTATION, format="json").json()["data"]["id"]
    body = {"name": "S", "onCallShifts": [instatus_shift([people["john"].public_id])]}
    instatus = client.post(INSTATUS, body, format="json").json()["id"]
    return {
        "signal": f"{SIGNAL}/{signal}/current",
        "signal bare id": f"{SIGNAL}/{signal.removeprefix('sched_')}/current/",
        "instatus": f"{INSTATUS}/{instatus}/members",
        "instatus v1": f"/v1{INSTATUS}/{instatus}/members/",
        "signal asking for instatus": f"{SIGNAL}/{instatus}/current",
        "instatus asking for signal": f"{INSTATUS}/{signal.removeprefix('sched_')}/members",
    }


@pytest.fixture
def headers_of(admin, make_user, other_organization):
    def headers(caller: str) -> dict:
        if caller == "no token":
            return {}
        if caller == "wrong token":
            return {"Authorization": "Bearer " + "0" * 64}
        user = {
            "admin": admin,
            "viewer": make_user("viewer", Role.VIEWER),
            "no role": make_user("nobody", Role.NONE),
            "stranger": make_user("stranger", org=other_organization),
        }[caller.removesuffix(" key")]
        token = services.api_token_create(user=user, name="test")[1]
        if caller.endswith(" key"):
            return {"X-API-Key": token}
        return {"Authorization": f"Bearer {token}"}

    return headers


def answered(method: str, path: str, headers: dict) -> tuple:
    """(whether a DRF view ran, status, headers, body); a new client each time."""
    client = APIClient()
    with mock.patch.object(
        DialectViewSet, "initial", autospec=True, side_effect=DialectViewSet.initial
    ) as view_ran:
        response = getattr(client, method)(path, headers={**headers, "X-Request-ID": "same"})
    return view_ran.called, response.status_code, dict(response.headers), response.content


# (route, caller, method, headers, answered by the plain view)
REQUESTS = [
    ("signal", "admin", "get", {}, True),
    ("signal bare id", "admin", "get", {"Accept": "application/json"}, True),
    ("signal", "admin key", "get", {}, True),
    ("signal", "viewer", "get", {}, True),
    ("signal", "admin", "get", {"Accept": "text/html"}, False),
    ("signal", "admin", "head", {}, False),
    ("signal", "admin", "post", {}, False),
    ("signal", "no token", "get", {}, False),
    ("signal", "wrong token", "get", {}, False),
    ("signal", "no role", "get", {}, False),
    ("signal", "stranger", "get", {}, False),
    ("signal asking for instatus", "admin", "get", {}, False),
    ("instatus", "admin", "get", {}, True),
    ("instatus v1", "admin", "get", {"Accept": "*/*"}, True),
    ("instatus", "viewer", "get", {}, True),
    ("instatus", "admin key", "get", {}, False),
    ("instatus", "admin", "get", {"Accept": "text/html"}, False),
    ("instatus", "wrong token", "get", {}, False),
    ("instatus", "stranger", "get", {}, False),
    ("instatus asking for signal", "admin", "get", {}, False),
]


@pytest.mark.parametrize(("route", "caller", "method", "extra", "by_plain_view"), REQUESTS)
def test_the_plain_view_answers_as_the_drf_view_does(
    paths, headers_of, route, caller, method, extra, by_plain_view
):
    headers = {**headers_of(caller), **extra}

    ran_view, *answer = answered(method, paths[route], headers)
    with override_settings(ROOT_URLCONF="tests.dialects.drf_only_urls"):
        view_ran_alone, *view_answer = answered(method, paths[route], headers)

    assert (ran_view, view_ran_alone) == (not by_plain_view, True)
    assert answer == view_answer
