"""The per-process cache: objects a worker keeps as they are, bounded by a budget."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class ProcessLru:
    """Objects kept as they are in this process, the least recently used dropped first once the
    sum of their sizes passes `capacity`. Thread-safe (gunicorn's gthread workers)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.used = 0
        self.entries: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> object | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            self.entries.move_to_end(key)
            return entry[0]

    def put(self, key: Hashable, value: object, size: int) -> None:
        if size > self.capacity:
            return
        with self.lock:
            previous = self.entries.pop(key, None)
            if previous is not None:
                self.used -= previous[1]
            self.entries[key] = (value, size)
            self.used += size
            while self.used > self.capacity:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.used -= dropped

    def kept(self, key: Hashable, make: Callable[[], T], size_of: Callable[[T], int]) -> T:
        """The object under `key`, made by `make` and kept (counted as `size_of` it) if none is;
        two threads may both make it, and either copy is right."""
        kept = self.get(key)
        if kept is None:
            kept = make()
            self.put(key, kept, size=size_of(kept))
        return kept

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.used = 0
