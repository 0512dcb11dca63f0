"""Reading iCal calendars (UPSTREAM-BEHAVIOUR §f.4, UPSTREAM-CASES §7, DECISIONS D11)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shifts.engine import (
    CalendarParseError,
    CalendarText,
    CalendarType,
    Source,
    UserDirectory,
    Window,
    expand_ical,
    schedule_timeline,
)
from shifts.engine.ical import shift_identity

USERS = ("alice", "bob", "@Bernard Desruisseaux")
DIRECTORY = UserDirectory(
    by_username={name: f"U-{name}" for name in USERS},
    by_email={"alice@example.com": "U-alice", "test@test.test": "U-bob"},
)
JAN = Window(datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 2, 1, tzinfo=UTC))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def calendar(*events: str, header: str = "") -> str:
    """A VCALENDAR around VEVENT bodies (each a `\\n`-separated list of content lines)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//engine//EN"]
    lines += [line for line in header.splitlines() if line]
    for body in events:
        lines += ["BEGIN:VEVENT", "DTSTAMP:20250101T000000Z"]
        lines += [line.strip() for line in body.strip().splitlines()]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def vevent(uid: str, start: str, end: str, *extra: str) -> str:
    return "\n".join([f"UID:{uid}", f"DTSTART{start}", f"DTEND{end}", *extra])


DAY6 = (":20250106T090000Z", ":20250106T170000Z")

# (start, end, users, missing users, level, all-day)
Row = tuple[datetime, datetime, tuple[str, ...], tuple[str, ...], int, bool]


@dataclass(frozen=True)
class Scenario:
    name: str
    text: str
    expected: list[Row]
    window: Window = JAN


def nine_to_five(day: int, users: tuple[str, ...], missing: tuple[str, ...] = ()) -> Row:
    return (utc(2025, 1, day, 9), utc(2025, 1, day, 17), users, missing, 0, False)


