"""Run in a process of its own against the live tests' database (DATABASE_URL):

- `python -m tests.live.oncall_events_world make WEBHOOK_URL S1 [S2 …]`: an
  organization with Slack connected and a webhook, and a schedule whose on-call person changes
  S seconds after the process is ready (its start-up, however slow, is not counted), with no gap
  in the coming week; prints the schedule's and users' ids and the instants as JSON;
- `python -m tests.live.oncall_events_world log`: the on-call log and the deliveries, as JSON.
"""

import itertools
import json
import os
import sys
from datetime import UTC, datetime, timedelta


def make(webhook_url: str, instants: list[datetime]) -> dict:
    from common.encryption import encrypted
    from oncall_events.models import ScheduleWebhook, SlackConnection
    from schedules import services as schedule_services
    from schedules import shift_services
    from tests.oncall_events.fake_slack import GOOD_TOKEN
    from users import services as user_services
    from users.models import Role

    organization = user_services.organization_get_or_create(name="live")
    people = [
        user_services.user_create(
            organization=organization,
            username=name,
            email=f"{name}@example.com",
            role=Role.EDITOR,
            slack_user_id=f"U{name.upper()}",
        )
        for name in ("alice", "bob")
    ]
    # The last turn covers the week the daily gap check looks at: no warning.
    bounds = [instants[0] - timedelta(hours=1), *instants, instants[-1] + timedelta(days=8)]
    shifts = [
        shift_services.on_call_shift_create(
            organization=organization,
            name=f"turn {index}",
            type="single_event",
            start=start,
            duration=end - start,
            users=[people[index % 2]],
            time_zone="UTC",
        )
        for index, (start, end) in enumerate(itertools.pairwise(bounds))
    ]
    SlackConnection.objects.create(
        organization=organization,
        team_id="T0TEAM",
        encrypted_token=encrypted(GOOD_TOKEN),
        connected_at=datetime.now(UTC),
    )
    organization.slack_team_id = "T0TEAM"
    organization.save(update_fields=["slack_team_id"])
    ScheduleWebhook.objects.create(
        organization=organization,
        url=webhook_url,
        event_types=["oncall.changed"],
        encrypted_secret=encrypted("live-secret"),
    )
    schedule = schedule_services.schedule_create(
        organization=organization,
        schedule_type="calendar",
        name="Live",
        time_zone="UTC",
        shifts=shifts,
        slack_channel_id="C0HANDOFF",
        slack_user_group_id="S0ONCALL",
    )
    return {
        "schedule": schedule.public_id,
        "users": [user.public_id for user in people],
        "instants": [instant.isoformat() for instant in instants],
    }


def log() -> dict:
    from oncall_events.models import Delivery, OnCallLogEntry

    return {
        "log": [
            [entry.at.isoformat(), entry.user_ids, entry.reason]
            for entry in OnCallLogEntry.objects.order_by("at")
        ],
        "deliveries": [
            [delivery.channel, delivery.event_id, delivery.state, delivery.attempts]
            for delivery in Delivery.objects.order_by("id")
        ],
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncall.settings")
    import django

    django.setup()
    command, *arguments = sys.argv[1:]
    if command == "make":
        webhook_url, *offsets = arguments
        now = datetime.now(UTC).replace(microsecond=0)
        result = make(webhook_url, [now + timedelta(seconds=int(value)) for value in offsets])
    else:
        result = log()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
