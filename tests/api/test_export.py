"""iCal export of schedules and users (UPSTREAM-BEHAVIOUR §f.11, DECISIONS D9): the calendar's
content, its validity, and the round trip through an `ical` schedule."""

from datetime import UTC, datetime

import icalendar
import pytest
from freezegun import freeze_time
from rest_framework.test import APIClient

from tests.api.helpers import created as post
from timeline.exports import PRODID
from users.models import Role

pytestmark = pytest.mark.django_db

API = "/api/v1"
# Export window: 2024-04-25T00:00Z (today 00:00 minus 15 days) to 2024-11-06T00:00Z (195 days).
NOW = "2024-05-10T15:30:00Z"
STAMP = datetime(2024, 5, 10, 15, 30, tzinfo=UTC)
WINDOW = "start_date=2024-04-25&end_date=2024-11-06"
VEVENT_KEYS = {"UID", "SUMMARY", "DTSTART", "DTEND", "DTSTAMP", "LAST-MODIFIED", "PRIORITY"}


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def shift(client, start: str, hours: float, users, *, type_="single_event", **fields) -> str:
    body = {"type": type_, "start": start, "duration": int(hours * 3600), **fields}
    if users is not None:
        body["users"] = [user.public_id for user in users]
    return post(client, "on_call_shifts", body)["id"]


def calendar_schedule(client, name: str, shifts: list[str], time_zone: str = "UTC") -> str:
    body = {"name": name, "type": "calendar", "time_zone": time_zone, "shifts": shifts}
    return post(client, "schedules", {**body, "enable_web_overrides": True})["id"]


def exported(client, collection: str, public_id: str) -> bytes:
    """The calendar behind a fresh export token, fetched without any API token."""
    action = "export" if collection == "schedules" else "schedule_export"
    token = post(client, f"{collection}/{public_id}/export_token", {})["token"]
    response = APIClient().get(f"{API}/{collection}/{public_id}/{action}/?token={token}")
    assert (response.status_code, response["Content-Type"]) == (
        200,
        "text/calendar; charset=utf-8",
    )
    return response.content


def header_lines(text: bytes) -> list[str]:
    lines = text.decode().split("\r\n")
    return lines[: lines.index("BEGIN:VEVENT")] if "BEGIN:VEVENT" in lines else lines


def events_of(text: bytes, stamp: datetime = STAMP) -> list[tuple]:
    """(UID, SUMMARY, DTSTART, DTEND, PRIORITY) of each VEVENT, in file order, after checking
    that each carries exactly the expected properties and the refresh stamp."""
    calendar = icalendar.Calendar.from_ical(text)
    events = []
    for event in calendar.walk("VEVENT"):
        assert set(event.keys()) == VEVENT_KEYS
        assert event["DTSTAMP"].dt == event["LAST-MODIFIED"].dt == stamp
        events.append(
            (
                str(event["UID"]),
                str(event["SUMMARY"]),
                event["DTSTART"].dt,
                event["DTEND"].dt,
                int(event["PRIORITY"]),
            )
        )
    return events


def assert_rfc5545(text: bytes) -> None:
    """What RFC 5545 requires of the text itself, beyond re-parsing with `icalendar`."""
    assert text.endswith(b"\r\n")
    lines = text.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and len(line) <= 75 for line in lines)
    calendar = icalendar.Calendar.from_ical(text)
    assert {"PRODID", "VERSION"} <= set(calendar.keys())
    uids = [str(event["UID"]) for event in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids)), "UIDs must be unique"


@pytest.fixture
def alice(make_user):
    return make_user("alice", Role.EDITOR)


@pytest.fixture
def bob(make_user):
    return make_user("bob", Role.EDITOR)


@pytest.fixture
def carol(make_user):
    return make_user("carol", Role.ADMIN)


@pytest.fixture
def clock():
    with freeze_time(NOW) as frozen:
        yield frozen


@pytest.fixture
def layered(api_client, clock, alice, bob, carol) -> dict:
    """A calendar schedule whose final events exercise levels, overrides, the window edges and
    an event with two users. Returns the schedule and shift ids."""
    ids = {
        "before": shift(api_client, "2024-04-01T09:00:00", 8, [alice]),
        "crossing": shift(api_client, "2024-04-24T20:00:00", 8, [bob]),
        "day": shift(api_client, "2024-05-06T09:00:00", 8, [alice]),
        "lunch": shift(api_client, "2024-05-06T12:00:00", 1, [bob], level=1),
        "override": shift(api_client, "2024-05-06T09:10:00", 1 / 6, [carol], type_="override"),
        "pair": shift(api_client, "2024-06-01T00:00:00", 1, [bob, alice]),
        "after": shift(api_client, "2024-11-06T00:00:00", 1, [alice]),
    }
    ids["schedule"] = calendar_schedule(api_client, "Primary, on call", list(ids.values()))
    return ids