SCENARIOS = [
    Scenario(
        "summary-username",
        calendar(vevent("a@x", *DAY6, "SUMMARY:alice")),
        [nine_to_five(6, ("U-alice",))],
    ),
    Scenario(
        # ENG-25: e-mail compared case-insensitively.
        "summary-email-case-insensitive",
        calendar(vevent("a@x", *DAY6, "SUMMARY:Test@TEST.test")),
        [nine_to_five(6, ("U-bob",))],
    ),
    Scenario(
        "username-is-case-sensitive",
        calendar(vevent("a@x", *DAY6, "SUMMARY:Alice")),
        [nine_to_five(6, (), ("Alice",))],
    ),
    Scenario(
        "whole-summary-is-one-name",
        calendar(vevent("a@x", *DAY6, "SUMMARY: @Bernard Desruisseaux ")),
        [nine_to_five(6, ("U-@Bernard Desruisseaux",))],
    ),
    Scenario(
        "names-are-not-split",
        calendar(vevent("a@x", *DAY6, "SUMMARY:alice bob")),
        [nine_to_five(6, (), ("alice bob",))],
    ),
    Scenario(
        "description-user",
        calendar(vevent("a@x", *DAY6, "SUMMARY:on-call", "DESCRIPTION:bob")),
        [nine_to_five(6, ("U-bob",), ("on-call",))],
    ),
    Scenario(
        "summary-and-description-users-in-order",
        calendar(vevent("a@x", *DAY6, "SUMMARY:bob", "DESCRIPTION:alice@example.com")),
        [nine_to_five(6, ("U-bob", "U-alice"))],
    ),
    Scenario(
        "single-plain-attendee",
        calendar(vevent("a@x", *DAY6, "SUMMARY:on-call", "ATTENDEE:alice@example.com")),
        [nine_to_five(6, ("U-alice",), ("on-call",))],
    ),
    Scenario(
        # DECISIONS D11: upstream matched nobody here.
        "single-mailto-attendee-with-cn",
        calendar(
            vevent("a@x", *DAY6, "SUMMARY:on-call", "ATTENDEE;CN=Al:MAILTO:alice@example.com")
        ),
        [nine_to_five(6, ("U-alice",), ("on-call",))],
    ),
    Scenario(
        "several-attendees-are-ignored",
        calendar(
            vevent(
                "a@x",
                *DAY6,
                "SUMMARY:bob",
                "ATTENDEE:mailto:alice@example.com",
                "ATTENDEE:mailto:test@test.test",
            )
        ),
        [nine_to_five(6, ("U-bob",))],
    ),
    Scenario(
        "level-marker-sets-level-and-is-not-part-of-the-name",
        calendar(vevent("a@x", *DAY6, "SUMMARY:[L12] alice")),
        [(utc(2025, 1, 6, 9), utc(2025, 1, 6, 17), ("U-alice",), (), 12, False)],
    ),
    Scenario(
        "level-marker-in-description-is-removed-but-gives-no-level",
        calendar(vevent("a@x", *DAY6, "SUMMARY:nobody", "DESCRIPTION:[L3]bob")),
        [nine_to_five(6, ("U-bob",), ("nobody",))],
    ),
    Scenario(
        "unmatched-event-is-empty",
        calendar(vevent("a@x", *DAY6, "SUMMARY:nosuchuser")),
        [nine_to_five(6, (), ("nosuchuser",))],
    ),
    Scenario(
        # §f.4.5: UTC days, last day ending 23:59:59, whatever the calendar's zone.
        "all-day-event",
        calendar(
            vevent("a@x", ";VALUE=DATE:20250127", ";VALUE=DATE:20250129", "SUMMARY:alice"),
            header="X-WR-TIMEZONE:Asia/Yekaterinburg",
        ),
        [(utc(2025, 1, 27), utc(2025, 1, 28, 23, 59, 59), ("U-alice",), (), 0, True)],
    ),
    Scenario(
        "all-day-event-is-filtered-on-its-midnights",
        calendar(
            vevent("a@x", ";VALUE=DATE:20250127", ";VALUE=DATE:20250128", "SUMMARY:alice"),
            vevent("b@x", ";VALUE=DATE:20250128", ";VALUE=DATE:20250129", "SUMMARY:bob"),
        ),
        [(utc(2025, 1, 28), utc(2025, 1, 28, 23, 59, 59), ("U-bob",), (), 0, True)],
        Window(utc(2025, 1, 28), utc(2025, 1, 29)),
    ),
    Scenario(
        "zoned-times-become-utc",
        calendar(
            vevent(
                "a@x",
                ";TZID=America/Chicago:20250106T090000",
                ";TZID=America/Chicago:20250106T170000",
                "SUMMARY:alice",
            )
        ),
        [(utc(2025, 1, 6, 15), utc(2025, 1, 6, 23), ("U-alice",), (), 0, False)],
    ),
    Scenario(
        "zoned-recurrence-keeps-wall-clock-times-across-dst",
        calendar(
            vevent(
                "a@x",
                ";TZID=America/Chicago:20250308T090000",
                ";TZID=America/Chicago:20250309T090000",
                "SUMMARY:alice",
                "RRULE:FREQ=DAILY;COUNT=2",
            )
        ),
        [
            (utc(2025, 3, 8, 15), utc(2025, 3, 9, 14), ("U-alice",), (), 0, False),
            (utc(2025, 3, 9, 14), utc(2025, 3, 10, 14), ("U-alice",), (), 0, False),
        ],
        Window(utc(2025, 3, 1), utc(2025, 3, 31)),
    ),
    Scenario(
        "floating-times-are-utc-and-x-wr-timezone-is-ignored",
        calendar(
            vevent("a@x", ":20250106T090000", ":20250106T170000", "SUMMARY:alice"),
            header="X-WR-TIMEZONE:Asia/Tokyo",
        ),
        [nine_to_five(6, ("U-alice",))],
    ),
    Scenario(
        "rrule-count",
        calendar(vevent("a@x", *DAY6, "SUMMARY:alice", "RRULE:FREQ=DAILY;COUNT=2")),
        [nine_to_five(6, ("U-alice",)), nine_to_five(7, ("U-alice",))],
    ),
    Scenario(
        "rrule-until-is-inclusive",
        calendar(vevent("a@x", *DAY6, "SUMMARY:alice", "RRULE:FREQ=DAILY;UNTIL=20250108T090000Z")),
        [nine_to_five(day, ("U-alice",)) for day in (6, 7, 8)],
    ),
    Scenario(
        "exdate-removes-an-occurrence",
        calendar(
            vevent(
                "a@x",
                *DAY6,
                "SUMMARY:alice",
                "RRULE:FREQ=DAILY;COUNT=3",
                "EXDATE:20250107T090000Z",
            )
        ),
        [nine_to_five(6, ("U-alice",)), nine_to_five(8, ("U-alice",))],
    ),
    Scenario(
        "rdate-adds-an-occurrence",
        calendar(vevent("a@x", *DAY6, "SUMMARY:alice", "RDATE:20250110T090000Z")),
        [nine_to_five(6, ("U-alice",)), nine_to_five(10, ("U-alice",))],
    ),
    Scenario(
        # ICAL-02: an edited occurrence replaces the original one.
        "recurrence-id-replaces-an-occurrence",
        calendar(
            vevent("a@x", *DAY6, "SUMMARY:alice", "RRULE:FREQ=DAILY;COUNT=3"),
            vevent(
                "a@x",
                ":20250107T120000Z",
                ":20250107T130000Z",
                "SUMMARY:bob",
                "SEQUENCE:1",
                "RECURRENCE-ID:20250107T090000Z",
            ),
        ),
        [
            nine_to_five(6, ("U-alice",)),
            (utc(2025, 1, 7, 12), utc(2025, 1, 7, 13), ("U-bob",), (), 0, False),
            nine_to_five(8, ("U-alice",)),
        ],
    ),
    Scenario(
        "cancelled-events-are-ignored",
        calendar(
            vevent("a@x", *DAY6, "SUMMARY:alice", "STATUS:CANCELLED"),
            vevent("b@x", ":20250107T090000Z", ":20250107T170000Z", "SUMMARY:bob"),
        ),
        [nine_to_five(7, ("U-bob",))],
    ),
    Scenario(
        "a-cancelled-occurrence-is-removed",
        calendar(
            vevent("a@x", *DAY6, "SUMMARY:alice", "RRULE:FREQ=DAILY;COUNT=2"),
            vevent(
                "a@x", *DAY6, "SUMMARY:alice", "STATUS:CANCELLED", "RECURRENCE-ID:20250106T090000Z"
            ),
        ),
        [nine_to_five(7, ("U-alice",))],
    ),
    Scenario(
        "zero-length-events-are-dropped",
        calendar(vevent("a@x", ":20250106T090000Z", ":20250106T090000Z", "SUMMARY:alice")),
        [],
    ),
    Scenario(
        "window-is-half-open",
        calendar(
            vevent("a@x", ":20250106T090000Z", ":20250106T100000Z", "SUMMARY:alice"),
            vevent("b@x", ":20250106T100000Z", ":20250106T110000Z", "SUMMARY:bob"),
            vevent("c@x", ":20250106T110000Z", ":20250106T120000Z", "SUMMARY:alice"),
        ),
        [(utc(2025, 1, 6, 10), utc(2025, 1, 6, 11), ("U-bob",), (), 0, False)],
        Window(utc(2025, 1, 6, 10), utc(2025, 1, 6, 11)),
    ),
    Scenario(
        "instant-window-keeps-an-event-starting-then",
        calendar(
            vevent("a@x", ":20250106T090000Z", ":20250106T100000Z", "SUMMARY:alice"),
            vevent("b@x", ":20250106T100000Z", ":20250106T110000Z", "SUMMARY:bob"),
        ),
        [(utc(2025, 1, 6, 10), utc(2025, 1, 6, 11), ("U-bob",), (), 0, False)],
        Window(utc(2025, 1, 6, 10), utc(2025, 1, 6, 10)),
    ),
    Scenario(
        # ICAL-01: daily 13:00-22:00 +05, window 2021-01-27T15:27:14Z ± 1 day.
        "ical01-recurring-event-in-a-two-day-window",
        calendar(
            vevent(
                "r@x",
                ";TZID=Asia/Yekaterinburg:20210124T130000",
                ";TZID=Asia/Yekaterinburg:20210124T220000",
                "SUMMARY:@Bernard Desruisseaux",
                "RRULE:FREQ=DAILY",
            )
        ),
        [
            (
                utc(2021, 1, day, 8),
                utc(2021, 1, day, 17),
                ("U-@Bernard Desruisseaux",),
                (),
                0,
                False,
            )
            for day in (26, 27, 28)
        ],
        Window(utc(2021, 1, 26, 15, 27, 14), utc(2021, 1, 28, 15, 27, 14)),
    ),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.name)
