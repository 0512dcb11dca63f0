"""The per-process cache: objects a worker keeps as they are, bounded by a budget."""

import threading
from collections import OrderedDict
from collections.abc import Hashable


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
            value, _ = entry
            return value

    def peek(self, key: Hashable) -> object | None:
        """The object kept under `key`, if any, left where it is in the order of use: a look
        at it does not keep it longer."""
        with self.lock:
            entry = self.entries.get(key)
        return None if entry is None else entry[0]

    def put(self, key: Hashable, value: object, size: int) -> None:
        if size > self.capacity:
            return
        with self.lock:
            previous = self.entries.pop(key, None)
            if previous is not None:
                _, previous_size = previous
                self.used -= previous_size
            self.entries[key] = (value, size)
            self.used += size
            while self.used > self.capacity:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.used -= dropped

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.used = 0
