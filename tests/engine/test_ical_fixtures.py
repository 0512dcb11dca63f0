"""Real-world calendar exports (fixtures written for these tests) read by `expand_ical`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from shifts.engine import CalendarType, UserDirectory, Window, expand_ical

FIXTURES = Path(__file__).parent / "fixtures"
USERS = ("alice", "bob", "carol", "dave", "erin", "frank")
DIRECTORY = UserDirectory(
    by_username={name: name for name in USERS},
    by_email={f"{name}@example.com": name for name in USERS},
)


def window(start: str, end: str) -> Window:
    return Window(datetime.fromisoformat(start), datetime.fromisoformat(end))


def read(name: str, query: Window) -> list[tuple[str, str, tuple[str, ...], int, bool]]:
    events = expand_ical((FIXTURES / name).read_text(), query, CalendarType.PRIMARY, DIRECTORY)
    return sorted(
        (
            event.start.astimezone(UTC).strftime("%m-%d %H:%M"),
            event.end.astimezone(UTC).strftime("%m-%d %H:%M:%S"),
            event.users,
            event.level,
            event.all_day,
        )
        for event in events
    )


JANUARY = window("2025-01-01T00:00:00+00:00", "2025-02-01T00:00:00+00:00")
MARCH = window("2025-03-01T00:00:00+00:00", "2025-04-01T00:00:00+00:00")


@pytest.mark.parametrize(
    ("fixture", "query", "expected"),
    [
        pytest.param(
            "google.ics",
            JANUARY,
            [
                # Weekly Mondays 09:00-17:00 New York (EST) for the single ATTENDEE (mailto:
                # stripped, D11); Jan 13 is an EXDATE; Jan 20 is an edited instance (RECURRENCE-ID,
                # SEQUENCE 1) moved an hour later and handed to bob; the CANCELLED event on
                # Jan 8 is gone; the all-day weekend is UTC days ending 23:59:59; dave is named in
                # DESCRIPTION and `[L2]` sets the level.
                ("01-06 14:00", "01-06 22:00:00", ("alice",), 0, False),
                ("01-11 00:00", "01-12 23:59:59", ("carol",), 0, True),
                ("01-15 10:00", "01-15 11:00:00", ("dave",), 2, False),
                ("01-20 15:00", "01-20 23:00:00", ("bob",), 0, False),
                ("01-27 14:00", "01-27 22:00:00", ("alice",), 0, False),
            ],
            id="google-calendar-export",
        ),
        pytest.param(
            "outlook.ics",
            MARCH,
            [
                # TZID "Pacific Standard Time" (Windows name, with its VTIMEZONE): 09:00 local is
                # 17:00Z before the March 9 change and 16:00Z after it. The ATTENDEE line is folded
                # and its e-mail has another case. "W. Europe Standard Time" has no VTIMEZONE.
                ("03-08 17:00", "03-09 01:00:00", ("bob",), 0, False),
                ("03-09 16:00", "03-10 00:00:00", ("bob",), 0, False),
                ("03-10 16:00", "03-11 00:00:00", ("bob",), 0, False),
                ("03-11 07:00", "03-11 11:00:00", ("erin",), 0, False),
            ],
            id="outlook-export-windows-zones",
        ),
        pytest.param(
            "x-wr-timezone.ics",
            JANUARY,
            # Upstream ignores X-WR-TIMEZONE for event times: floating times are read as UTC.
            [("01-06 09:00", "01-06 17:00:00", ("frank",), 0, False)],
            id="x-wr-timezone-floating",
        ),
    ],
)
def test_real_world_exports(fixture, query, expected):
    assert read(fixture, query) == expected


def test_google_export_missing_users_are_the_unmatched_names():
    events = expand_ical(
        (FIXTURES / "google.ics").read_text(), JANUARY, CalendarType.PRIMARY, DIRECTORY
    )
    first = min(events, key=lambda event: event.start)
    assert first.missing_users == (
        "Primary on-call",
        "Primary on-call. Escalate to the secondary after 15 minutes if the page is not "
        "acknowledged.",
    )
