"""The routes: `GET /api/v1/schedules/{id}/oncall_log`, `/api/v1/schedule_webhooks/` and
`/api/v1/slack_connection/` (admins only; the token never comes back)."""

import pytest
from freezegun import freeze_time
from werkzeug import Response

from common.encryption import decrypted
from oncall_events.models import ScheduleWebhook, SlackConnection
from tests.api.helpers import NO_PERMISSION, NOT_FOUND
from tests.oncall_events.conftest import at, run_at
from tests.oncall_events.fake_slack import GOOD_TOKEN
from users.models import Role

pytestmark = pytest.mark.django_db

API = "/api/v1"


def user_body(user) -> dict:
    return {"id": user.public_id, "username": user.username, "email": user.email}


def test_the_oncall_log_lists_the_periods_that_meet_the_window(api_client, schedule, alice, bob):
    run_at(at(0, 10))
    run_at(at(2, 10))
    url = f"{API}/schedules/{schedule.public_id}/oncall_log"
    response = api_client.get(url, {"start_date": "2026-01-06T10:00", "end_date": "2026-01-07"})
    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "start": "2026-01-06T09:00:00Z",
                "end": "2026-01-07T09:00:00Z",
                "reason": "rotation",
                "users": [user_body(bob)],
            }
        ],
        "current_page_number": 1,
        "page_size": 50,
        "total_pages": 1,
    }
    response = api_client.get(f"{url}/", {"start_date": "2026-01-05", "end_date": "2026-01-09"})
    assert [(p["start"], p["end"], p["reason"]) for p in response.json()["results"]] == [
        ("2026-01-05T10:00:00Z", "2026-01-06T09:00:00Z", "start"),
        ("2026-01-06T09:00:00Z", "2026-01-07T09:00:00Z", "rotation"),
        ("2026-01-07T09:00:00Z", None, "rotation"),
    ]


def test_the_oncall_log_pages_as_upstream_lists(api_client, schedule):
    run_at(at(0, 10))
    run_at(at(4, 10))
    url = f"{API}/schedules/{schedule.public_id}/oncall_log/"
    response = api_client.get(
        url, {"start_date": "2026-01-05", "end_date": "2026-01-10", "perpage": 2, "page": 2}
    )
    body = response.json()
    assert (body["count"], body["total_pages"], body["current_page_number"]) == (5, 3, 2)
    assert [period["start"] for period in body["results"]] == [
        "2026-01-07T09:00:00Z",
        "2026-01-08T09:00:00Z",
    ]
    assert body["results"][1]["end"] == "2026-01-09T09:00:00Z"
    assert body["next"].endswith("page=3&perpage=2&start_date=2026-01-05")


def test_the_oncall_log_validates_its_window(api_client, schedule):
    url = f"{API}/schedules/{schedule.public_id}/oncall_log"
    assert api_client.get(url).json() == {
        "start_date": ["This field is required."],
        "end_date": ["This field is required."],
    }
    response = api_client.get(url, {"start_date": "2026-01-07", "end_date": "2026-01-05"})
    assert response.status_code == 400


def test_webhooks_are_for_admins(make_user, make_client):
    editor = make_client(make_user("ed", Role.EDITOR))
    assert editor.get(f"{API}/schedule_webhooks/").json() == NO_PERMISSION
    assert editor.get(f"{API}/slack_connection/").status_code == 403


