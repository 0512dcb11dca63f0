"""A system resolver that never answers for some names: the one seam urllib3 and the SSRF guard
look names up through (`integrations.net_guard.lookup`)."""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from integrations import net_guard

STALLING_HOST = "stalls.example"


class StallingResolver:
    def __init__(self, real_lookup) -> None:
        self.real_lookup = real_lookup
        self.asked = threading.Event()  # a lookup of the stalling name has begun
        self.released = threading.Event()  # set when the test ends: the lookups give up
        self.stalled = 0  # lookups of the stalling name still waiting

    def lookup(self, host: str, port: int) -> list[str]:
        if host != STALLING_HOST:
            return self.real_lookup(host, port)
        self.stalled += 1
        self.asked.set()
        self.released.wait()
        self.stalled -= 1
        raise socket.gaierror(socket.EAI_AGAIN, "the resolver gave up")


@contextmanager
def stalling_resolver(monkeypatch) -> Iterator[StallingResolver]:
    """Lookups of STALLING_HOST wait until the block ends; other names resolve as usual."""
    resolver = StallingResolver(net_guard.lookup)
    monkeypatch.setattr(net_guard, "lookup", resolver.lookup)
    try:
        yield resolver
    finally:
        resolver.released.set()
