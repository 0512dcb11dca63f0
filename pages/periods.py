"""The period a timeline shows (docs/pages.md#the-timeline): a day, a week, two weeks or a
month of the viewer's calendar, from a local midnight to a local midnight."""

from dataclasses import dataclass
from datetime import date, timedelta

SPANS = {"day": "Day", "week": "Week", "2weeks": "Two weeks", "month": "Month"}
DEFAULT_SPAN = "week"
# Dates outside these years are read as today (the engine's instants stay well inside Python's).
FIRST_YEAR, LAST_YEAR = 1971, 2999


@dataclass(frozen=True, slots=True)
class Period:
    span: str
    first: date
    end: date  # the day after the last one shown
    previous: date
    next: date


def month_start(day: date, months_on: int) -> date:
    months = day.year * 12 + day.month - 1 + months_on
    return date(months // 12, months % 12 + 1, 1)


def parse_day(text: str | None, today: date) -> date:
    try:
        day = date.fromisoformat((text or "")[:10])
    except ValueError:
        return today
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else today


def period_of(span: str | None, start: str | None, today: date) -> Period:
    """The period of `span` holding the day `start` (`YYYY-MM-DD`; today when missing or
    unreadable): weeks start on Monday, months on their first day."""
    span = span if span in SPANS else DEFAULT_SPAN
    day = parse_day(start, today)
    if span == "month":
        first = month_start(day, 0)
        return Period(
            span, first, month_start(first, 1), month_start(first, -1), month_start(first, 1)
        )
    length = {"day": 1, "week": 7, "2weeks": 14}[span]
    first = day if span == "day" else day - timedelta(days=day.weekday())
    step = timedelta(days=length)
    return Period(span, first, first + step, first - step, first + step)
