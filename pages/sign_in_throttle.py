"""Failed sign-ins, counted per username and per client address over the last minute
(docs/pages.md#signing-in): past the limit, the form refuses every attempt until the oldest
failure is a minute old, right password or not.

The counts live in Django's default cache, the one the API's throttle keeps its counters in
(local memory per process, or Redis shared by every worker when `REDIS_URL` is set).
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

WINDOW_SECONDS = 60
# One address may fail for this many usernames' worth: a few people behind one proxy or NAT
# mistyping at once are not locked out, a password sprayer across usernames is.
ADDRESS_FACTOR = 4


@dataclass(frozen=True, slots=True)
class Refusal:
    retry_after: int


def counter_keys(username: str, address: str) -> list[tuple[str, int]]:
    """The counters an attempt adds to, with their limits. The username is hashed (any text
    makes a valid cache key) and compared ignoring case."""
    per_username = settings.SIGN_IN_FAILURES_PER_MINUTE
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()
    return [
        (f"sign_in_failures_user_{name}", per_username),
        (f"sign_in_failures_address_{address}", per_username * ADDRESS_FACTOR),
    ]


def recent(key: str, now: float) -> tuple[float, ...]:
    failures = SimpleRateThrottle.cache.get(key, ())
    return tuple(instant for instant in failures if instant > now - WINDOW_SECONDS)


def refusal(username: str, address: str) -> Refusal | None:
    """A refusal while either counter is at its limit, saying for how long."""
    now = time.time()
    waits = []
    for key, limit in counter_keys(username, address):
        failures = recent(key, now)
        if len(failures) >= limit:
            waits.append(failures[len(failures) - limit] + WINDOW_SECONDS - now)
    if not waits:
        return None
    return Refusal(retry_after=max(1, round(max(waits) + 0.5)))


def record_failure(username: str, address: str) -> None:
    now = time.time()
    for key, limit in counter_keys(username, address):
        kept = recent(key, now)[-(limit - 1) :] if limit > 1 else ()
        SimpleRateThrottle.cache.set(key, (*kept, now), WINDOW_SECONDS)


def forget_failures(username: str, address: str) -> None:
    """After a successful sign-in, the username's failures no longer count (the address's do)."""
    key, _ = counter_keys(username, address)[0]
    SimpleRateThrottle.cache.delete(key)
