"""Fixtures of the on-call events tests: a schedule whose daily rotation hands over at 09:00
UTC, a local Slack, webhooks, and runs of the detector at chosen instants."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from freezegun import freeze_time

from common.encryption import encrypted
from oncall_events.models import OnCallLogEntry, ScheduleWebhook, SlackConnection
from oncall_events.runner import run_once
from schedules import services as schedule_services
from tests.api.helpers import daily_rotation
from tests.oncall_events.fake_slack import GOOD_TOKEN, FakeSlack
from users.models import Role

# A Monday. Alice is on call from 09:00 UTC on even days from it, Bob on odd ones.
MONDAY = datetime(2026, 1, 5, tzinfo=UTC)


def at(day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An instant `day` days after MONDAY (0 is MONDAY itself)."""
    return MONDAY.replace(day=MONDAY.day + day, hour=hour, minute=minute)


@pytest.fixture
def make_user_then(make_user):
    """Users made on MONDAY: a user write dates an edit (users_changed_at)."""

    def make(username: str, **fields):
        with freeze_time(at(0)):
            return make_user(username, Role.EDITOR, **fields)

    return make


@pytest.fixture
def alice(make_user_then):
    return make_user_then("alice", slack_user_id="UALICE")


@pytest.fixture
def bob(make_user_then):
    return make_user_then("bob", slack_user_id="UBOB")


@pytest.fixture
def rotation(organization, alice, bob):
    return daily_rotation(organization, [alice, bob], datetime(2026, 1, 5, 9, 0, tzinfo=UTC))


@pytest.fixture
def schedule(organization, rotation):
    with freeze_time(at(0, 8)):
        return schedule_services.schedule_create(
            organization=organization,
            schedule_type="calendar",
            name="Primary",
            time_zone="UTC",
            shifts=[rotation],
            slack_channel_id="C0HANDOFF",
            slack_user_group_id="S0ONCALL",
        )


@pytest.fixture
def fake_slack(settings) -> Iterator[FakeSlack]:
    slack = FakeSlack().start()
    settings.SLACK_API_URL = slack.url
    try:
        yield slack
    finally:
        slack.stop()


@pytest.fixture
def slack_connected(organization, fake_slack):
    return SlackConnection.objects.create(
        organization=organization,
        team_id="T0TEAM",
        encrypted_token=encrypted(GOOD_TOKEN),
        connected_at=at(0),
    )


@pytest.fixture
def webhook(organization, httpserver):
    return ScheduleWebhook.objects.create(
        organization=organization,
        url=httpserver.url_for("/hook"),
        event_types=["oncall.changed", "schedule.gaps"],
        encrypted_secret=encrypted("s3cret"),
    )


def run_at(instant: datetime):
    with freeze_time(instant):
        return run_once(instant)


def log_of(schedule) -> list[tuple[datetime, list[str], str]]:
    return [
        (entry.at, entry.user_ids, entry.reason)
        for entry in OnCallLogEntry.objects.filter(schedule=schedule).order_by("at")
    ]
