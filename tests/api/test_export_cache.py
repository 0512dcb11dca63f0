"""iCal exports are kept: an unchanged export is read back without computing or writing
anything, the next write that changes it is seen at once, and a token's record of withdrawn
events stays small (issue 14, finding 6; docs/exports.md#caching)."""

import gzip
import json
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
from rest_framework.test import APIClient

from schedules.models import ExportToken
from shifts import engine
from tests.api.helpers import created as post
from tests.api.test_export import API, calendar_schedule, shift
from timeline.cache import process_objects
from timeline.export_digest import MAX_RUNS, digest_of, events_of
from timeline.export_events import ExportedEvent, uid_stamp
from timeline.exports import MAX_WITHDRAWN, withdrawn_after

pytestmark = pytest.mark.django_db

NOW = "2024-05-10T15:30:00Z"


@pytest.fixture
def clock():
    with freeze_time(NOW) as frozen:
        yield frozen


class Subscription:
    """A calendar app subscribed to an export through a fresh export token."""

    def __init__(self, client, collection: str, public_id: str):
        action = "export" if collection == "schedules" else "schedule_export"
        self.value = post(client, f"{collection}/{public_id}/export_token", {})["token"]
        self.url = f"{API}/{collection}/{public_id}/{action}/"

    def fetch(self, **headers):
        response = APIClient().get(self.url, {"token": self.value}, **headers)
        assert response.status_code == 200, response.content
        return response

    @property
    def token(self) -> ExportToken:
        return ExportToken.objects.get(prefix=self.value[:8], revoked_at__isnull=True)


def events(response) -> list[tuple[str, str, str]]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return [
        (str(event["SUMMARY"]), event.decoded("DTSTART").isoformat(), str(event.get("STATUS", "")))
        for event in calendar.walk("VEVENT")
    ]


def test_an_unchanged_export_is_read_back_without_a_write(api_client, clock, alice):
    schedule = calendar_schedule(
        api_client,
        "Primary",
        [
            shift(
                api_client,
                "2024-05-01T00:00:00",
                1,
                [alice],
                type_="recurrent_event",
                frequency="hourly",
            )
        ],
    )
    subscription = Subscription(api_client, "schedules", schedule)
    first = subscription.fetch()
    clock.tick(timedelta(minutes=5))

    with CaptureQueriesContext(connection) as queries:
        second = subscription.fetch()

    assert second.content == first.content  # stamped when it was made
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert (writes, len(queries)) == ([], 2)  # the token, the schedule (and their organization)


def test_the_token_row_holds_no_export(api_client, clock, alice):
    hourly = shift(
        api_client, "2024-05-01T00:00:00", 1, [alice], type_="recurrent_event", frequency="hourly"
    )
    subscription = Subscription(
        api_client, "schedules", calendar_schedule(api_client, "P", [hourly])
    )

    assert (
        len(events(subscription.fetch())) == 4536
    )  # every hour from 2024-05-01 to the window's end
    token = subscription.token
    assert (token.withdrawn_events, len(token.exported_key) < 100) == ([], True)
    assert [runs for *_shape, runs in token.exported_digest["series"]] == [
        [[int(datetime(2024, 5, 1, tzinfo=UTC).timestamp()), 3600, 4536]]
    ]


def test_a_shift_write_is_seen_by_the_next_get(api_client, clock, alice, bob):
    day = shift(api_client, "2024-05-11T09:00:00", 8, [alice])
    schedule = calendar_schedule(api_client, "Primary", [day])
    subscription = Subscription(api_client, "schedules", schedule)
    assert events(subscription.fetch()) == [("alice", "2024-05-11T09:00:00+00:00", "")]

    api_client.put(f"{API}/on_call_shifts/{day}/", {"users": [bob.public_id]}, format="json")

    assert events(subscription.fetch()) == [
        ("bob", "2024-05-11T09:00:00+00:00", ""),
        ("alice", "2024-05-11T09:00:00+00:00", "CANCELLED"),
    ]


def test_a_user_write_is_seen_by_the_next_get(api_client, clock, alice):
    schedule = calendar_schedule(
        api_client, "Primary", [shift(api_client, "2024-05-11T09:00:00", 8, [alice])]
    )
    subscription = Subscription(api_client, "schedules", schedule)
    subscription.fetch()

    api_client.put(f"{API}/users/{alice.public_id}/", {"username": "alicia"}, format="json")

    assert events(subscription.fetch()) == [("alicia", "2024-05-11T09:00:00+00:00", "")]


def test_a_user_export_follows_every_schedule(api_client, clock, alice):
    first = calendar_schedule(
        api_client, "First", [shift(api_client, "2024-05-11T09:00:00", 8, [alice])]
    )
    second = calendar_schedule(
        api_client, "Second", [shift(api_client, "2024-05-12T09:00:00", 8, [alice])]
    )
    subscription = Subscription(api_client, "users", alice.public_id)
    assert events(subscription.fetch()) == [
        ("First: alice", "2024-05-11T09:00:00+00:00", ""),
        ("Second: alice", "2024-05-12T09:00:00+00:00", ""),
    ]

    api_client.put(f"{API}/schedules/{first}/", {"name": "Renamed"}, format="json")
    assert events(subscription.fetch())[0] == ("Renamed: alice", "2024-05-11T09:00:00+00:00", "")

    api_client.delete(f"{API}/schedules/{second}/")
    assert events(subscription.fetch()) == [
        ("Renamed: alice", "2024-05-11T09:00:00+00:00", ""),
        ("Second: alice", "2024-05-12T09:00:00+00:00", "CANCELLED"),
    ]