def test_expand_ical(scenario: Scenario) -> None:
    events = expand_ical(scenario.text, scenario.window, CalendarType.PRIMARY, DIRECTORY)
    assert sorted(
        (e.start, e.end, e.users, e.missing_users, e.level, e.all_day) for e in events
    ) == sorted(scenario.expected)


@pytest.mark.parametrize(
    ("uid_line", "shift_id", "source"),
    [
        ("UID:oncall-1a2b-PKOSHIFT123-U1-E2-S0", "OSHIFT123", Source.WEB),
        ("UID:amixr-1a2b-U1-E2-S3", None, Source.TERRAFORM),
        ("UID:plain@example.com", "plain@example.com", None),
        ("X-NO-UID:1", None, None),
    ],
)
def test_events_carry_calendar_type_shift_id_and_source(uid_line, shift_id, source) -> None:
    text = calendar(f"{uid_line}\nDTSTART{DAY6[0]}\nDTEND{DAY6[1]}\nSUMMARY:alice")
    [event] = expand_ical(text, JAN, CalendarType.OVERRIDES, DIRECTORY)
    assert (event.calendar_type, event.shift_id, event.source) == (
        CalendarType.OVERRIDES,
        shift_id,
        source,
    )


def test_res14_series_and_modification_keep_their_own_identity() -> None:
    text = calendar(
        vevent(
            "eventuid@google.com",
            ";VALUE=DATE:20230717",
            ";VALUE=DATE:20230718",
            "SUMMARY:alice",
            "SEQUENCE:1",
            "RRULE:FREQ=WEEKLY;WKST=MO;INTERVAL=3;BYDAY=MO",
        ),
        vevent(
            "eventuid@google.com",
            ";TZID=Europe/Warsaw:20230717T100000",
            ";TZID=Europe/Warsaw:20230724T100000",
            "SUMMARY:bob",
            "SEQUENCE:2",
            "RECURRENCE-ID;TZID=Europe/Warsaw:19700101T010000",
        ),
    )
    window = Window(utc(2023, 7, 17), utc(2023, 7, 24))
    events = expand_ical(text, window, CalendarType.PRIMARY, DIRECTORY)
    assert sorted(event.shift_id for event in events) == [
        "eventuid@google.com_1",
        "eventuid@google.com_2_1970-01-01T01:00:00+01:00",
    ]


