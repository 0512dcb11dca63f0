"""Unexpected failures under /api/ answer JSON and are logged with the request's id, which the
answer carries in X-Request-ID (an incoming plain id is reused). Failures are forced at the
database, so that every route fails the same way whatever code serves it: the DRF views, the
hot on-call reads, writes."""

import io
import logging
import re
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from rest_framework.test import APIClient

from oncall.request_ids import RequestIdFilter
from tests.api.helpers import API

pytestmark = pytest.mark.django_db

INTERNAL_ERROR = {"detail": "Internal server error"}
UNAVAILABLE = {"detail": "Service temporarily unavailable"}
NEW_ID = re.compile(r"[0-9a-f]{32}")
WINDOW = "start_date=2026-03-24&end_date=2026-03-26"


@contextmanager
def queries_fail(table: str, error: Exception):
    """Every query naming `table` raises `error`."""

    def execute(run, sql, params, many, context):
        if table in sql:
            raise error
        return run(sql, params, many, context)

    with connection.execute_wrapper(execute):
        yield


@pytest.fixture
def log_lines():
    """What the service's own log handler writes during the test."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, RequestIdFilter) for f in handler.filters)
    ]
    assert handlers, "the console handler carries the request id filter"
    written = io.StringIO()
    previous = [handler.setStream(written) for handler in handlers]
    yield written
    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)


@pytest.fixture
def client(admin, make_client) -> APIClient:
    client = make_client(admin)
    client.raise_request_exception = False
    return client


def routes(schedule_id: str) -> dict[str, tuple[str, str, dict | None]]:
    schedule = f"{API}/schedules/{schedule_id}"
    return {
        "list": ("get", f"{API}/schedules/", None),
        "detail": ("get", f"{schedule}/", None),
        "current_oncall": ("get", f"{schedule}/current_oncall/", None),
        "final_shifts": ("get", f"{schedule}/final_shifts/?{WINDOW}", None),
        "next_oncall": ("get", f"{schedule}/next_oncall/", None),
        "update": ("patch", f"{schedule}/", {"name": "renamed"}),
        "create": (
            "post",
            f"{API}/schedules/",
            {"name": "new", "type": "calendar", "time_zone": "UTC"},
        ),
    }


ROUTES = list(routes(""))


def send(client: APIClient, route: str, schedule: dict, **headers):
    method, path, body = routes(schedule["id"])[route]
    return getattr(client, method)(path, body, format="json", headers=headers)


@pytest.mark.parametrize("route", ROUTES)
def test_an_unexpected_exception_answers_json_500_and_is_logged_with_the_request_id(
    client, schedule, log_lines, route
):
    with queries_fail("schedules_schedule", RuntimeError("forced failure")):
        response = send(client, route, schedule)

    assert (response.status_code, response.json()) == (500, INTERNAL_ERROR)
    assert response["Content-Type"] == "application/json"
    request_id = response["X-Request-ID"]
    assert NEW_ID.fullmatch(request_id)
    logged = log_lines.getvalue()
    assert f"ERROR django.request [{request_id}] Internal Server Error: /api/v1/" in logged
    assert "RuntimeError: forced failure" in logged


@pytest.mark.parametrize("route", ROUTES)
def test_an_incoming_request_id_is_reused(client, schedule, log_lines, route):
    with queries_fail("schedules_schedule", RuntimeError("forced failure")):
        response = send(client, route, schedule, **{"X-Request-ID": "terraform-42.a:b"})

    assert (response.status_code, response["X-Request-ID"]) == (500, "terraform-42.a:b")
    assert "[terraform-42.a:b] Internal Server Error" in log_lines.getvalue()


@pytest.mark.parametrize("route", ROUTES)
def test_a_database_that_cannot_serve_answers_json_503(client, schedule, log_lines, route):
    with queries_fail("schedules_schedule", OperationalError("the database is restarting")):
        response = send(client, route, schedule)

    assert (response.status_code, response.json()) == (503, UNAVAILABLE)
    assert response["Retry-After"] == "1"
    assert f"[{response['X-Request-ID']}] Service Unavailable" in log_lines.getvalue()


def test_views_answer_json_with_debug_on(client, schedule, settings):
    settings.DEBUG = True
    with queries_fail("schedules_schedule", RuntimeError("forced failure")):
        response = send(client, "detail", schedule)

    assert (response.status_code, response.json()) == (500, INTERNAL_ERROR)


@pytest.mark.parametrize("route", ["list", "current_oncall", "final_shifts"])
def test_every_answer_carries_a_request_id(client, schedule, route):
    assert NEW_ID.fullmatch(send(client, route, schedule)["X-Request-ID"])
    reused = send(client, route, schedule, **{"X-Request-ID": "abc"})
    assert (reused.status_code, reused["X-Request-ID"]) == (200, "abc")


@pytest.mark.parametrize(
    "incoming", ["", "x" * 129, "has space", "line\nbreak", "ünïcode", "semi;colon"]
)
def test_an_id_that_is_not_a_plain_token_is_replaced(client, schedule, incoming):
    response = send(client, "list", schedule, **{"X-Request-ID": incoming})
    assert NEW_ID.fullmatch(response["X-Request-ID"])


def test_client_errors_keep_their_answers(client, schedule):
    response = client.get(f"{API}/schedules/SAAAAAAAAAAAA/")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})
    assert NEW_ID.fullmatch(response["X-Request-ID"])
