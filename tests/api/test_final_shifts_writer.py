"""final_shifts bodies of the windows of a block of time, the JSON of the block's own rows
written once: the bytes are those of the whole page written at once."""

import gc
import tracemalloc
from datetime import UTC, datetime, timedelta

import orjson
from freezegun import freeze_time
from hypothesis import given
from hypothesis import strategies as st

from schedules.api.oncall_serializers import BlockJson, FinalShiftsWriter
from shifts import engine
from timeline import FinalShiftRows
from users.models import User

T0 = datetime(2030, 1, 7, tzinfo=UTC)
ANN = User(public_id="UANN", email="ann@example.com", username="ann")
BEN = User(public_id="UBEN", email="ben@example.com", username="ben")
USERS = {user.public_id: user for user in (ANN, BEN)}
BLOCK = engine.Window(T0, T0 + timedelta(days=10))


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


def shift_starts():
    """5-hour shifts every 6 hours (a microsecond longer every other one)."""
    for number in range(40):
        start = T0 + timedelta(hours=6 * number)
        yield number, start, start + timedelta(hours=5, microseconds=number % 2)


def clipped_rows(window: engine.Window):
    """ann, and ben with her on every other shift, cut to the window."""
    return [
        (user, max(start, window.start), min(end, window.end))
        for number, start, end in shift_starts()
        if start < window.end and end > window.start
        for user in (ANN, BEN)[: 1 + number % 2]
    ]


RESOLVED = engine.resolve_block(
    [
        engine.Event(
            start=start,
            end=end,
            users=("UANN", "UBEN")[: 1 + number % 2],
            calendar_type=engine.CalendarType.PRIMARY,
            level=0,
            shift_id=f"S{number}",
        )
        for number, start, end in shift_starts()
    ],
    BLOCK,
)


def rows_in(window: engine.Window) -> FinalShiftRows:
    return FinalShiftRows(engine.window_spans_in_block(RESOLVED, window), USERS)


def test_bodies_of_sliding_windows_are_the_pages_written_at_once():
    writer = FinalShiftsWriter()
    for hours in range(0, 60, 7):
        window = engine.Window(T0 + timedelta(hours=hours), T0 + timedelta(hours=hours + 100))
        rows = rows_in(window)

        assert rows.all() == clipped_rows(window)
        assert writer.body(rows) == page(clipped_rows(window))


def test_the_blocks_rows_are_written_once_and_take_the_memory_of_their_bytes():
    writer = FinalShiftsWriter()
    first = rows_in(engine.Window(T0 + timedelta(hours=3), T0 + timedelta(days=3)))

    tracemalloc.start()
    try:
        writer.body(first)
        gc.collect()  # empties the interpreter's free lists of lists and tuples
        kept_bytes, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    block_json = writer.block_json
    writer.body(rows_in(engine.Window(T0 + timedelta(hours=9), T0 + timedelta(days=4))))

    assert writer.block_json is block_json
    all_rows = FinalShiftRows(engine.WindowSpans.of(RESOLVED.spans), USERS).all()
    assert block_json.text == b"".join(
        orjson.dumps(
            {
                "user_pk": user.public_id,
                "user_email": user.email,
                "user_username": user.username,
                "shift_start": start,
                "shift_end": end,
            },
            option=orjson.OPT_UTC_Z,
        )
        + b","
        for user, start, end in all_rows
    )
    assert kept_bytes < len(block_json.text) + 2000


def test_a_window_with_no_middle_is_written_row_by_row():
    window = engine.Window(T0 + timedelta(hours=1), T0 + timedelta(hours=4))
    rows = rows_in(window)
    writer = FinalShiftsWriter()

    assert rows.spans.middle.start == rows.spans.middle.stop
    assert writer.body(rows) == page(clipped_rows(window))
    assert writer.block_json is None


def test_an_empty_body_is_an_empty_page():
    empty = FinalShiftRows(engine.WindowSpans.of([]), USERS)

    assert FinalShiftsWriter().body(empty) == page([])


