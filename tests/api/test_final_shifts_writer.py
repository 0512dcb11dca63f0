"""final_shifts bodies written row by row, rows no window edge cut kept for the next windows: the
bytes are those of the whole page written at once."""

import tracemalloc
from datetime import UTC, datetime, timedelta

import orjson

from schedules.api.oncall_serializers import FinalShiftsWriter
from users.models import User

T0 = datetime(2030, 1, 7, tzinfo=UTC)
ANN = User(public_id="UANN", email="ann@example.com", username="ann")
BEN = User(public_id="UBEN", email="ben@example.com", username="ben")


def page(rows) -> bytes:
    """The body as one orjson call over the whole page writes it."""
    results = [
        {
            "user_pk": user.public_id,
            "user_email": user.email,
            "user_username": user.username,
            "shift_start": start,
            "shift_end": end,
        }
        for user, start, end in rows
    ]
    body = {
        "count": len(results),
        "next": None,
        "previous": None,
        "results": results,
        "current_page_number": 1,
        "page_size": 50,
        "total_pages": 1,
    }
    return orjson.dumps(body, option=orjson.OPT_UTC_Z)


def clipped_rows(window_start: datetime, window_end: datetime):
    """5-hour shifts every 6 hours, ann and ben together on every other one, cut to the window."""
    rows = []
    for number in range(40):
        start = T0 + timedelta(hours=6 * number)
        end = start + timedelta(hours=5, microseconds=number % 2)
        if start < window_end and end > window_start:
            for user in (ANN, BEN)[: 1 + number % 2]:
                rows.append((user, max(start, window_start), min(end, window_end)))
    return rows


def test_bodies_of_sliding_windows_are_the_pages_written_at_once():
    writer = FinalShiftsWriter()
    for hours in range(0, 60, 7):
        start, end = T0 + timedelta(hours=hours), T0 + timedelta(hours=hours + 100)
        rows = clipped_rows(start, end)

        assert writer.body(rows, start, end) == page(rows)


def test_only_rows_inside_the_window_are_kept():
    writer = FinalShiftsWriter()
    start, end = T0 + timedelta(hours=2), T0 + timedelta(hours=14)

    writer.body(clipped_rows(start, end), start, end)

    assert sorted(writer.written) == [
        ("UANN", T0 + timedelta(hours=6), T0 + timedelta(hours=11, microseconds=1)),
        ("UBEN", T0 + timedelta(hours=6), T0 + timedelta(hours=11, microseconds=1)),
    ]


def test_kept_rows_take_the_memory_of_their_bytes():
    """orjson's bytes keep a buffer of about 2 KB: kept as they come, a year of an hourly
    rotation's rows took 17 MB per writer."""
    writer = FinalShiftsWriter()
    start, end = T0, T0 + timedelta(days=9)
    rows = clipped_rows(start, end)

    tracemalloc.start()
    try:
        writer.body(rows, start, end)
        kept_bytes, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert len(writer.written) == 53  # all but the first shift, which starts at the edge
    assert kept_bytes < 53 * 500


def test_an_empty_body_is_an_empty_page():
    assert FinalShiftsWriter().body([], T0, T0) == page([])
