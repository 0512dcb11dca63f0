"""The demo organization: six people in three zones, two teams, a follow-the-sun rotation, a
weekly primary and secondary, overrides next week and one gap; made once."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

import timeline
from pages.demo import demo_fill
from shifts.engine import Window
from shifts.models import OnCallShift
from tests.pages.conftest import DEMO_DAY
from users.models import User

pytestmark = pytest.mark.django_db

# The demo's weeks from the day after its rotations began to two weeks after the one it is made in.
DEMO_WEEKS = Window(datetime(2026, 3, 3, tzinfo=UTC), datetime(2026, 4, 6, tzinfo=UTC))


def test_people_teams_and_schedules(demo):
    people = User.objects.filter(organization=demo.organization).order_by("id")

    assert [(p.username, p.timezone, [t.name for t in p.teams.all()]) for p in people] == [
        ("alice", "Europe/London", ["Platform"]),
        ("bob", "America/New_York", ["Platform"]),
        ("mia", "Australia/Sydney", ["Platform"]),
        ("oliver", "Europe/London", ["Payments"]),
        ("sofia", "America/New_York", ["Payments"]),
        ("noah", "Australia/Sydney", ["Payments"]),
    ]
    assert {key: (s.name, s.team.name) for key, s in demo.schedules.items()} == {
        "follow_the_sun": ("Platform follow-the-sun", "Platform"),
        "primary": ("Payments primary", "Payments"),
        "secondary": ("Payments secondary", "Payments"),
    }


def test_overrides_next_week(demo):
    overrides = OnCallShift.objects.filter(type="override").order_by("id")

    assert [(o.start, o.duration, [u.username for u in o.users.all()]) for o in overrides] == [
        (datetime(2026, 3, 24, 8, tzinfo=UTC), timedelta(hours=8), ["oliver"]),
        (datetime(2026, 3, 26, tzinfo=UTC), timedelta(days=1), ["sofia"]),
    ]


def test_one_gap(demo):
    gaps = {
        key: timeline.coverage_problems(schedule, DEMO_WEEKS).gaps
        for key, schedule in demo.schedules.items()
    }

    assert gaps == {
        "follow_the_sun": (
            (datetime(2026, 3, 25, 8, tzinfo=UTC), datetime(2026, 3, 25, 16, tzinfo=UTC)),
        ),
        "primary": (),
        "secondary": (),
    }


def test_follow_the_sun_hands_over_every_eight_hours(demo):
    day = Window(datetime(2026, 3, 18, tzinfo=UTC), datetime(2026, 3, 19, tzinfo=UTC))
    rows = timeline.final_shift_rows(demo.schedules["follow_the_sun"], day, day.start).all()

    assert [(user.username, start.hour, end.hour) for user, start, end in rows] == [
        ("mia", 0, 8),
        ("alice", 8, 16),
        ("bob", 16, 0),
    ]


def test_the_demo_is_made_once(organization):
    out = StringIO()
    call_command("demo_data", "--org=acme", stdout=out)
    call_command("demo_data", "--org=acme", stdout=out)

    assert out.getvalue().splitlines()[1] == "acme has the demo already"
    assert User.objects.filter(organization=organization).count() == 6
    assert demo_fill(organization=organization, today=DEMO_DAY) is None
