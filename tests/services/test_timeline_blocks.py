"""Blocks of time whose expansion serves many windows, and the process's LRU that keeps them."""

from datetime import UTC, datetime, timedelta

import pytest

from common.process_cache import ProcessLru
from shifts.engine import Window
from timeline.windows import BLOCK_GRIDS, block_around

T0 = datetime(2030, 1, 7, 10, 30, tzinfo=UTC)


def day(year: int, month: int, number: int) -> datetime:
    return datetime(year, month, number, tzinfo=UTC)


@pytest.mark.parametrize(
    ("window", "block"),
    [
        # The grids start on 2000-01-03; 2030-01-07 is 10962 days later, which is 0 modulo 2,
        # 2 modulo 8, 18 modulo 24 and 14 modulo 28. Blocks are 10, 40, 120, 208 and 394 days
        # long.
        (Window(T0, T0 + timedelta(days=1)), Window(day(2030, 1, 7), day(2030, 1, 17))),
        (Window(T0, T0 + timedelta(days=8)), Window(day(2030, 1, 7), day(2030, 1, 17))),
        (Window(T0, T0 + timedelta(days=30)), Window(day(2030, 1, 5), day(2030, 2, 14))),
        (Window(T0, T0 + timedelta(days=91)), Window(day(2029, 12, 20), day(2030, 4, 19))),
        (Window(T0, T0 + timedelta(days=182)), Window(day(2029, 12, 20), day(2030, 7, 16))),
        (Window(T0, T0 + timedelta(days=365)), Window(day(2029, 12, 24), day(2031, 1, 22))),
    ],
)
def test_the_block_is_on_the_first_grid_that_fits(window, block):
    assert block_around(window) == block


@pytest.mark.parametrize("longest", [longest for longest, _ in BLOCK_GRIDS])
@pytest.mark.parametrize("hours", [0, 1, 47, 24 * 27 + 23])
def test_a_block_holds_its_window(longest, hours):
    start = T0 + timedelta(hours=hours)
    window = Window(start, start + longest)

    block = block_around(window)

    assert block.start <= window.start and window.end <= block.end


def test_windows_sliding_by_hours_share_a_block():
    blocks = {
        block_around(Window(T0 + timedelta(hours=h), T0 + timedelta(days=364, hours=h)))
        for h in range(24 * 13)
    }
    assert blocks == {Window(day(2029, 12, 24), day(2031, 1, 22))}


@pytest.mark.parametrize(
    "window",
    [Window(T0, T0), Window(T0, T0 + timedelta(days=367))],
    ids=["instant", "longer than any grid"],
)
def test_instants_and_longer_windows_have_no_block(window):
    assert block_around(window) is None


def test_the_lru_drops_the_least_recently_used_beyond_its_capacity():
    lru = ProcessLru(capacity=10)
    lru.put("a", "A", size=4)
    lru.put("b", "B", size=4)
    assert lru.get("a") == "A"  # now b is the least recently used

    lru.put("c", "C", size=4)

    assert (lru.get("a"), lru.get("b"), lru.get("c")) == ("A", None, "C")
    assert lru.used == 8


def test_the_lru_replaces_a_key_and_refuses_what_cannot_fit():
    lru = ProcessLru(capacity=10)
    lru.put("a", "old", size=6)
    lru.put("a", "new", size=3)
    lru.put("huge", "H", size=11)

    assert (lru.get("a"), lru.get("huge"), lru.used) == ("new", None, 3)

    lru.clear()
    assert (lru.get("a"), lru.used) == (None, 0)
