"""iCal feeds mixing RRULE, EXDATE and RECURRENCE-ID (hypothesis): the cached path (a block
expanded once, each window resolved from it) answers what the plain path (the window expanded
on its own) answers, and a window sees what a wider expansion sees of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dateutil import rrule as du
from hypothesis import given, settings
from hypothesis import strategies as st

from shifts.engine import (
    CalendarText,
    CalendarType,
    Event,
    Window,
    expand_ical,
    raw_sources,
    resolve_within,
    schedule_timeline,
)
from tests.engine.test_ical import calendar, vevent
from tests.engine.test_ical_fixtures import DIRECTORY

# March to May 2025: Europe/London, America/Chicago and Australia/Sydney change their clocks
B0 = datetime(2025, 3, 1)
ZONES = ("UTC", "America/Chicago", "Europe/London", "Australia/Sydney")
SUMMARIES = ("alice", "bob", "[L1] carol", "[L2] dave", "erin frank", "nosuchuser")
_FREQUENCIES = {"HOURLY": du.HOURLY, "DAILY": du.DAILY, "WEEKLY": du.WEEKLY, "MONTHLY": du.MONTHLY}
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# occurrences a series may lose (EXDATE) or have edited (RECURRENCE-ID): among its first few
_EDITABLE = 8


def _stamp(wall: datetime, zone: str) -> str:
    """The `;TZID=...:` or `:...Z` tail of a DTSTART-like line for a wall time in `zone`."""
    if zone == "UTC":
        return wall.strftime(":%Y%m%dT%H%M%SZ")
    return f";TZID={zone}:" + wall.strftime("%Y%m%dT%H%M%S")


@st.composite
def timed_series(draw: st.DrawFn, uid: str) -> list[str]:
    """A recurring timed VEVENT, with EXDATEs and edited (moved, re-assigned or cancelled)
    instances of its own occurrences."""
    zone = draw(st.sampled_from(ZONES))
    start = B0 + timedelta(minutes=30 * draw(st.integers(0, 2 * 24 * 40)))
    length = timedelta(minutes=30 * draw(st.integers(1, 2 * 72)))
    frequency = draw(st.sampled_from(sorted(_FREQUENCIES)))
    interval = draw(st.integers(1, 3))
    by_day = draw(st.lists(st.integers(0, 6), unique=True, max_size=3))
    by_day = by_day if frequency == "WEEKLY" else []
    count = draw(st.one_of(st.none(), st.integers(1, 12)))
    rule = [f"FREQ={frequency}", f"INTERVAL={interval}"]
    if by_day:
        rule.append("BYDAY=" + ",".join(_WEEKDAYS[day] for day in by_day))
    if count is not None:
        rule.append(f"COUNT={count}")
    first = list(
        du.rrule(
            _FREQUENCIES[frequency],
            dtstart=start,
            interval=interval,
            byweekday=by_day or None,
            count=min(count or _EDITABLE, _EDITABLE),
            cache=False,
        )
    )
    excluded = draw(st.lists(st.sampled_from(first), unique=True, max_size=3))
    edited = draw(
        st.lists(
            st.sampled_from([o for o in first if o not in excluded] or first),
            unique=True,
            max_size=3,
        )
    )
    master = vevent(
        uid,
        _stamp(start, zone),
        _stamp(start + length, zone),
        f"SUMMARY:{draw(st.sampled_from(SUMMARIES))}",
        "RRULE:" + ";".join(rule),
        *(f"EXDATE{_stamp(day, zone)}" for day in excluded),
    )
    instances = []
    for occurrence in edited:
        moved = occurrence + timedelta(minutes=30 * draw(st.integers(-48, 48)))
        instances.append(
            vevent(
                uid,
                _stamp(moved, zone),
                _stamp(moved + timedelta(minutes=30 * draw(st.integers(1, 48))), zone),
                f"SUMMARY:{draw(st.sampled_from(SUMMARIES))}",
                f"RECURRENCE-ID{_stamp(occurrence, zone)}",
                f"SEQUENCE:{draw(st.integers(0, 2))}",
                *(["STATUS:CANCELLED"] if draw(st.booleans()) and draw(st.booleans()) else []),
            )
        )
    return [master, *instances]


@st.composite
def all_day_series(draw: st.DrawFn, uid: str) -> list[str]:
    """A daily or weekly all-day VEVENT with an EXDATE, and one single all-day event."""
    day = B0.date() + timedelta(days=draw(st.integers(0, 60)))
    days = draw(st.integers(1, 3))
    frequency = draw(st.sampled_from(["DAILY", "WEEKLY"]))
    excluded = day + timedelta(days=draw(st.integers(0, 3)) * (1 if frequency == "DAILY" else 7))
    return [
        vevent(
            uid,
            day.strftime(";VALUE=DATE:%Y%m%d"),
            (day + timedelta(days=days)).strftime(";VALUE=DATE:%Y%m%d"),
            f"SUMMARY:{draw(st.sampled_from(SUMMARIES))}",
            f"RRULE:FREQ={frequency};COUNT={draw(st.integers(1, 6))}",
            excluded.strftime("EXDATE;VALUE=DATE:%Y%m%d"),
        ),
        vevent(
            f"single-{uid}",
            day.strftime(";VALUE=DATE:%Y%m%d"),
            (day + timedelta(days=1)).strftime(";VALUE=DATE:%Y%m%d"),
            f"SUMMARY:{draw(st.sampled_from(SUMMARIES))}",
        ),
    ]


@st.composite
def feeds(draw: st.DrawFn) -> str:
    events = []
    for number in range(draw(st.integers(1, 3))):
        events += draw(timed_series(f"series-{number}@x"))
    if draw(st.booleans()):
        events += draw(all_day_series("all-day@x"))
    return calendar(*events)


@st.composite
def calendars(draw: st.DrawFn) -> list[CalendarText]:
    """A primary feed, and an overrides feed half the time."""
    found = [CalendarText(draw(feeds()), CalendarType.PRIMARY)]
    if draw(st.booleans()):
        found.append(CalendarText(draw(feeds()), CalendarType.OVERRIDES))
    return found


@st.composite
def windows_in_a_block(draw: st.DrawFn) -> tuple[Window, Window]:
    """A window (never an instant) from March to mid-May 2025 and a longer block around it."""
    start = B0.replace(tzinfo=UTC) + timedelta(hours=draw(st.integers(0, 24 * 45)))
    window = Window(start, start + timedelta(hours=draw(st.integers(1, 24 * 20))))
    before, after = (timedelta(hours=draw(st.integers(0, 24 * 30))) for _ in range(2))
    return window, Window(window.start - before, window.end + after)


def _key(event: Event) -> tuple:
    return (event.start, event.end, event.users, event.calendar_type, event.level, event.shift_id)


def _meeting(events: list[Event], window: Window) -> list[Event]:
    return sorted((e for e in events if e.start < window.end and e.end > window.start), key=_key)


@settings(max_examples=60, deadline=None)
@given(calendars(), windows_in_a_block())
def test_a_window_resolved_from_a_block_of_feeds_is_the_window_itself(found, windows) -> None:
    window, block = windows
    expanded = raw_sources(shifts=[], calendars=found, directory=DIRECTORY, window=block).events()

    assert resolve_within(expanded, window) == schedule_timeline(
        shifts=[], calendars=found, directory=DIRECTORY, window=window
    )


@settings(max_examples=60, deadline=None)
@given(feeds(), windows_in_a_block())
def test_a_window_of_a_feed_sees_what_a_wider_expansion_sees(text, windows) -> None:
    window, block = windows
    alone = expand_ical(text, window, CalendarType.PRIMARY, DIRECTORY)
    wider = expand_ical(text, block, CalendarType.PRIMARY, DIRECTORY)

    assert _meeting(alone, window) == _meeting(wider, window)
