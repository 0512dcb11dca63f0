"""Per-user throttle with upstream's scope and rate (300/minute unless API_THROTTLE_RATE says)."""

import math
import time

from rest_framework.throttling import SimpleRateThrottle


class UserRateThrottle(SimpleRateThrottle):
    """DRF's sliding window, with the request log kept as counts per second.

    DRF stores one timestamp per request in the window, so at high rates every request reads
    and writes a log of thousands of entries; counting per second bounds the log by the window's
    length instead (upstream's answers, including `Retry-After`, stay the same to the second).
    """

    scope = "public_api"

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
        self.history = [
            (second, count)
            for second, count in self.cache.get(self.key, [])
            if second > self.now - self.duration
        ]
        if sum(count for _, count in self.history) >= self.num_requests:
            return self.throttle_failure()
        second = math.floor(self.now)
        if self.history and self.history[-1][0] == second:
            self.history[-1] = (second, self.history[-1][1] + 1)
        else:
            self.history.append((second, 1))
        self.cache.set(self.key, self.history, self.duration)
        return True

    def wait(self) -> float:
        """Seconds until the oldest second of the window leaves it."""
        if not self.history:
            return self.duration
        return self.duration - (self.now - self.history[0][0])
