"""The plain views of `current_oncall` and `final_shifts` answer their plain requests exactly as
the DRF view does, and leave every other request to the view."""

import json
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from freezegun import freeze_time
from rest_framework.request import Request
from rest_framework.test import APIClient

from apikit.throttling import UserRateThrottle
from schedules.api.views import ScheduleViewSet
from tests.api.helpers import NOT_FOUND, UNKNOWN_IDS
from users import services
from users.api.permissions import RolePermission
from users.models import Role, User

pytestmark = pytest.mark.django_db

WINDOW = "start_date=2026-03-24&end_date=2026-03-26"
NOW = "2026-03-24T10:00:00Z"
WRONG_TOKEN = "0" * 64


@pytest.fixture(autouse=True)
def clock():
    with freeze_time(NOW):
        yield


def answered(token: str, method: str, path: str, headers: dict) -> tuple:
    """(whether the DRF view ran, status, headers, body) of one request.

    A new client each time: a client's handler builds its middleware chain once. Both answers
    carry the request id sent."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=token, HTTP_X_REQUEST_ID="differential")
    with mock.patch.object(
        ScheduleViewSet, "initial", autospec=True, side_effect=ScheduleViewSet.initial
    ) as view_ran:
        response = getattr(client, method)(path, headers=headers)
    return view_ran.called, response.status_code, dict(response.headers), response.content


def view_only():
    return override_settings(ROOT_URLCONF="tests.api.drf_only_urls")


def token_of(user: User) -> str:
    return services.api_token_create(user=user, name="test")[1]


@pytest.fixture
def caller_token(make_user, admin):
    def token(caller: str) -> str:
        if caller == "wrong token":
            return WRONG_TOKEN
        if caller == "no role":
            return token_of(make_user("nobody", Role.NONE))
        if caller == "inactive":
            user = make_user("left")
            raw = token_of(user)
            services.user_update(user=user, is_active=False)
            return raw
        return token_of(admin)

    return token


# (caller, method, path after the schedule's URL, headers, answered by the plain view)
REQUESTS = [
    ("admin", "get", "current_oncall/", {}, True),
    ("admin", "get", "current_oncall", {}, True),
    ("admin", "get", "current_oncall/", {"Accept": "*/*"}, True),
    ("admin", "get", "current_oncall/", {"Accept": "application/json"}, True),
    ("admin", "get", "current_oncall/", {"Accept": "text/html"}, False),
    ("admin", "get", "current_oncall/?format=json", {}, False),
    ("admin", "get", "current_oncall/?format=xml", {}, False),
    ("admin", "head", "current_oncall/", {}, False),
    ("admin", "options", "current_oncall/", {}, False),
    ("admin", "post", "current_oncall/", {}, False),
    ("admin", "get", "next_oncall/", {}, False),
    ("admin", "get", f"final_shifts/?{WINDOW}", {}, True),
    ("admin", "get", f"final_shifts?{WINDOW}", {"Accept-Encoding": "gzip"}, True),
    ("admin", "get", f"final_shifts/?{WINDOW}&page=2&perpage=10", {}, True),
    ("admin", "get", f"final_shifts/?{WINDOW}", {"Accept": "text/html"}, False),
    ("admin", "get", f"final_shifts/?{WINDOW}&format=json", {}, False),
    ("admin", "get", "final_shifts/", {}, False),
    ("admin", "get", "final_shifts/?start_date=2026-03-26&end_date=2026-03-24", {}, False),
    ("admin", "get", "final_shifts/?start_date=2026-03-24T25:00&end_date=2026-03-26", {}, False),
    ("admin", "head", f"final_shifts/?{WINDOW}", {}, False),
    ("no role", "get", f"final_shifts/?{WINDOW}", {}, False),
    ("wrong token", "get", f"final_shifts/?{WINDOW}", {}, False),
    ("wrong token", "get", "current_oncall/", {}, False),
    ("no role", "get", "current_oncall/", {}, False),
    ("inactive", "get", "current_oncall/", {}, False),
]


@pytest.mark.parametrize(("caller", "method", "route", "headers", "by_plain_view"), REQUESTS)
def test_the_plain_view_answers_as_the_drf_view_does(
    caller_token, schedule, caller, method, route, headers, by_plain_view
):
    token = caller_token(caller)
    path = f"/api/v1/schedules/{schedule['id']}/{route}"

    ran_view, *answer = answered(token, method, path, headers)
    with view_only():
        _, *view_answer = answered(token, method, path, headers)

    assert ran_view is not by_plain_view
    assert answer == view_answer


# An id the route's pattern refuses never reaches the view: Django's own 404 answers.
@pytest.mark.parametrize(
    ("schedule_id", "view_runs"),
    [("foreign", True), (UNKNOWN_IDS["schedules"], True), ("bad.id", False)],
)
def test_a_schedule_the_caller_cannot_see_is_not_found(
    admin, make_user, other_organization, schedule_id, view_runs, request
):
    token = token_of(admin)
    if schedule_id == "foreign":
        token = token_of(make_user("stranger", org=other_organization))
        schedule_id = request.getfixturevalue("schedule")["id"]
    path = f"/api/v1/schedules/{schedule_id}/current_oncall/"

    ran_view, status, _, body = answered(token, "get", path, {})

    assert (ran_view, status, json.loads(body)) == (view_runs, 404, NOT_FOUND)


def test_the_plain_view_counts_requests_against_the_callers_throttle(admin, schedule, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"public_api": "2/minute"})
    cache.clear()  # the writes that built the schedule
    path = f"/api/v1/schedules/{schedule['id']}/current_oncall/"
    token = token_of(admin)

    answers = [answered(token, "get", path, {}) for _ in range(3)]

    assert [(ran_view, status) for ran_view, status, _, _ in answers] == [
        (False, 200),
        (False, 200),
        (True, 429),
    ]
    assert answers[2][2]["Retry-After"] == "60"


def test_a_query_left_to_the_view_is_counted_once(admin, schedule, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"public_api": "2/minute"})
    cache.clear()  # the writes that built the schedule
    path = f"/api/v1/schedules/{schedule['id']}/final_shifts/"
    token = token_of(admin)

    answers = [
        answered(token, "get", f"{path}?{query}", {})
        for query in ("start_date=nonsense", WINDOW, WINDOW)
    ]

    assert [(ran_view, status) for ran_view, status, _, _ in answers] == [
        (True, 400),
        (False, 200),
        (True, 429),
    ]


SEEN = []


class RecordingMiddleware:
    """The last middleware of the stack: records each request it sees."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        SEEN.append(request.path)
        return self.get_response(request)


def test_every_middleware_sees_the_plain_reads(admin, schedule):
    path = f"/api/v1/schedules/{schedule['id']}/current_oncall/"
    SEEN.clear()
    with override_settings(MIDDLEWARE=[*settings.MIDDLEWARE, f"{__name__}.RecordingMiddleware"]):
        ran_view, status, _, _ = answered(token_of(admin), "get", path, {})

    assert (ran_view, status, SEEN) == (False, 200, [path])


def test_permission_and_throttle_see_a_request_of_drf(admin, schedule, monkeypatch):
    seen = []

    def record(cls, name):
        checked = getattr(cls, name)

        def check(self, request, view):
            seen.append((cls.__name__, type(request)))
            return checked(self, request, view)

        monkeypatch.setattr(cls, name, check)

    record(RolePermission, "has_permission")
    record(UserRateThrottle, "allow_request")
    path = f"/api/v1/schedules/{schedule['id']}/current_oncall/"

    ran_view, status, _, _ = answered(token_of(admin), "get", path, {})

    assert (ran_view, status) == (False, 200)
    assert seen == [("RolePermission", Request), ("UserRateThrottle", Request)]
