"""The resolution of a block after a change to one shift, made from the resolution before it
(`resolve_block(..., earlier=...)`), is the resolution made from nothing: the first read after a
write to one shift takes from the schedule's resolution before the write what the write left
as it was."""

from __future__ import annotations

from dataclasses import replace
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from shifts.engine import Event, Window, raw_sources, resolve_block
from shifts.engine.blocks import ResolvedBlock
from tests.engine.test_blocks import BLOCK, slot_events
from tests.engine.test_properties import HORIZON, STEP, USERS, at
from tests.engine.test_resolve import OVERRIDES, raw
from tests.engine.test_resolve import at as hour
from tests.engine.test_resolve_within import NO_USERS, shifts_in_a_block
from tests.engine.test_rotation_properties import shifts


@st.composite
def one_shift_changed(draw: st.DrawFn, events: list[Event]) -> list[Event]:
    """`events` after a write to one of their shifts: its events moved, lengthened, given
    other users, dropped, or one more added."""
    shift_ids = sorted({event.shift_id for event in events if event.shift_id}) or ["S9"]
    changed = draw(st.sampled_from(shift_ids))
    kept = [event for event in events if event.shift_id != changed]
    own = [event for event in events if event.shift_id == changed]
    how = draw(st.sampled_from(["move", "lengthen", "users", "drop", "add"]))
    if how == "move":
        by = STEP * draw(st.integers(-6, 6))
        own = [replace(event, start=event.start + by, end=event.end + by) for event in own]
    elif how == "lengthen":
        by = STEP * draw(st.integers(-2, 8))
        own = [replace(event, end=max(event.start, event.end + by)) for event in own]
    elif how == "users":
        users = tuple(draw(st.lists(st.sampled_from(USERS), max_size=2, unique=True)))
        own = [replace(event, users=users) for event in own]
    elif how == "drop" and own:
        own.pop(draw(st.integers(0, len(own) - 1)))
    else:
        start = draw(st.integers(0, HORIZON - 1))
        template = own[0] if own else raw("A", 0, 0, shift_id=changed)
        own.append(replace(template, start=at(start), end=at(start + draw(st.integers(0, 40)))))
    position = draw(st.integers(0, len(kept)))
    return [*kept[:position], *own, *kept[position:]]


def changed_block(data: st.DataObject) -> tuple[list[Event], ResolvedBlock | None]:
    """Events of a block after a random change to one shift, and the block resolved before it."""
    before = data.draw(slot_events())
    return data.draw(one_shift_changed(before)), resolve_block(before, BLOCK)


@settings(max_examples=500, deadline=None)
@given(data=st.data())
def test_a_block_resolved_again_after_a_change_to_one_shift_is_resolved_anew(data) -> None:
    after, earlier = changed_block(data)

    assert resolve_block(after, BLOCK, earlier=earlier) == resolve_block(after, BLOCK)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_block_resolved_again_keeps_the_final_order_of_the_pieces_left_as_they_were(data) -> None:
    # The earlier order and arrays are taken whatever the change, not only when it left most
    # pieces as they were.
    after, earlier = changed_block(data)

    with (
        patch("shifts.engine.resolve.FEW_CHANGED", 1),
        patch("shifts.engine.blocks.MOSTLY_LEFT", 10**9),
    ):
        assert resolve_block(after, BLOCK, earlier=earlier) == resolve_block(after, BLOCK)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_block_of_shifts_resolved_again_after_a_write_to_one_is_resolved_anew(data) -> None:
    specs, _, block = data.draw(shifts_in_a_block())
    written = data.draw(st.integers(0, len(specs) - 1))
    rewritten = replace(
        data.draw(shifts()),
        shift_id=specs[written].shift_id,
        calendar_type=specs[written].calendar_type,
        level=data.draw(st.sampled_from([specs[written].level, 0, 1, 2])),
    )
    before = raw_sources(shifts=specs, calendars=[], directory=NO_USERS, window=block).events()
    specs[written] = rewritten
    after = raw_sources(shifts=specs, calendars=[], directory=NO_USERS, window=block).events()
    earlier = resolve_block(before, block)

    assert resolve_block(after, block, earlier=earlier) == resolve_block(after, block)


def test_only_the_rows_that_meet_the_change_are_split_again() -> None:
    # A level 0 row per day, an override moved from 30-32 to 31-33: the days that
    # do not meet 30-33 keep their pieces, the very same objects.
    days = [raw("A", day * 24, day * 24 + 24, shift_id=f"D{day}") for day in range(5)]
    override = raw("B", 30, 32, calendar_type=OVERRIDES, shift_id="O")
    block = Window(hour(0), hour(120))
    earlier = resolve_block([*days, override], block)
    moved = replace(override, start=hour(31), end=hour(33))
    again = resolve_block([*days, moved], block, earlier=earlier)

    assert again == resolve_block([*days, moved], block)
    before_pieces = {piece[0]: piece for piece in earlier.pieces}
    reused = [piece for piece in again.pieces if before_pieces.get(piece[0]) is piece]
    assert sorted(piece[0] for piece in reused) == [hour(0), hour(48), hour(72), hour(96)]


def test_the_resolution_of_another_block_lends_nothing() -> None:
    events = [raw("A", 0, 30, shift_id="S1"), raw("B", 10, 12, level=1, shift_id="S2")]
    earlier = resolve_block(events, Window(hour(0), hour(20)))
    moved = [events[0], raw("B", 11, 13, level=1, shift_id="S2")]
    block = Window(hour(0), hour(40))

    assert resolve_block(moved, block, earlier=earlier) == resolve_block(moved, block)
    assert earlier is not None and earlier.block != block