def test_schedule_export_header(api_client, layered):
    text = exported(api_client, "schedules", layered["schedule"])

    # The comma is escaped: non-standard properties are TEXT (RFC 5545 3.8.8.2).
    assert header_lines(text) == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Primary\\, on call",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-WR-TIMEZONE:UTC",
    ]
    assert "Grafana" not in PRODID


def test_schedule_export_events(api_client, layered, alice, bob, carol):
    text = exported(api_client, "schedules", layered["schedule"])

    def row(key, start, end, user, priority=0):
        uid = f"{layered[key]}-{start.replace('-', '').replace(':', '').replace('T', '')}-"
        return (f"{uid}{user.public_id}", user.username, utc(start), utc(end), priority)

    assert_rfc5545(text)
    assert events_of(text) == [
        # Starts before the window but ends inside it: kept whole, not clipped.
        row("crossing", "2024-04-24T20:00:00", "2024-04-25T04:00:00", bob),
        # D9: both of alice's morning pieces start in hour 09 at second 00; upstream's UIDs
        # (no minutes) would collide.
        row("day", "2024-05-06T09:00:00", "2024-05-06T09:10:00", alice),
        row("override", "2024-05-06T09:10:00", "2024-05-06T09:20:00", carol, priority=1),
        row("day", "2024-05-06T09:20:00", "2024-05-06T12:00:00", alice),
        row("lunch", "2024-05-06T12:00:00", "2024-05-06T13:00:00", bob),
        row("day", "2024-05-06T13:00:00", "2024-05-06T17:00:00", alice),
        # One event, two users: one VEVENT each, in the event's user order (as final_shifts).
        row("pair", "2024-06-01T00:00:00", "2024-06-01T01:00:00", alice),
        row("pair", "2024-06-01T00:00:00", "2024-06-01T01:00:00", bob),
    ]


def test_window_follows_today(api_client, layered, clock, bob):
    clock.move_to("2024-05-10T23:59:59Z")
    text = exported(api_client, "schedules", layered["schedule"])
    assert events_of(text, utc("2024-05-10T23:59:59"))[0][1] == "bob"

    # A day later the window starts on 2024-04-26: the crossing shift has left it.
    clock.move_to("2024-05-11T00:00:00Z")
    text = exported(api_client, "schedules", layered["schedule"])
    assert events_of(text, utc("2024-05-11T00:00:00"))[0][2] == utc("2024-05-06T09:00:00")


def test_viewers_are_not_exported(api_client, layered, alice, bob, carol):
    for user in (alice, carol):
        user.role = Role.VIEWER
        user.save()

    events = events_of(exported(api_client, "schedules", layered["schedule"]))

    assert {summary for _, summary, *_ in events} == {"bob"}


def test_empty_schedule_is_a_valid_calendar(api_client, clock):
    schedule = calendar_schedule(api_client, "Empty", [])

    text = exported(api_client, "schedules", schedule)

    assert_rfc5545(text)
    assert events_of(text) == []


# --- user export -----------------------------------------------------------------------------


@pytest.fixture
def second_schedule(api_client, layered, alice, bob) -> dict:
    """A web schedule for alice and bob, and a calendar schedule sharing `pair` with `layered`."""
    web_shift = shift(api_client, "2024-07-01T08:00:00", 2, [alice, bob], source=0)
    web = post(
        api_client,
        "schedules",
        {"name": "Web", "type": "web", "time_zone": "UTC", "shifts": [web_shift]},
    )
    shared = calendar_schedule(api_client, "Shared", [layered["pair"]])
    return {"web": web["id"], "web_shift": web_shift, "shared": shared}


def test_user_export(api_client, layered, second_schedule, alice):
    text = exported(api_client, "users", alice.public_id)

    assert header_lines(text)[4] == "X-WR-CALNAME:On-Call Schedule for alice"
    assert_rfc5545(text)

    def row(schedule_name, schedule, key, start, end):
        stamp = start.replace("-", "").replace(":", "").replace("T", "")
        uid = f"{key}-{stamp}-{alice.public_id}-{schedule}"
        return (uid, f"{schedule_name}: alice", utc(start), utc(end), 0)

    primary, pair = layered["schedule"], layered["pair"]
    assert events_of(text) == [
        row(
            "Primary, on call",
            primary,
            layered["day"],
            "2024-05-06T09:00:00",
            "2024-05-06T09:10:00",
        ),
        row(
            "Primary, on call",
            primary,
            layered["day"],
            "2024-05-06T09:20:00",
            "2024-05-06T12:00:00",
        ),
        row(
            "Primary, on call",
            primary,
            layered["day"],
            "2024-05-06T13:00:00",
            "2024-05-06T17:00:00",
        ),
        row("Primary, on call", primary, pair, "2024-06-01T00:00:00", "2024-06-01T01:00:00"),
        row(
            "Web",
            second_schedule["web"],
            second_schedule["web_shift"],
            "2024-07-01T08:00:00",
            "2024-07-01T10:00:00",
        ),
        # The same shift in a second schedule: its own VEVENT, its own UID.
        row(
            "Shared", second_schedule["shared"], pair, "2024-06-01T00:00:00", "2024-06-01T01:00:00"
        ),
    ]


