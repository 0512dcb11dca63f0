"""Cached final events and `final_shifts` bodies, keyed by the versions writes bump.

Django's cache: local memory per process by default, Redis when REDIS_URL is set. Keys carry the
schedule's `version` and its organization's `users_version` (see `schedules.versions`), so a write
never leaves a stale answer behind; entries also expire after TIMELINE_CACHE_SECONDS.
"""

import zlib
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache

from schedules.models import Schedule
from shifts import engine

# "Now" answers share one resolved timeline per schedule and UTC day; it spans a day either side
# so that a shift under way keeps its real bounds (pieces are split by whatever surrounds them).
DAY = timedelta(days=1)


def version_key(schedule: Schedule, *parts: object) -> str:
    # The public id, never reused, rather than the pk (test databases roll sequences back).
    versions = f"{schedule.public_id}:{schedule.version}:{schedule.organization.users_version}"
    return ":".join(["oncall", versions, *map(str, parts)])


def day_window(now: datetime) -> engine.Window:
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return engine.Window(day - DAY, day + 2 * DAY)


# Bodies larger than this are kept compressed (JSON shrinks about tenfold): a year of an hourly
# rotation is over a megabyte, and the cache lives in every worker's memory by default.
COMPRESS_ABOVE = 128 * 1024


def cached_final_shifts_body(
    schedule: Schedule, window: engine.Window, build: Callable[[], bytes]
) -> bytes:
    key = version_key(schedule, "final_shifts", window.start.isoformat(), window.end.isoformat())
    stored = cache.get(key)
    if stored is not None:
        compressed, data = stored
        return zlib.decompress(data) if compressed else data
    body = build()
    compressed = len(body) > COMPRESS_ABOVE
    stored = (compressed, zlib.compress(body, 1) if compressed else body)
    cache.set(key, stored, settings.TIMELINE_CACHE_SECONDS)
    return body


def cached_current_body(
    schedule: Schedule, now: datetime, build: Callable[[], tuple[bytes, datetime, datetime]]
) -> bytes:
    """The `current_oncall` body, reused while `now` stays inside the period it holds for.

    `build` gives the body and that period; the key also carries the organization's phone
    privacy setting, which the body depends on.
    """
    privacy = schedule.organization.override_phone_privacy
    key = version_key(schedule, "current", privacy, day_window(now).start.date())
    cached = cache.get(key)
    if cached is not None and cached[1] <= now < cached[2]:
        return cached[0]
    body, valid_from, valid_until = build()
    cache.set(key, (body, valid_from, valid_until), settings.TIMELINE_CACHE_SECONDS)
    return body


def cached_day_timelines(
    schedules: Sequence[Schedule],
    now: datetime,
    compute: Callable[[Sequence[Schedule], engine.Window], dict[int, list]],
) -> dict[int, list]:
    """What `compute` gives for each schedule over the day window of `now`, cached per day."""
    window = day_window(now)
    keys = {
        schedule.pk: version_key(schedule, "day", window.start.date()) for schedule in schedules
    }
    found = cache.get_many(list(keys.values()))
    timelines = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [schedule for schedule in schedules if schedule.pk not in timelines]
    if missing:
        computed = compute(missing, window)
        cache.set_many(
            {keys[pk]: value for pk, value in computed.items()}, settings.TIMELINE_CACHE_SECONDS
        )
        timelines.update(computed)
    return timelines
