"""The read model's answers for the dialects (`timeline.members`): who is on call now and next,
and the stretch of who is on call now (docs/dialects.md)."""

from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import timeline
from schedules.models import Dialect
from schedules.rotation_services import (
    MemberInput,
    RotationInput,
    RotationScheduleInput,
    WindowInput,
    rotation_schedule_create,
)
from shifts import engine
from shifts.models import LengthUnit, RestrictionKind, RotationKind
from timeline.members import on_call_members, set_changes

NOW = datetime(2024, 1, 15, 12, tzinfo=UTC)


def schedule_with(organization, users, **rotation):
    fields = {
        "kind": RotationKind.WEEKLY,
        "length": 1,
        "unit": LengthUnit.WEEKS,
        "time_zone": "UTC",
        "start": datetime(2024, 1, 1, tzinfo=UTC),
        "members": tuple(MemberInput(user=user, order=i + 1) for i, user in enumerate(users)),
    }
    data = RotationScheduleInput(
        dialect=Dialect.INSTATUS,
        name="s",
        rotations=(RotationInput(**(fields | rotation)),),
    )
    return rotation_schedule_create(organization=organization, data=data)


@pytest.fixture
def two(make_user):
    return make_user("ann"), make_user("ben")


@pytest.mark.django_db
def test_next_members_are_looked_for_past_the_first_day(organization, two):
    ann = two[0]
    saturday_night = WindowInput(start_day=5, start_time=time(21), end_day=6, end_time=time(3))
    schedule = schedule_with(
        organization, two, restriction=RestrictionKind.WEEKLY, windows=(saturday_night,)
    )

    members = on_call_members(schedule, NOW)

    # Monday: nobody until Saturday 21:00, ann's week (the third from the 1st is ann's again)
    assert (members.current, members.next) == ((), (ann.public_id,))
    assert members.valid_until == datetime(2024, 1, 16, 12, tzinfo=UTC)


@pytest.mark.django_db
def test_a_set_that_never_changes_has_no_next(organization, two):
    schedule = schedule_with(organization, two[:1])

    members = on_call_members(schedule, NOW)

    assert (members.current, members.next) == ((two[0].public_id,), ())


@pytest.mark.django_db
def test_a_stretch_is_followed_two_weeks_either_side_of_today(organization, two):
    schedule = schedule_with(organization, two[:1], start=datetime(2023, 1, 1, tzinfo=UTC))

    stretch = timeline.on_call_stretch(schedule, NOW)

    assert (stretch.user, stretch.start, stretch.end) == (
        two[0],
        datetime(2024, 1, 1, tzinfo=UTC),
        datetime(2024, 1, 30, tzinfo=UTC),
    )


HOUR = timedelta(hours=1)
BASE = datetime(2024, 1, 1, tzinfo=UTC)
spans = st.tuples(st.integers(0, 40), st.integers(1, 10), st.sampled_from(["A", "B", "C"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(spans, max_size=12), st.integers(0, 40))
def test_the_sweep_finds_every_change_of_the_set(raw, now_hours):
    events = [
        engine.FinalEvent(
            BASE + start * HOUR, BASE + (start + length) * HOUR, (user,), None, 0, None, None
        )
        for start, length, user in raw
    ]
    now, until = BASE + now_hours * HOUR, BASE + 60 * HOUR

    def at(instant):
        return frozenset(u for e in events if e.start <= instant < e.end for u in e.users)

    instants = sorted({i for e in events for i in (e.start, e.end) if now < i < until})
    expected, previous = [], at(now)
    for instant in instants:
        if at(instant) != previous:
            expected.append((instant, at(instant)))
            previous = at(instant)

    found = [(instant, frozenset(users)) for instant, users in set_changes(events, now, until, {})]
    assert found == expected
