"""The hours report reads the past from the on-call log where it reaches, the rest from the
schedule (docs/hours.md#where-the-hours-come-from)."""

import pytest
from freezegun import freeze_time

from schedules import services as schedule_services
from tests.api.hours_helpers import final_shifts_seconds, hours, seconds_by_user
from tests.oncall_events.conftest import at, run_at

pytestmark = pytest.mark.django_db

H = 3600
# Monday 5 to Thursday 8 January: alice from Monday 09:00, bob from Tuesday 09:00, alice again
# from Wednesday 09:00.
WINDOW = "start_date=2026-01-05&end_date=2026-01-08"
FIRST = ("2026-01-05T00:00", "2026-01-08T00:00")


@pytest.fixture
def api_client(make_user_then, make_client):
    """A reader made on MONDAY, as the other users: a user write dates an edit."""
    return make_client(make_user_then("reader"))


def logged_of(response) -> dict | None:
    return response.json()["schedules"][0]["logged"]


def test_a_past_covered_by_the_log_adds_up_to_final_shifts(api_client, schedule):
    # The log begins on Monday at 10:00 and is settled up to Thursday 10:00.
    run_at(at(0, 10))
    run_at(at(3, 10))

    with freeze_time(at(4, 12)):
        response = hours(api_client, schedule.public_id, WINDOW)
        expected = final_shifts_seconds(api_client, [schedule.public_id], *FIRST)

    assert logged_of(response) == {"start": "2026-01-05T10:00:00Z", "end": "2026-01-08T00:00:00Z"}
    assert seconds_by_user(response) == expected == {"alice": 39 * H, "bob": 24 * H}


def test_the_log_keeps_the_past_that_an_edit_rewrote(api_client, schedule):
    run_at(at(0, 10))
    run_at(at(3, 10))
    # Emptied on Thursday: the schedule no longer says anyone was ever on call.
    with freeze_time(at(3, 11)):
        schedule.refresh_from_db()  # the service saves the row it is given
        schedule_services.schedule_update(schedule=schedule, shifts=[])
    run_at(at(3, 12))

    with freeze_time(at(4, 12)):
        response = hours(api_client, schedule.public_id, WINDOW)
        rewritten = final_shifts_seconds(api_client, [schedule.public_id], *FIRST)

    assert rewritten == {}
    # Monday 09:00-10:00, before the log began, is read from the schedule as it is now.
    assert seconds_by_user(response) == {"alice": 38 * H, "bob": 24 * H}


def test_after_the_log_is_settled_the_schedule_answers(api_client, schedule):
    """The log is settled up to Tuesday 10:00; Tuesday 10:00 on is read from the schedule, which
    still says what the log would have recorded."""
    run_at(at(0, 10))
    run_at(at(1, 10))

    with freeze_time(at(2, 20)):
        response = hours(api_client, schedule.public_id, f"{WINDOW}&time_zone=Asia/Tokyo")
        expected = final_shifts_seconds(
            api_client, [schedule.public_id], "2026-01-04T15:00", "2026-01-07T15:00"
        )

    assert logged_of(response) == {"start": "2026-01-05T10:00:00Z", "end": "2026-01-06T10:00:00Z"}
    assert seconds_by_user(response) == expected


def test_a_future_window_is_the_schedules_alone(api_client, schedule):
    run_at(at(0, 10))
    run_at(at(1, 10))

    with freeze_time(at(1, 12)):
        response = hours(
            api_client, schedule.public_id, "start_date=2026-01-12&end_date=2026-01-15"
        )
        expected = final_shifts_seconds(
            api_client, [schedule.public_id], "2026-01-12T00:00", "2026-01-15T00:00"
        )

    assert logged_of(response) is None
    assert seconds_by_user(response) == expected == {"alice": 33 * H, "bob": 39 * H}