span_lists = st.lists(
    st.tuples(
        st.integers(0, 30).map(lambda hours: T0 + timedelta(hours=hours)),
        st.integers(1, 3).map(lambda hours: timedelta(hours=hours)),
        st.sampled_from([("UANN",), ("UBEN",), ("UANN", "UBEN"), ()]),
    ).map(lambda drawn: (drawn[0], drawn[0] + drawn[1], drawn[2])),
    max_size=12,
)


@given(
    before=span_lists,
    after=span_lists,
    shared_start=st.integers(0, 6),
    shared_end=st.integers(0, 6),
)
def test_the_json_of_a_blocks_spans_after_a_change_is_the_json_written_anew(
    before, after, shared_start, shared_end
) -> None:
    # the spans before and after a write share some at their start and end, as after a write
    # to one shift
    start, end = before[:shared_start], before[len(before) - shared_end :]
    changed = [*start, *after, *end]
    earlier = BlockJson.of(before, USERS)

    assert BlockJson.of(changed, USERS, earlier) == BlockJson.of(changed, USERS)


def test_a_writer_after_a_write_takes_the_unchanged_rows_from_the_writer_before() -> None:
    before = FinalShiftsWriter()
    window = engine.Window(T0 + timedelta(hours=3), T0 + timedelta(days=9))
    before.body(rows_in(window))
    after = FinalShiftsWriter(before)

    assert after.body(rows_in(window)) == page(clipped_rows(window))
    assert after.block_json == before.block_json


ODD = User(public_id="UODD", email=None, username='o"dd\\ünï\u2028')
ALL_USERS = {**USERS, ODD.public_id: ODD}
instants = st.integers(0, 40).map(lambda hours: T0 + timedelta(hours=hours)) | st.datetimes(
    min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
)
free_spans = st.lists(
    st.tuples(
        instants,
        instants,
        st.lists(st.sampled_from(sorted(ALL_USERS)), max_size=3).map(tuple),
    ),
    max_size=12,
)


def rows_json_one_by_one(spans) -> bytes:
    """Each row written by its own orjson call, followed by a comma."""
    return b"".join(
        orjson.dumps(
            {
                "user_pk": ALL_USERS[user_id].public_id,
                "user_email": ALL_USERS[user_id].email,
                "user_username": ALL_USERS[user_id].username,
                "shift_start": start,
                "shift_end": end,
            },
            option=orjson.OPT_UTC_Z,
        )
        + b","
        for start, end, user_ids in spans
        for user_id in user_ids
    )


def contiguous(spans):
    """The spans' users over spans each starting where the one before ends, at the spans'
    starts and ends in order."""
    bounds = sorted(instant for start, end, _ in spans for instant in (start, end))
    return [(bounds[2 * i], bounds[2 * i + 2], users) for i, (*_, users) in enumerate(spans[:-1])]


@given(spans=free_spans, chain_them=st.booleans())
def test_rows_written_in_bulk_are_the_rows_written_one_by_one(spans, chain_them) -> None:
    # spans of any users (none, several, names JSON escapes), with gaps or ending where the
    # next starts, at any instant (microseconds, years of fewer than four digits)
    spans = contiguous(spans) if chain_them else spans
    written = BlockJson.written(spans, ALL_USERS)
    row_ends = [len(rows_json_one_by_one(spans[:index])) for index in range(len(spans) + 1)]

    assert written.text == rows_json_one_by_one(spans)
    assert list(written.offsets) == row_ends
    assert list(written.rows_before) == [
        sum(len(users) for *_, users in spans[:index]) for index in range(len(spans) + 1)
    ]


def test_rows_of_freezeguns_datetimes_are_written_as_the_others() -> None:
    with freeze_time(T0):
        now = datetime.now(UTC)
    spans = [(now, now + timedelta(hours=1), ("UANN",)), (now, now, ("UBEN", "UANN"))]

    assert type(now) is not datetime
    assert BlockJson.written(spans, ALL_USERS).text == rows_json_one_by_one(
        [(T0, T0 + timedelta(hours=1), ("UANN",)), (T0, T0, ("UBEN", "UANN"))]
    )
