"""`final_shifts` answers the windows inside one block of time from one resolution of the block,
with the rows that resolving each window itself gives."""

from datetime import UTC, datetime, timedelta

import pytest

from schedules.models import Schedule
from shifts import engine
from tests.api.helpers import created as post
from timeline import final_shift_rows
from timeline.resolution import block_events
from timeline.sources import OnCallUsers
from timeline.windows import block_around

pytestmark = pytest.mark.django_db

T0 = datetime(2030, 1, 7, tzinfo=UTC)


def rotation(users, *, level: int, start: str, frequency: str = "weekly", **fields) -> dict:
    return {
        "type": "rolling_users",
        "frequency": frequency,
        "level": level,
        "start": start,
        "duration": {"weekly": 7, "daily": 1}[frequency] * 24 * 3600,
        "rolling_users": [[user.public_id] for user in users],
        "start_rotation_from_user_index": 0,
        "week_start": "MO",
        **fields,
    }


@pytest.fixture
def schedule(api_client, make_user) -> Schedule:
    """Two rotation levels that hand over on different days, a daytime layer and overrides."""
    users = [make_user(name) for name in ("ann", "ben", "cat", "dan")]
    bodies = [
        rotation(users[:3], level=0, start="2030-01-01T09:00:00"),
        rotation(users[1:], level=1, start="2030-01-03T18:00:00"),
        rotation(users[::2], level=2, start="2030-01-06T08:00:00", frequency="daily"),
        {
            "type": "override",
            "start": "2030-01-09T03:00:00",
            "duration": 5 * 3600,
            "users": [users[3].public_id],
        },
        {
            "type": "override",
            "start": "2030-01-20T22:00:00",
            "duration": 30 * 3600,
            "users": [users[0].public_id],
        },
    ]
    shifts = [post(api_client, "on_call_shifts", body)["id"] for body in bodies]
    body = {"name": "s", "type": "web", "time_zone": "Europe/Berlin", "shifts": shifts}
    return Schedule.objects.get(public_id=post(api_client, "schedules", body)["id"])


def resolved_alone(schedule: Schedule, window: engine.Window) -> list[tuple]:
    """The rows of `window` resolved from the block's raw events as the window itself."""
    users = OnCallUsers.of(schedule.organization)
    events = block_events(schedule, block_around(window), users)
    spans = engine.on_call_spans_within(events, window)
    return [
        (users.by_id[user_id].username, start, end)
        for start, end, user_ids in engine.clipped_spans(spans, window)
        for user_id in user_ids
    ]


def test_sliding_windows_share_one_resolution_and_answer_as_alone(schedule, monkeypatch):
    resolutions = []
    resolve_block = engine.resolve_block
    monkeypatch.setattr(
        engine, "resolve_block", lambda *args: resolutions.append(args) or resolve_block(*args)
    )
    windows = [
        engine.Window(T0 + timedelta(hours=hours), T0 + timedelta(days=20, hours=hours))
        for hours in range(0, 24 * 4, 7)
    ]
    assert len({block_around(window) for window in windows}) == 1

    for window in windows:
        rows = [
            (user.username, start, end)
            for user, start, end in final_shift_rows(schedule, window, T0).all()
        ]
        assert rows == resolved_alone(schedule, window)
        assert len(rows) > 20

    assert len(resolutions) == 1
