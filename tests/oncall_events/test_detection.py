"""Change detection: each change of who is on call is recorded once, in order, with its
reason, however runs come (docs/oncall-events.md#exactly-once)."""

from datetime import timedelta

import pytest
from freezegun import freeze_time

from oncall_events.detection import due_schedules, settle
from oncall_events.models import OnCallLogEntry, ScheduleCursor
from schedules import services as schedule_services
from schedules import shift_services, swap_services
from tests.oncall_events.conftest import at, log_of, run_at
from users import services as user_services
from users.models import Role

pytestmark = pytest.mark.django_db


def test_the_log_starts_with_who_is_on_call(schedule, alice):
    run_at(at(0, 10))
    assert log_of(schedule) == [(at(0, 10), [alice.public_id], "start")]


def test_a_handoff_is_recorded_once_at_its_instant(schedule, alice, bob):
    run_at(at(0, 10))
    run_at(at(1, 9, 1))
    run_at(at(1, 9, 2))
    run_at(at(1, 12))
    assert log_of(schedule)[1:] == [(at(1, 9), [bob.public_id], "rotation")]


def test_changes_missed_while_down_are_caught_up_in_order(schedule, alice, bob):
    run_at(at(0, 10))
    run_at(at(3, 10))
    assert log_of(schedule)[1:] == [
        (at(1, 9), [bob.public_id], "rotation"),
        (at(2, 9), [alice.public_id], "rotation"),
        (at(3, 9), [bob.public_id], "rotation"),
    ]


def test_the_next_check_is_the_next_change(schedule):
    run_at(at(0, 10))
    assert ScheduleCursor.objects.get(schedule=schedule).next_check_at == at(1, 9)
    assert list(due_schedules(at(1, 8, 59))) == []
    assert list(due_schedules(at(1, 9))) == [schedule]


def test_two_runs_from_one_reading_record_once(schedule, bob):
    run_at(at(0, 10))
    with freeze_time(at(1, 10)):
        first, second = (
            due_schedules(at(1, 10)).get(pk=schedule.pk),
            due_schedules(at(1, 10)).get(pk=schedule.pk),
        )
        assert settle(first, at(1, 10)) == 1
        assert settle(second, at(1, 10)) == 0
    assert log_of(schedule)[1:] == [(at(1, 9), [bob.public_id], "rotation")]
    assert ScheduleCursor.objects.get(schedule=schedule).revision == 1


def test_an_override_is_told_apart(organization, schedule, alice, bob, make_user_then):
    carol = make_user_then("carol")
    run_at(at(0, 10))
    with freeze_time(at(0, 11)):
        override = shift_services.on_call_shift_create(
            organization=organization,
            name="cover",
            type="override",
            start=at(0, 12),
            duration=timedelta(hours=2),
            users=[carol],
            time_zone="UTC",
        )
        schedule.refresh_from_db()  # the service saves the row it is given
        schedule_services.schedule_update(
            schedule=schedule,
            enable_web_overrides=True,
            shifts=[schedule.linked_shifts.first(), override],
        )
    run_at(at(1, 10))
    assert log_of(schedule)[1:] == [
        (at(0, 12), [carol.public_id], "override"),
        (at(0, 14), [alice.public_id], "override"),
        (at(1, 9), [bob.public_id], "rotation"),
    ]


def test_an_edit_that_changes_who_is_on_call_is_recorded_when_it_happened(
    schedule, rotation, alice, bob
):
    run_at(at(0, 10))
    # The worker is down from here; a handoff passes, then the rotation is edited.
    with freeze_time(at(1, 15)):
        shift_services.on_call_shift_update(
            shift=rotation, rolling_users=[[bob.public_id], [alice.public_id]]
        )
    run_at(at(1, 20))
    assert log_of(schedule)[1:] == [
        # foretold before the edit: what the schedule said then
        (at(1, 9), [bob.public_id], "rotation"),
        (at(1, 15), [alice.public_id], "edit"),
    ]


def test_an_edit_that_changes_nobody_records_nothing(schedule, alice):
    run_at(at(0, 10))
    schedule.refresh_from_db()
    with freeze_time(at(0, 11)):
        schedule_services.schedule_update(schedule=schedule, name="Renamed")
    run_at(at(0, 12))
    assert log_of(schedule) == [(at(0, 10), [alice.public_id], "start")]


def test_a_user_who_can_no_longer_be_on_call_is_an_edit(schedule, alice):
    run_at(at(0, 10))
    with freeze_time(at(0, 11)):
        user_services.user_update(user=alice, role=Role.VIEWER)
    run_at(at(0, 12))
    assert log_of(schedule)[1:] == [(at(0, 11), [], "edit")]


def test_edits_never_rewrite_the_log(schedule, rotation, alice, bob):
    run_at(at(0, 10))
    run_at(at(1, 10))
    before = list(OnCallLogEntry.objects.values_list("public_id", "at", "user_ids", "reason"))
    with freeze_time(at(1, 11)):
        shift_services.on_call_shift_delete(shift=rotation, now=at(1, 11))
    run_at(at(1, 12))
    after = list(OnCallLogEntry.objects.values_list("public_id", "at", "user_ids", "reason"))
    assert after[: len(before)] == before
    assert log_of(schedule)[-1] == (at(1, 11), [], "edit")


def test_a_taken_swap_is_logged_as_a_swap(schedule, alice, bob):
    run_at(at(0, 10))
    with freeze_time(at(0, 11)):
        swap = swap_services.shift_swap_create(
            schedule=schedule,
            beneficiary=alice,
            swap_start=at(0, 13),
            swap_end=at(0, 15),
            now=at(0, 11),
        )
        swap_services.shift_swap_take(swap=swap, benefactor=bob, now=at(0, 11))
    run_at(at(0, 16))
    assert log_of(schedule)[1:] == [
        (at(0, 13), [bob.public_id], "swap"),
        (at(0, 15), [alice.public_id], "swap"),
    ]