WARSAW_1970 = datetime(1970, 1, 1, 1, tzinfo=ZoneInfo("Europe/Warsaw"))

IDENTITIES = [
    # ICAL-05.
    ("OUCE6WAHL35PP-202309200300-UHZ38D6AQXXBY", None, None, ("OUCE6WAHL35PP", None)),
    ("amixr-5f0c7a1e-aaaa-bbbb-U1-E2-S1", None, None, (None, Source.API)),
    ("oncall-5f0c-7a1e-PKOABCDEF12345-U3-E1-S2", None, None, ("OABCDEF12345", Source.SLACK)),
    ("oncall-5f0c-PKOX-U3-E1-S3", 4, None, ("OX", Source.TERRAFORM)),
    ("someid@google.com", None, None, ("someid@google.com", None)),
    ("someid@google.com", 2, None, ("someid@google.com_2", None)),
    ("someid@google.com", 0, None, ("someid@google.com_0", None)),
    ("someid@google.com", 3, WARSAW_1970, ("someid@google.com_3_1970-01-01T01:00:00+01:00", None)),
    ("someid@google.com", None, date(2023, 7, 17), ("someid@google.com_2023-07-17", None)),
    # Upstream only looks at how a UID starts: `<word>-<digits>-<word>...` names shift <word>.
    ("team-24-rota-a@conformance.example", 1, None, ("team", None)),
    ("edge-if-w@x", None, None, ("edge-if-w@x", None)),
]