@pytest.mark.parametrize("collection", ["schedules", "users"])
def test_withdrawn_events_need_no_cache(api_client, clock, alice, collection):
    """The last export is no longer cached (expired, or another worker's without Redis): the
    token's row still says which events went."""
    kept = shift(api_client, "2024-05-11T09:00:00", 8, [alice])
    dropped = shift(
        api_client, "2024-05-12T09:00:00", 1, [alice], type_="recurrent_event", frequency="daily"
    )
    schedule = calendar_schedule(api_client, "Primary", [kept, dropped])
    subscription = Subscription(
        api_client, collection, schedule if collection == "schedules" else alice.public_id
    )
    assert len(events(subscription.fetch())) == 1 + 178  # every day to the window's end
    api_client.delete(f"{API}/on_call_shifts/{dropped}/")
    clock.tick(timedelta(hours=1))
    cache.clear()
    process_objects.clear()

    after = events(subscription.fetch())

    summary = "alice" if collection == "schedules" else "Primary: alice"
    days = [datetime(2024, 5, 12, 9, tzinfo=UTC) + timedelta(days=day) for day in range(178)]
    assert after == [
        (summary, "2024-05-11T09:00:00+00:00", ""),
        *[(summary, day.isoformat(), "CANCELLED") for day in days],
    ]
    assert len(subscription.token.withdrawn_events) == 178


def test_the_digest_of_an_export_is_small_and_gives_its_events_back():
    starts = [datetime(2024, 5, 1, tzinfo=UTC) + timedelta(hours=3 * hour) for hour in range(4000)]
    exported = [
        ExportedEvent(f"S1-{uid_stamp(start)}-U{hour % 2}", f"u{hour % 2}", start, start, hour % 2)
        for hour, start in enumerate(starts)
    ]
    exported.append(ExportedEvent("from-a-feed", "u0", starts[0], starts[0], 0))

    digest = digest_of(exported, LATER)

    assert len(json.dumps(digest)) < 300  # two runs and an event of its own
    assert sorted(events_of(digest), key=lambda item: (item.start, item.uid)) == sorted(
        exported, key=lambda item: (item.start, item.uid)
    )


def test_the_digest_is_bounded():
    """Events with nothing in common: each is a run of its own, and those still to start are
    kept first, in the order of their starts."""
    starts = [datetime(2024, 5, 9, tzinfo=UTC) + timedelta(minutes=6 * n) for n in range(3000)]
    exported = [ExportedEvent(f"S{n}", "u", start, start, 0) for n, start in enumerate(starts)]

    kept = sorted(item.start for item in events_of(digest_of(exported, LATER)))

    assert len(kept) == MAX_RUNS
    assert kept[0] == LATER
    assert kept[-1] == LATER + timedelta(minutes=6 * (MAX_RUNS - 1))


def test_a_new_token_gets_the_export_without_the_old_tokens_withdrawals(api_client, clock, alice):
    kept = shift(api_client, "2024-05-11T09:00:00", 8, [alice])
    dropped = shift(api_client, "2024-05-12T09:00:00", 8, [alice])
    schedule = calendar_schedule(api_client, "Primary", [kept, dropped])
    Subscription(api_client, "schedules", schedule).fetch()
    api_client.delete(f"{API}/on_call_shifts/{dropped}/")

    assert events(Subscription(api_client, "schedules", schedule).fetch()) == [
        ("alice", "2024-05-11T09:00:00+00:00", "")
    ]


def test_large_exports_are_sent_gzipped_to_who_accepts_it(api_client, clock, alice):
    hourly = shift(
        api_client, "2024-05-01T00:00:00", 1, [alice], type_="recurrent_event", frequency="hourly"
    )
    subscription = Subscription(
        api_client, "schedules", calendar_schedule(api_client, "P", [hourly])
    )
    plain = subscription.fetch()

    zipped = subscription.fetch(HTTP_ACCEPT_ENCODING="gzip")

    assert (zipped["Content-Encoding"], zipped["Content-Type"]) == (
        "gzip",
        "text/calendar; charset=utf-8",
    )
    assert gzip.decompress(zipped.content) == plain.content
    assert "Content-Encoding" not in plain


def event(number: int, cancelled: bool = False) -> ExportedEvent:
    start = datetime(2024, 5, 1, tzinfo=UTC) + timedelta(hours=number)
    return ExportedEvent(
        uid=f"S-{number}",
        summary="alice",
        start=start,
        end=start + timedelta(hours=1),
        priority=0,
        cancelled_at=datetime(2024, 5, 1, tzinfo=UTC) if cancelled else None,
    )


WINDOW = engine.Window(datetime(2024, 4, 25, tzinfo=UTC), datetime(2024, 11, 6, tzinfo=UTC))
LATER = datetime(2024, 5, 10, tzinfo=UTC)


def test_the_withdrawn_record_is_bounded():
    kept = [event(number, cancelled=True) for number in range(800)]
    previous = [event(number) for number in range(800, 2000)]

    withdrawn = withdrawn_after(kept, previous, [event(1999)], WINDOW, LATER)

    assert len(withdrawn) == MAX_WITHDRAWN
    assert (withdrawn[0].uid, withdrawn[-1].uid) == ("S-999", "S-1998")
    assert {item.cancelled_at for item in withdrawn[-999:]} == {LATER}


def test_withdrawn_events_that_come_back_or_leave_the_window_are_forgotten():
    early = ExportedEvent(
        "S-early",
        "alice",
        datetime(2024, 4, 1, tzinfo=UTC),
        datetime(2024, 4, 1, 1, tzinfo=UTC),
        0,
        LATER,
    )
    kept = [early, event(1, cancelled=True), event(2, cancelled=True)]

    withdrawn = withdrawn_after(kept, [event(3)], [event(1), event(3)], WINDOW, LATER)

    assert [item.uid for item in withdrawn] == ["S-2"]
