"""Tenant isolation: another organization's ids are unknown everywhere, and change nothing.

Complements `tests/api/test_auth.py` (detail routes and lists) with every action route, a
before/after comparison of the foreign organization's data, and foreign ids inside bodies.
"""

import pytest
from django.core import serializers

from oncall_events import services as oncall_event_services
from oncall_events.models import (
    Delivery,
    OnCallLogEntry,
    ScheduleCursor,
    ScheduleWebhook,
    SlackConnection,
)
from schedules.models import (
    CachedCalendar,
    Dialect,
    ExportToken,
    Schedule,
    ScheduleMember,
    ShiftSwap,
)
from shifts.models import OnCallShift, RestrictionWindow, Rotation, RotationMember
from tests.api.helpers import (
    NOT_FOUND,
    create_dialect_schedule,
    create_schedule,
    create_shift,
    create_swap,
    create_team,
    create_user,
)
from tests.dialects.conftest import bearer
from users.models import ApiToken, Team, User

pytestmark = pytest.mark.django_db

# Each model with the path from it to its organization.
MODELS = {
    Schedule: "organization",
    OnCallShift: "organization",
    User: "organization",
    Team: "organization",
    ApiToken: "organization",
    ExportToken: "organization",
    CachedCalendar: "schedule__organization",
    ScheduleMember: "schedule__organization",
    Rotation: "schedule__organization",
    RotationMember: "rotation__schedule__organization",
    RestrictionWindow: "rotation__schedule__organization",
    ShiftSwap: "schedule__organization",
    OnCallLogEntry: "schedule__organization",
    ScheduleCursor: "schedule__organization",
    ScheduleWebhook: "organization",
    Delivery: "organization",
    SlackConnection: "organization",
}


def snapshot(organization) -> str:
    """Every row of the organization, serialized, to compare before and after."""
    rows = []
    for model, path in MODELS.items():
        rows.extend(model.objects.filter(**{path: organization}).order_by("pk"))
    return serializers.serialize("json", rows)


@pytest.fixture
def foreign(other_organization) -> dict:
    return {
        "schedule": create_schedule(other_organization, "Theirs"),
        "shift": create_shift(other_organization, "Theirs"),
        "user": create_user(other_organization, "stranger"),
        "team": create_team(other_organization, "Their team"),
        "swap": create_swap(other_organization),
        "signal": create_dialect_schedule(other_organization, Dialect.SIGNAL),
        "webhook": oncall_event_services.webhook_create(
            organization=other_organization, url="https://example.com/hook", event_types=[]
        )[0].public_id,
    }


WINDOW = "?start_date=2030-01-01&end_date=2030-01-02"
ROUTES = [
    ("get", "schedules/{schedule}/final_shifts" + WINDOW),
    ("get", "schedules/{schedule}/current_oncall"),
    ("get", "schedules/{schedule}/previous_oncall"),
    ("get", "schedules/{schedule}/next_oncall"),
    ("get", "schedules/{schedule}/export_token"),
    ("post", "schedules/{schedule}/export_token"),
    ("delete", "schedules/{schedule}/export_token"),
    ("put", "schedules/{schedule}"),
    ("patch", "schedules/{schedule}"),
    ("delete", "schedules/{schedule}"),
    ("put", "on_call_shifts/{shift}"),
    ("delete", "on_call_shifts/{shift}"),
    ("get", "users/{user}"),
    ("patch", "users/{user}"),
    ("delete", "users/{user}"),
    ("get", "users/{user}/export_token"),
    ("post", "users/{user}/export_token"),
    ("put", "teams/{team}"),
    ("delete", "teams/{team}"),
    ("get", "schedules/{schedule}/oncall_log" + WINDOW),
    ("get", "shift_swaps/{swap}"),
    ("put", "shift_swaps/{swap}"),
    ("patch", "shift_swaps/{swap}"),
    ("delete", "shift_swaps/{swap}"),
    ("post", "shift_swaps/{swap}/take"),
    ("get", "schedule_webhooks/{webhook}"),
    ("put", "schedule_webhooks/{webhook}"),
    ("delete", "schedule_webhooks/{webhook}"),
    ("get", "schedule_webhooks/{webhook}/deliveries"),
    ("post", "schedule_webhooks/{webhook}/test"),
]


