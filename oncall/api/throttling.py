"""Per-user throttle with upstream's scope and rate (300/minute unless API_THROTTLE_RATE says)."""

from rest_framework.throttling import SimpleRateThrottle


class UserRateThrottle(SimpleRateThrottle):
    scope = "public_api"

    def get_cache_key(self, request, view):
        user = request.user
        if user is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}
