"""Hostile calendars (docs/ical-feeds.md#limits): rules that cannot be expanded at a bounded cost
are refused; endless series start near the window whatever their DTSTART, with the same
occurrences; a query yields a bounded number of occurrences."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from recurring_ical_events import CalendarQuery

import shifts.engine.ical as ical
from shifts.engine import CalendarParseError, CalendarType, Window, expand_ical
from shifts.engine.ical import parse_ical, readable_calendar
from shifts.engine.ical_limits import MAX_COUNT, move_series_starts
from shifts.engine.window import ical_query_range
from tests.engine.test_ical import DIRECTORY, calendar, utc, vevent

WEEK = Window(utc(2026, 12, 1), utc(2026, 12, 8))
YEAR_ONE = (":00010101T090000Z", ":00010101T100000Z")


def expand(text: str, window: Window = WEEK) -> list[tuple[datetime, datetime]]:
    events = expand_ical(text, window, CalendarType.PRIMARY, DIRECTORY)
    return sorted((event.start, event.end) for event in events)


def series(rule: str, start: tuple[str, str] = YEAR_ONE, *extra: str) -> str:
    return calendar(vevent("s@x", *start, "SUMMARY:alice", f"RRULE:{rule}", *extra))


REFUSED = {
    "interval 0": "FREQ=DAILY;INTERVAL=0",
    "negative interval": "FREQ=HOURLY;INTERVAL=-1",
    "count 0": "FREQ=DAILY;COUNT=0",
    "negative count": "FREQ=DAILY;COUNT=-5",
    "count too large": f"FREQ=HOURLY;COUNT={MAX_COUNT + 1}",
    "count and until": "FREQ=DAILY;COUNT=3;UNTIL=20270101T000000Z",
    "30 february": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "31 april and june": "FREQ=DAILY;BYMONTH=4,6;BYMONTHDAY=31",
    "a second's position in a day": "FREQ=DAILY;BYSETPOS=2",
    "an hour's position": "FREQ=HOURLY;BYSETPOS=3",
    "a weekday a whole-week step never reaches": "FREQ=DAILY;INTERVAL=7;BYDAY=TU",
    "the same in hours": "FREQ=HOURLY;INTERVAL=168;BYDAY=SU",
    "no frequency": "INTERVAL=2",
}


@pytest.mark.parametrize("rule", REFUSED.values(), ids=REFUSED.keys())
def test_rules_that_cannot_be_expanded_at_a_bounded_cost_are_refused(rule: str) -> None:
    with pytest.raises(CalendarParseError):
        readable_calendar(series(rule))
    with pytest.raises(CalendarParseError):
        expand(series(rule))


def test_two_rrules_on_one_event_are_refused() -> None:
    text = series("FREQ=DAILY", YEAR_ONE, "RRULE:FREQ=WEEKLY")
    with pytest.raises(CalendarParseError, match="more than one RRULE"):
        expand(text)


@pytest.mark.parametrize(
    ("rule", "start", "expected"),
    [
        ("FREQ=HOURLY", YEAR_ONE, 7 * 24),
        ("FREQ=DAILY", YEAR_ONE, 7),
        ("FREQ=WEEKLY;BYDAY=MO,WE", YEAR_ONE, 2),
        ("FREQ=DAILY;INTERVAL=7;BYDAY=MO", YEAR_ONE, 1),  # 0001-01-01 is a Monday
        ("FREQ=MONTHLY;BYDAY=1MO", YEAR_ONE, 1),
        ("FREQ=MONTHLY", (":00010103T090000Z", ":00010103T100000Z"), 1),
        ("FREQ=YEARLY", (":00011203T090000Z", ":00011203T100000Z"), 1),
        ("FREQ=DAILY;UNTIL=99991231T000000Z", YEAR_ONE, 7),
        ("FREQ=DAILY;UNTIL=00010105T000000Z", YEAR_ONE, 0),
        ("FREQ=DAILY;COUNT=10000", YEAR_ONE, 0),
        ("FREQ=DAILY", (";VALUE=DATE:00010101", ";VALUE=DATE:00010102"), 7),
        (
            "FREQ=HOURLY;INTERVAL=5",
            (";TZID=Europe/London:00010101T090000", ":00010101T100000Z"),
            33,
        ),
    ],
)
def test_series_started_in_year_one_give_their_occurrences_in_the_window(
    rule: str, start: tuple[str, str], expected: int
) -> None:
    assert len(expand(series(rule, start))) == expected


@pytest.mark.parametrize("frequency", ["HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"])
def test_an_endless_series_starts_within_two_periods_of_the_query(frequency: str) -> None:
    """The walk to the window is at most a few periods long, however old the DTSTART."""
    calendar_ = parse_ical(series(f"FREQ={frequency};INTERVAL=2"))
    query_start = utc(2026, 11, 15)
    move_series_starts(calendar_, query_start)
    start = calendar_.walk("VEVENT")[0]["DTSTART"].dt
    longest_period = {"HOURLY": 1, "DAILY": 1, "WEEKLY": 7, "MONTHLY": 31, "YEARLY": 366}
    assert timedelta(0) < query_start - start <= timedelta(days=3 * 2 * longest_period[frequency])


def test_a_query_yields_a_bounded_number_of_occurrences(monkeypatch) -> None:
    # A query reads the window widened by 16 days on each side.
    monkeypatch.setattr(ical, "MAX_OCCURRENCES", 1000)
    text = series("FREQ=HOURLY", (":20261201T000000Z", ":20261201T003000Z"))
    assert len(expand(text, Window(utc(2026, 12, 2), utc(2026, 12, 3)))) == 24
    with pytest.raises(CalendarParseError, match="more than 1000 occurrences"):
        expand(text, Window(utc(2026, 12, 1), utc(2027, 1, 1)))


def test_endless_series_past_the_cap_are_refused_before_any_walk(monkeypatch) -> None:
    """2,000 hourly series from year 1: 48,000 occurrences a day. The walk would stop at the cap;
    the calendar is refused before a single series is built."""
    events = [
        vevent(f"s{n}@x", *YEAR_ONE, "SUMMARY:alice", "RRULE:FREQ=HOURLY") for n in range(2000)
    ]
    monkeypatch.setattr(ical, "CalendarQuery", None)  # calling it would fail
    with pytest.raises(CalendarParseError, match="more than 20000 occurrences between"):
        expand(calendar(*events))


def occurrences_walked(text: str, window: Window) -> int:
    """How many occurrences the walk of a query over `window` goes through."""
    calendar_ = readable_calendar(text)
    query_start, query_stop = ical_query_range(window)
    move_series_starts(calendar_, query_start)
    query = CalendarQuery(calendar_, components=("VEVENT",))
    return sum(1 for _ in ical._occurrences(query, query_start, query_stop))


@pytest.mark.parametrize(
    "rule", ["FREQ=HOURLY", "FREQ=HOURLY;INTERVAL=5", "FREQ=DAILY", "FREQ=WEEKLY;INTERVAL=2"]
)
@pytest.mark.parametrize("minute", [0, 1, 59])
def test_a_calendar_the_walk_reads_is_not_refused_before_it(monkeypatch, rule, minute) -> None:
    """At a cap of exactly the occurrences the walk goes through, the calendar is read."""
    text = series(rule, (f":20260101T09{minute:02d}00Z", f":20260101T10{minute:02d}00Z"))
    window = Window(utc(2026, 12, 1, 9, 30), utc(2026, 12, 15))
    monkeypatch.setattr(ical, "MAX_OCCURRENCES", occurrences_walked(text, window))
    assert expand(text, window)
    monkeypatch.setattr(ical, "MAX_OCCURRENCES", occurrences_walked(text, window) - 1)
    with pytest.raises(CalendarParseError, match="occurrences between"):
        expand(text, window)


DENSE_RULES = st.sampled_from(
    [
        "FREQ=HOURLY",
        "FREQ=HOURLY;INTERVAL=5",
        "FREQ=DAILY",
        "FREQ=WEEKLY;INTERVAL=1;WKST=SU",
        "FREQ=HOURLY;BYHOUR=9,10",
        "FREQ=HOURLY;UNTIL=20261203T000000Z",
    ]
)


@settings(max_examples=60, deadline=None)
@given(
    rules=st.lists(DENSE_RULES, min_size=1, max_size=6),
    zone=st.sampled_from(["Z", ";TZID=Europe/London"]),
    start=st.datetimes(datetime(2026, 10, 1), datetime(2026, 12, 10)),
    exdate=st.booleans(),
    same_uid=st.booleans(),
    window_days=st.integers(1, 20),
)
def test_refusing_before_the_walk_gives_what_the_walk_gives(
    rules, zone, start, exdate, same_uid, window_days
) -> None:
    """With a cap of 1,500 occurrences: the calendar is refused before the walk exactly when the
    walk would refuse it, else both read the same events."""
    suffix, prefix = ("Z", "") if zone == "Z" else ("", zone)
    begin = f"{prefix}:{start:%Y%m%dT%H%M00}{suffix}"
    end = f"{prefix}:{start + timedelta(minutes=30):%Y%m%dT%H%M00}{suffix}"
    events = [
        vevent(
            "s@x" if same_uid else f"s{n}@x",
            begin,
            end,
            "SUMMARY:alice",
            f"RRULE:{rule}",
            *(
                [f"EXDATE{prefix}:{start + timedelta(days=20):%Y%m%dT%H%M00}{suffix}"]
                if exdate
                else []
            ),
        )
        for n, rule in enumerate(rules)
    ]
    text = calendar(*events)
    window = Window(utc(2026, 12, 1), utc(2026, 12, 1) + timedelta(days=window_days))

    def outcome() -> list[tuple[datetime, datetime]] | str:
        try:
            return expand(text, window)
        except CalendarParseError as error:
            return str(error)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ical, "MAX_OCCURRENCES", 1500)
        checked = outcome()
        patch.setattr(ical, "check_least_occurrences", lambda *args: None)
        assert checked == outcome()


RULES = st.sampled_from(
    [
        "FREQ=HOURLY;INTERVAL=7",
        "FREQ=DAILY",
        "FREQ=DAILY;INTERVAL=3;BYHOUR=8,20",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR",
        "FREQ=WEEKLY;INTERVAL=3;WKST=MO",
        "FREQ=MONTHLY;INTERVAL=2",
        "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=MONTHLY;BYMONTHDAY=31",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        "FREQ=YEARLY;INTERVAL=3",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
        "FREQ=YEARLY;BYWEEKNO=49;BYDAY=TU",
        "FREQ=DAILY;UNTIL=20270301T000000Z",
    ]
)
ZONES = st.sampled_from(["Z", "", ";TZID=Europe/London", ";TZID=America/Chicago", ";VALUE=DATE"])


@settings(max_examples=60, deadline=None)
@given(
    rule=RULES,
    zone=ZONES,
    start=st.datetimes(datetime(1990, 1, 1), datetime(2026, 6, 1)),
    length=st.sampled_from([timedelta(minutes=30), timedelta(hours=9), timedelta(days=2)]),
    window_start=st.datetimes(datetime(2026, 7, 1), datetime(2027, 1, 1)),
)
def test_starting_near_the_window_changes_no_occurrence(
    rule, zone, start, length, window_start
) -> None:
    start = start.replace(second=0, microsecond=0)
    if zone == ";VALUE=DATE":
        if "HOURLY" in rule or "BYHOUR" in rule:
            return
        begin, end = (
            f";VALUE=DATE:{start:%Y%m%d}",
            f";VALUE=DATE:{start + timedelta(days=2):%Y%m%d}",
        )
    else:
        suffix = "Z" if zone == "Z" else ""
        prefix = zone if zone not in ("Z", "") else ""
        begin = f"{prefix}:{start:%Y%m%dT%H%M%S}{suffix}"
        end = f"{prefix}:{start + length:%Y%m%dT%H%M%S}{suffix}"
    text = series(rule, (begin, end))
    window = Window(
        window_start.replace(tzinfo=UTC), window_start.replace(tzinfo=UTC) + timedelta(days=10)
    )
    moved = expand(text, window)
    original = ical.move_series_starts
    try:
        ical.move_series_starts = lambda calendar, query_start: None
        assert moved == expand(text, window)
    finally:
        ical.move_series_starts = original