def test_a_webhook_is_created_with_a_secret_shown_once(api_client, schedule, httpserver):
    body = {
        "url": httpserver.url_for("/hook"),
        "schedule_id": schedule.public_id,
        "event_types": ["oncall.changed"],
    }
    response = api_client.post(f"{API}/schedule_webhooks/", body, format="json")
    assert response.status_code == 201
    created = response.json()
    webhook = ScheduleWebhook.objects.get()
    assert decrypted(webhook.encrypted_secret) == created.pop("secret")
    assert created == {
        "id": webhook.public_id,
        "url": body["url"],
        "schedule_id": schedule.public_id,
        "event_types": ["oncall.changed"],
        "created_at": created["created_at"],
    }
    detail = api_client.get(f"{API}/schedule_webhooks/{webhook.public_id}").json()
    assert detail == created
    response = api_client.patch(
        f"{API}/schedule_webhooks/{webhook.public_id}/",
        {"schedule_id": None, "event_types": ["schedule.gaps", "oncall.changed"]},
        format="json",
    )
    assert (response.json()["schedule_id"], response.json()["event_types"]) == (
        None,
        ["schedule.gaps", "oncall.changed"],
    )
    assert api_client.delete(f"{API}/schedule_webhooks/{webhook.public_id}").status_code == 204
    assert api_client.get(f"{API}/schedule_webhooks/{webhook.public_id}").json() == NOT_FOUND


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"url": "http://169.254.169.254/latest", "event_types": ["oncall.changed"]},
            {"url": ["URL not allowed: 169.254.169.254 resolves to a link-local address"]},
        ),
        (
            {"url": "ftp://example.com/", "event_types": ["oncall.changed"]},
            {"url": ["URL not allowed: only http and https"]},
        ),
        (
            {"url": "http://127.0.0.1/hook", "event_types": ["alert.fired"]},
            {"event_types": {"0": ['"alert.fired" is not a valid choice.']}},
        ),
        (
            {"url": "http://127.0.0.1/hook", "event_types": []},
            {"event_types": ["This list may not be empty."]},
        ),
        (
            {"url": "http://127.0.0.1/hook", "event_types": ["oncall.changed"], "secret": "short"},
            {"secret": ["Ensure this field has at least 16 characters."]},
        ),
        (
            {
                "url": "http://127.0.0.1/hook",
                "event_types": ["oncall.changed"],
                "schedule_id": "S1",
            },
            {"schedule_id": ["Object does not exist"]},
        ),
    ],
)
def test_a_bad_webhook_is_refused(api_client, body, errors):
    response = api_client.post(f"{API}/schedule_webhooks/", body, format="json")
    assert (response.status_code, response.json()) == (400, errors)
    assert not ScheduleWebhook.objects.exists()


def test_a_webhook_can_be_sent_a_test_event_and_its_deliveries_read(api_client, httpserver):
    httpserver.expect_request("/hook", method="POST").respond_with_response(Response("", 200))
    body = {"url": httpserver.url_for("/hook"), "event_types": ["schedule.gaps"]}
    webhook = api_client.post(f"{API}/schedule_webhooks/", body, format="json").json()
    response = api_client.post(f"{API}/schedule_webhooks/{webhook['id']}/test/")
    assert response.status_code == 200
    delivery = response.json()
    assert (delivery["event_type"], delivery["state"], delivery["last_status_code"]) == (
        "webhook.test",
        "delivered",
        200,
    )
    ((request, _),) = httpserver.log
    assert request.json["data"] == {"webhook_id": webhook["id"]}
    listed = api_client.get(f"{API}/schedule_webhooks/{webhook['id']}/deliveries").json()
    assert [item["id"] for item in listed["results"]] == [delivery["id"]]


def test_slack_is_connected_with_a_token_that_never_comes_back(
    api_client, organization, fake_slack
):
    assert api_client.get(f"{API}/slack_connection").json() == {
        "detail": "Slack isn't connected to this workspace"
    }
    with freeze_time(at(0)):
        response = api_client.put(
            f"{API}/slack_connection/", {"bot_token": GOOD_TOKEN}, format="json"
        )
    assert response.status_code == 200
    assert response.json() == {
        "team_id": "T0TEAM",
        "team_name": "Acme",
        "bot_user_id": "U0BOT",
        "connected_at": "2026-01-05T00:00:00Z",
        "revoked_at": None,
        "rate_limited_until": None,
        "last_error": None,
        "last_error_at": None,
        "schedule_errors": [],
    }
    connection = SlackConnection.objects.get()
    assert GOOD_TOKEN not in connection.encrypted_token
    assert decrypted(connection.encrypted_token) == GOOD_TOKEN
    organization.refresh_from_db()
    assert organization.slack_team_id == "T0TEAM"
    assert GOOD_TOKEN not in api_client.get(f"{API}/slack_connection").content.decode()
    assert api_client.delete(f"{API}/slack_connection").status_code == 204
    assert not SlackConnection.objects.exists()


def test_a_token_slack_refuses_is_a_field_error(api_client, fake_slack):
    response = api_client.post(f"{API}/slack_connection", {"bot_token": "xoxb-bad"}, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"bot_token": ["Slack did not accept the token: invalid_auth"]},
    )
