"""Per-user throttle with upstream's scope and rate (300/minute unless API_THROTTLE_RATE says)."""

import time

from rest_framework.throttling import SimpleRateThrottle


class UserRateThrottle(SimpleRateThrottle):
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
