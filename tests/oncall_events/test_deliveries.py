"""What acts on a change: the Slack user group and handoff post, webhook deliveries signed and
retried, gap warnings; Slack's errors never crash a run nor block another schedule."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from freezegun import freeze_time
from werkzeug import Response

from oncall_events.models import Delivery, ScheduleCursor, SlackConnection
from schedules import services as schedule_services
from schedules import shift_services
from tests.oncall_events.conftest import at, run_at
from users import services as user_services
from users.models import Role

pytestmark = pytest.mark.django_db


def slack_calls(fake_slack) -> list[tuple[str, dict]]:
    return [
        (call["method"], call["arguments"])
        for call in fake_slack.calls
        if call["method"] != "auth.test"
    ]


def test_a_handoff_sets_the_user_group_and_posts_once(schedule, slack_connected, fake_slack):
    run_at(at(0, 10))
    assert slack_calls(fake_slack) == [
        ("usergroups.users.update", {"usergroup": "S0ONCALL", "users": "UALICE"})
    ]
    fake_slack.calls.clear()
    run_at(at(1, 9, 1))
    run_at(at(1, 9, 2))
    calls = slack_calls(fake_slack)
    assert [method for method, _ in calls] == ["chat.postMessage", "usergroups.users.update"]
    post = calls[0][1]
    assert post["channel"] == "C0HANDOFF"
    assert post["text"] == (
        "*Primary*: on call since <!date^1767690000^{date_short_pretty} {time}|2026-01-06 09:00"
        " UTC>: <@UBOB> (rotation)\n"
        "Next, from <!date^1767776400^{date_short_pretty} {time}|2026-01-07 09:00 UTC>: <@UALICE>"
    )
    assert calls[1][1] == {"usergroup": "S0ONCALL", "users": "UBOB"}


def test_nobody_on_call_disables_the_group_and_filling_it_enables_it(
    schedule, rotation, alice, slack_connected, fake_slack
):
    run_at(at(0, 10))
    with freeze_time(at(0, 11)):
        shift_services.on_call_shift_update(shift=rotation, rolling_users=[[], []])
    fake_slack.calls.clear()
    run_at(at(0, 12))
    # Slack refuses to empty a group with usergroups.users.update
    assert slack_calls(fake_slack) == [
        ("chat.postMessage", slack_calls(fake_slack)[0][1]),
        ("usergroups.disable", {"usergroup": "S0ONCALL"}),
    ]
    with freeze_time(at(0, 13)):
        shift_services.on_call_shift_update(shift=rotation, rolling_users=[[alice.public_id]])
    fake_slack.calls.clear()
    run_at(at(0, 14))
    assert slack_calls(fake_slack)[1:] == [
        ("usergroups.enable", {"usergroup": "S0ONCALL"}),
        ("usergroups.users.update", {"usergroup": "S0ONCALL", "users": "UALICE"}),
    ]


def test_a_rate_limit_waits_as_long_as_slack_asks(schedule, slack_connected, fake_slack):
    fake_slack.script = lambda method, arguments: (
        (429, {"Retry-After": "120"}, {"ok": False, "error": "ratelimited"})
        if method == "usergroups.users.update"
        else None
    )
    run_at(at(0, 10))
    delivery = Delivery.objects.get(channel="slack_user_group")
    assert (delivery.state, delivery.next_attempt_at, delivery.last_error) == (
        "pending",
        at(0, 10, 2),
        "Slack: ratelimited",
    )
    assert SlackConnection.objects.get().rate_limited_until == at(0, 10, 2)
    fake_slack.script = lambda method, arguments: None
    run_at(at(0, 10, 1))
    assert Delivery.objects.get(pk=delivery.pk).state == "pending"
    run_at(at(0, 10, 2))
    assert Delivery.objects.get(pk=delivery.pk).state == "delivered"


def test_an_unknown_channel_is_recorded_on_the_schedule_and_others_go_on(
    organization, schedule, slack_connected, fake_slack
):
    schedule.refresh_from_db()
    schedule_services.schedule_update(schedule=schedule, slack_channel_id="C0GONE")
    run_at(at(0, 10))
    run_at(at(1, 10))
    post = Delivery.objects.get(channel="slack_post")
    assert (post.state, post.last_error) == ("failed", "Slack: channel_not_found")
    cursor = ScheduleCursor.objects.get(schedule=schedule)
    assert cursor.slack_error == "Slack: channel_not_found"
    assert list(
        Delivery.objects.filter(channel="slack_user_group").values_list("state", flat=True)
    ) == ["delivered", "delivered"]


def test_a_revoked_token_stops_slack_until_connected_again(schedule, slack_connected, fake_slack):
    fake_slack.script = lambda method, arguments: (200, {}, {"ok": False, "error": "token_revoked"})
    run_at(at(0, 10))
    connection = SlackConnection.objects.get()
    assert (connection.revoked_at, connection.last_error) == (at(0, 10), "Slack: token_revoked")
    fake_slack.calls.clear()
    run_at(at(1, 10))
    assert slack_calls(fake_slack) == []
    assert not Delivery.objects.filter(state="pending").exists()


def verified(request, secret: str) -> dict:
    """What a receiver does (README): check the signature of "<timestamp>.<body>"."""
    parts = dict(part.split("=", 1) for part in request.headers["X-OnCall-Signature"].split(","))
    signed = f"{parts['t']}.".encode() + request.get_data()
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected)
    return json.loads(request.get_data())


def test_a_webhook_gets_each_change_signed(schedule, webhook, httpserver, alice, bob):
    received = []

    def receive(request):
        received.append(verified(request, "s3cret"))
        return Response("", 204)

    httpserver.expect_request("/hook", method="POST").respond_with_handler(receive)
    run_at(at(0, 10))
    run_at(at(1, 9, 30))
    assert [event["type"] for event in received] == ["oncall.changed", "oncall.changed"]
    assert received[1]["data"] == {
        "schedule": {"id": schedule.public_id, "name": "Primary"},
        "at": "2026-01-06T09:00:00Z",
        "reason": "rotation",
        "users": [{"id": bob.public_id, "username": "bob", "email": "bob@example.com"}],
        "previous_users": [
            {"id": alice.public_id, "username": "alice", "email": "alice@example.com"}
        ],
        "next": {
            "at": "2026-01-07T09:00:00Z",
            "users": [{"id": alice.public_id, "username": "alice", "email": "alice@example.com"}],
        },
    }


def test_a_receiver_that_fails_three_times_then_accepts_gets_it_once(schedule, webhook, httpserver):
    answers = iter([500, 502, 503, 200, 200])
    seen = []

    def receive(request):
        seen.append(request.headers["X-OnCall-Delivery"])
        return Response("", next(answers))

    httpserver.expect_request("/hook", method="POST").respond_with_handler(receive)
    # attempts at 10:00, then after 30 s, 1 min and 2 min of backoff
    for instant in [at(0, 10), at(0, 10, 0), at(0, 10, 1), at(0, 10, 2), at(0, 10, 4), at(0, 11)]:
        run_at(instant.replace(second=30) if instant == at(0, 10, 0) else instant)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("delivered", 4, 200)
    assert seen == [delivery.public_id] * 4


def test_a_daily_warning_names_the_gaps_and_empty_shifts_of_the_week(
    schedule, rotation, webhook, httpserver, slack_connected, fake_slack, make_user_then
):
    received = []
    httpserver.expect_request("/hook", method="POST").respond_with_handler(
        lambda request: received.append(json.loads(request.get_data())) or Response("", 204)
    )
    viewer = make_user_then("victor")
    with freeze_time(at(0, 1)):
        # Bob's turns become Victor's, who cannot be on call: empty shifts.
        shift_services.on_call_shift_update(
            shift=rotation,
            rolling_users=[[rotation.rolling_users[0][0]], [viewer.public_id]],
            duration=timedelta(hours=20),
        )
        user_services.user_update(user=viewer, role=Role.VIEWER)
    run_at(at(0, 8))  # before the check's hour
    assert [event["type"] for event in received] == ["oncall.changed"]
    run_at(at(0, 9, 30))
    run_at(at(0, 12))
    gaps = [event for event in received if event["type"] == "schedule.gaps"]
    assert len(gaps) == 1
    data = gaps[0]["data"]
    assert data["window"] == {"start": "2026-01-05T09:30:00Z", "end": "2026-01-12T09:30:00Z"}
    assert data["gaps"][:2] == [
        {"start": "2026-01-06T05:00:00Z", "end": "2026-01-06T09:00:00Z"},
        {"start": "2026-01-07T05:00:00Z", "end": "2026-01-07T09:00:00Z"},
    ]
    assert data["empty_shifts"][0] == {
        "start": "2026-01-06T09:00:00Z",
        "end": "2026-01-07T05:00:00Z",
        "shift_id": rotation.public_id,
    }
    posts = [call["arguments"]["text"] for call in fake_slack.calls if "text" in call["arguments"]]
    assert posts[-1].startswith(":warning: *Primary* has trouble in the next 7 days:")
    run_at(at(1, 9, 30))
    assert len([event for event in received if event["type"] == "schedule.gaps"]) == 2
