"""Redis as the shared cache, never as a point of failure.

Everything the cache holds can be computed again (timelines, answer bodies, throttle counts),
so while Redis cannot be reached the cache acts as an empty one: reads miss, writes are
dropped, answers come from the database, only slower. A warning is logged when Redis stops
answering, an info line when it answers again. After a failure every call skips Redis for
`RETRY_SECONDS`, so that a server that does not answer at all costs one socket timeout per
interval and per process, not one per cache call.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache
from redis import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 2.0
# Connecting to, and each answer of, a Redis on the same network takes well under this.
SOCKET_TIMEOUT_SECONDS = 0.5


class RedisHealth:
    """Whether one Redis server is usable, shared by the threads of a process (Django keeps a
    cache object per thread)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until: float | None = None

    def skipping(self) -> bool:
        down_until = self.down_until
        return down_until is not None and time.monotonic() < down_until

    def failed(self, location: str, error: RedisError) -> None:
        with self.lock:
            if self.down_until is None:
                logger.warning(
                    "Redis cache at %s unreachable (%s): answering without the cache",
                    location,
                    error,
                )
            self.down_until = time.monotonic() + RETRY_SECONDS

    def answered(self, location: str) -> None:
        if self.down_until is None:
            return
        with self.lock:
            if self.down_until is not None:
                self.down_until = None
                logger.info("Redis cache at %s answers again", location)


HEALTH_BY_LOCATION: dict[str, RedisHealth] = {}
HEALTH_LOCK = threading.Lock()


def health_of(location: str) -> RedisHealth:
    with HEALTH_LOCK:
        return HEALTH_BY_LOCATION.setdefault(location, RedisHealth())


class ResilientRedisCache(RedisCache):
    """Django's Redis cache whose calls, while Redis is unreachable, give what an empty cache
    gives. (`incr`, which the service does not use, still raises.)"""

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", SOCKET_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT_SECONDS)
        super().__init__(server, params)
        self.location = server if isinstance(server, str) else ",".join(server)
        self.health = health_of(self.location)

    def guarded(self, fallback, call, *args, **kwargs):
        if self.health.skipping():
            return fallback
        try:
            result = call(*args, **kwargs)
        except RedisError as error:
            self.health.failed(self.location, error)
            return fallback
        self.health.answered(self.location)
        return result

    def get(self, key, default=None, version=None):
        return self.guarded(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self.guarded({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self.guarded(False, super().has_key, key, version)

    def set(self, *args, **kwargs):
        return self.guarded(None, super().set, *args, **kwargs)

    def set_many(self, data, *args, **kwargs):
        return self.guarded(list(data), super().set_many, data, *args, **kwargs)

    def add(self, *args, **kwargs):
        return self.guarded(False, super().add, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self.guarded(False, super().touch, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self.guarded(False, super().delete, *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self.guarded(None, super().delete_many, *args, **kwargs)

    def clear(self):
        return self.guarded(False, super().clear)