@pytest.mark.parametrize(
    ("uid", "sequence", "recurrence_id", "expected"), IDENTITIES, ids=[row[0] for row in IDENTITIES]
)
def test_shift_identity(uid, sequence, recurrence_id, expected) -> None:
    assert shift_identity(uid, sequence, recurrence_id) == expected


UNPARSABLE = {
    "garbage": "hello world",
    "empty": "",
    "vevent-without-calendar": "BEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\n",
    "vevent-without-dtstart": calendar("UID:a@x\nSUMMARY:alice"),
    "bad-rrule": calendar(vevent("a@x", *DAY6, "SUMMARY:alice", "RRULE:FREQ=SOMETIMES")),
}


@pytest.mark.parametrize("frequency", ["MINUTELY", "SECONDLY"])
def test_sub_hourly_series_are_left_out_and_the_rest_is_read(frequency: str) -> None:
    # Too costly to expand (every occurrence since DTSTART is walked), and never an on-call rota.
    text = calendar(
        vevent("fast@x", ":20150101T000000Z", ":20150101T000030Z", f"RRULE:FREQ={frequency}"),
        vevent("fast@x", *DAY6, "RECURRENCE-ID:20250106T090000Z", "SUMMARY:bob"),
        vevent("day@x", *DAY6, "SUMMARY:alice"),
    )
    events = expand_ical(text, JAN, CalendarType.PRIMARY, DIRECTORY)
    assert [(event.start, event.users) for event in events] == [(utc(2025, 1, 6, 9), ("U-alice",))]


@pytest.mark.parametrize("text", UNPARSABLE.values(), ids=UNPARSABLE.keys())
def test_unparsable_text_raises_calendar_parse_error(text: str) -> None:
    with pytest.raises(CalendarParseError):
        expand_ical(text, JAN, CalendarType.PRIMARY, DIRECTORY)


def test_endless_rrule_is_expanded_over_the_window_only() -> None:
    text = calendar(vevent("a@x", ":20150101T000000Z", ":20150101T003000Z", "RRULE:FREQ=HOURLY"))
    window = Window(utc(2025, 1, 6), utc(2025, 1, 7))
    assert len(expand_ical(text, window, CalendarType.PRIMARY, DIRECTORY)) == 24


GOOD = CalendarText(calendar(vevent("a@x", *DAY6, "SUMMARY:alice")), CalendarType.PRIMARY)
BAD = CalendarText("not a calendar", CalendarType.OVERRIDES)


def test_timeline_raises_on_a_bad_calendar_by_default() -> None:
    with pytest.raises(CalendarParseError):
        schedule_timeline(shifts=[], calendars=[GOOD, BAD], directory=DIRECTORY, window=JAN)


def test_timeline_can_report_a_bad_calendar_and_go_on_without_it() -> None:
    reported: list[CalendarText] = []
    final = schedule_timeline(
        shifts=[],
        calendars=[GOOD, BAD],
        directory=DIRECTORY,
        window=JAN,
        on_bad_calendar=lambda calendar, error: reported.append(calendar),
    )
    assert reported == [BAD]
    assert [(event.start, event.users) for event in final] == [(utc(2025, 1, 6, 9), ("U-alice",))]


def test_timeline_with_gaps() -> None:
    window = Window(utc(2025, 1, 6, 8), utc(2025, 1, 6, 18))
    final = schedule_timeline(
        shifts=[], calendars=[GOOD], directory=DIRECTORY, window=window, with_gaps=True
    )
    assert [(e.start.hour, e.end.hour, e.users, e.is_gap) for e in final] == [
        (8, 9, (), True),
        (9, 17, ("U-alice",), False),
        (17, 18, (), True),
    ]


def test_large_calendar_is_read_in_reasonable_time() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    bodies = [
        vevent(
            f"e{i}@x",
            f":{start + timedelta(hours=i):%Y%m%dT%H%M%SZ}",
            f":{start + timedelta(hours=i, minutes=30):%Y%m%dT%H%M%SZ}",
            "SUMMARY:alice",
        )
        for i in range(2000)
    ]
    window = Window(utc(2024, 2, 1), utc(2024, 2, 2))
    events = expand_ical(calendar(*bodies), window, CalendarType.PRIMARY, DIRECTORY)
    assert len(events) == 24
