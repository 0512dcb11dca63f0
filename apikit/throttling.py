"""Per-user throttle with upstream's scope and rate (300/minute unless API_THROTTLE_RATE says)."""

import math
import time
from bisect import bisect_right

from rest_framework.throttling import SimpleRateThrottle


class UserRateThrottle(SimpleRateThrottle):
    """DRF's sliding window, with the request log kept as counts per second.

    DRF stores one timestamp per request in the window, so at high rates every request reads
    and writes a log of thousands of entries; counting per second bounds the log by the window's
    length instead (upstream's answers, including `Retry-After`, stay the same to the second).
    The log is cached as two tuples, the seconds and their counts: a list of pairs took twice
    as long to read, trim and write back on every request.
    """

    scope = "public_api"
    # Set from the rate by DRF's __init__ (not declared by its stubs).
    num_requests: int
    duration: int
    # Not DRF's key: its format is a log of another shape.
    cache_format = "throttle_%(scope)s_%(ident)s_per_second"

    def timer(self) -> float:
        # DRF binds `timer = time.time` when its module is imported; if that first import happens
        # under a test's frozen clock, every later request would keep calling the fake clock.
        # Looking `time.time` up at call time follows whichever clock is current.
        return time.time()

    def get_cache_key(self, request, view):
        user = request.user
        if user is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        seconds, counts = self.cache.get(self.key, ((), ()))
        first = bisect_right(seconds, self.now - self.duration)
        seconds, counts = seconds[first:], counts[first:]
        self.oldest = seconds[0] if seconds else None
        if sum(counts) >= self.num_requests:
            return self.throttle_failure()
        second = math.floor(self.now)
        if seconds and seconds[-1] == second:
            counts = (*counts[:-1], counts[-1] + 1)
        else:
            seconds, counts = (*seconds, second), (*counts, 1)
        self.cache.set(self.key, (seconds, counts), self.duration)
        return True

    def wait(self) -> float:
        """Seconds until the oldest second of the window leaves it."""
        if self.oldest is None:
            return self.duration
        return self.duration - (self.now - self.oldest)