def test_user_export_of_someone_never_on_call(api_client, layered, make_user):
    viewer = make_user("watcher", Role.VIEWER)

    text = exported(api_client, "users", viewer.public_id)

    assert_rfc5545(text)
    assert events_of(text) == []


def test_user_export_stays_in_the_organization(
    api_client, layered, other_organization, make_user, make_client
):
    """A namesake in another organization sees none of `acme`'s schedules."""
    namesake = make_user("alice", Role.ADMIN, org=other_organization)

    text = exported(make_client(namesake), "users", namesake.public_id)

    assert events_of(text) == []


# --- round trip ------------------------------------------------------------------------------


def test_round_trip_through_an_ical_schedule(api_client, httpserver, clock, alice, bob, carol):
    """Exporting a calendar schedule and importing the text as an `ical` schedule gives the same
    `final_shifts` rows over the export window."""
    rotation = shift(
        api_client,
        "2024-04-20T09:00:00",
        24 * 7,
        None,
        type_="rolling_users",
        frequency="weekly",
        week_start="MO",
        rolling_users=[[alice.public_id, bob.public_id], [carol.public_id]],
        start_rotation_from_user_index=0,
        time_zone="Europe/Berlin",
    )
    lunch = shift(
        api_client,
        "2024-04-22T12:00:00",
        1,
        [carol],
        type_="recurrent_event",
        frequency="daily",
        by_day=["MO", "WE", "FR"],
        level=1,
        until="2024-09-30T00:00:00",
    )
    override = shift(api_client, "2024-05-12T00:00:00", 36, [bob], type_="override")
    original = calendar_schedule(
        api_client, "Original", [rotation, lunch, override], "Europe/Berlin"
    )
    text = exported(api_client, "schedules", original)
    httpserver.expect_request("/export.ics").respond_with_data(text, content_type="text/calendar")

    imported = post(
        api_client,
        "schedules",
        {"name": "Imported", "type": "ical", "ical_url_primary": httpserver.url_for("/export.ics")},
    )

    def rows(schedule_id: str) -> list[dict]:
        response = api_client.get(f"{API}/schedules/{schedule_id}/final_shifts?{WINDOW}")
        assert response.status_code == 200, response.json()
        return response.json()["results"]

    original_rows = rows(original)
    assert len(original_rows) > 150  # the layers really are in the window
    assert {row["user_username"] for row in original_rows} == {"alice", "bob", "carol"}
    assert rows(imported["id"]) == original_rows


def test_events_that_disappear_are_kept_as_cancelled(api_client, clock, alice, bob):
    """§f.11: an event of the previous export that is no longer produced comes back as
    CANCELLED (zero length) until it starts before the export window."""
    kept = shift(api_client, "2024-05-06T09:00:00", 8, [alice])
    dropped = shift(api_client, "2024-05-07T09:00:00", 8, [bob])
    schedule = calendar_schedule(api_client, "Primary", [kept, dropped])
    token = post(api_client, f"schedules/{schedule}/export_token", {})["token"]

    def fetch() -> list[tuple]:
        response = APIClient().get(f"{API}/schedules/{schedule}/export/?token={token}")
        calendar = icalendar.Calendar.from_ical(response.content)
        return [
            (
                str(event["SUMMARY"]),
                event.decoded("DTSTART").isoformat(),
                event.decoded("DTEND").isoformat(),
                str(event.get("STATUS", "")),
            )
            for event in calendar.walk("VEVENT")
        ]

    assert fetch() == [
        ("alice", "2024-05-06T09:00:00+00:00", "2024-05-06T17:00:00+00:00", ""),
        ("bob", "2024-05-07T09:00:00+00:00", "2024-05-07T17:00:00+00:00", ""),
    ]
    assert api_client.delete(f"{API}/on_call_shifts/{dropped}/").status_code == 204
    cancelled = [
        ("alice", "2024-05-06T09:00:00+00:00", "2024-05-06T17:00:00+00:00", ""),
        ("bob", "2024-05-07T09:00:00+00:00", "2024-05-07T09:00:00+00:00", "CANCELLED"),
    ]
    assert fetch() == cancelled
    assert fetch() == cancelled  # still there on the next fetch
    clock.move_to("2024-05-23T00:00:00")  # the window now starts on 2024-05-08
    assert fetch() == []