@pytest.mark.parametrize(("method", "route"), ROUTES, ids=[f"{m} {r}" for m, r in ROUTES])
def test_foreign_ids_are_404_and_change_nothing(
    api_client, other_organization, foreign, method, route
):
    before = snapshot(other_organization)
    body = {"name": "hijacked", "username": "hijacked", "start": "2030-01-01T00:00:00"}
    response = getattr(api_client, method)(
        "/api/v1/" + route.format(**foreign), body, format="json"
    )
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert snapshot(other_organization) == before


# The Signal and Instatus routes answer their own 404 bodies (tests/dialects).
DIALECT_ROUTES = [
    ("get", "/api/v1/on_call_schedules/{signal}"),
    ("get", "/api/v1/on_call_schedules/{signal}/current"),
    ("put", "/api/v1/on_call_schedules/{signal}"),
    ("delete", "/api/v1/on_call_schedules/{signal}"),
    ("get", "/on-call-schedules/{signal}"),
    ("get", "/on-call-schedules/{signal}/members"),
    ("delete", "/v1/on-call-schedules/{signal}"),
]


@pytest.mark.parametrize(
    ("method", "route"), DIALECT_ROUTES, ids=[f"{m} {r}" for m, r in DIALECT_ROUTES]
)
def test_foreign_schedules_are_unknown_to_the_dialects(
    admin, other_organization, foreign, method, route
):
    before = snapshot(other_organization)
    response = getattr(bearer(admin), method)(
        route.format(**foreign), {"name": "hijacked"}, format="json"
    )
    assert response.status_code == 404
    assert snapshot(other_organization) == before


def test_foreign_shift_ids_in_a_schedule_are_not_linked(api_client, foreign):
    for schedule_type in ("calendar", "web"):
        body = {
            "name": "x",
            "type": schedule_type,
            "time_zone": "UTC",
            "shifts": [foreign["shift"]],
        }
        response = api_client.post("/api/v1/schedules/", body, format="json")
        assert (response.status_code, response.json()["shifts"]) == (201, [])
    shift = OnCallShift.objects.get(public_id=foreign["shift"])
    assert (shift.schedule, list(shift.calendar_schedules.all())) == (None, [])


def test_foreign_team_id_does_not_exist(api_client, foreign):
    bodies = {
        "schedules": {"name": "x", "type": "web", "time_zone": "UTC", "team_id": foreign["team"]},
        "on_call_shifts": {
            "type": "single_event",
            "start": "2030-01-01T00:00:00",
            "duration": 60,
            "team_id": foreign["team"],
        },
    }
    for path, body in bodies.items():
        response = api_client.post(f"/api/v1/{path}/", body, format="json")
        assert (response.status_code, response.json()) == (
            400,
            {"team_id": ["Object does not exist"]},
        )


def test_foreign_user_ids_in_a_shift_are_never_linked(api_client, foreign):
    single = {
        "type": "single_event",
        "start": "2030-01-01T00:00:00",
        "duration": 60,
        "users": [foreign["user"]],
    }
    response = api_client.post("/api/v1/on_call_shifts/", single, format="json")
    assert (response.status_code, response.json()["users"]) == (201, [])
    rolling = {
        "type": "rolling_users",
        "frequency": "daily",
        "start": "2030-01-01T00:00:00",
        "duration": 60,
        "rolling_users": [[foreign["user"]]],
        "start_rotation_from_user_index": 0,
    }
    response = api_client.post("/api/v1/on_call_shifts/", rolling, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"rolling_users": {"0": [f"User does not exist {{'{foreign['user']}'}}"]}},
    )


def test_foreign_ids_in_user_and_token_bodies_are_refused(api_client, foreign):
    response = api_client.post(
        "/api/v1/users/",
        {"username": "x", "email": "x@example.com", "teams": [foreign["team"]]},
        format="json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {"teams": [f"Unknown team ids: {foreign['team']}"]},
    )
    response = api_client.post(
        "/api/v1/tokens/", {"name": "x", "user_id": foreign["user"]}, format="json"
    )
    assert (response.status_code, response.json()) == (400, {"user_id": ["Object does not exist"]})
