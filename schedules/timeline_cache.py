"""Cached final events, raw events and `final_shifts` bodies, keyed by the versions writes bump.

Django's cache: local memory per process by default, Redis when REDIS_URL is set. Keys carry the
schedule's `version` and its organization's `users_version` (see `schedules.versions`), so a write
never leaves a stale answer behind; entries also expire after TIMELINE_CACHE_SECONDS. Raw events
expanded over a block of time stay in the process itself (`ProcessLru`): versioned keys need no
invalidation across processes, and reading them back from pickles would cost what expanding costs.
"""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from apikit.encoding import Body
from common.process_cache import ProcessLru
from schedules.models import Schedule
from shifts import engine

T = TypeVar("T")

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


def cached_final_shifts_body(
    schedule: Schedule, window: engine.Window, build: Callable[[], bytes]
) -> Body:
    key = version_key(schedule, "final_shifts", window.start.isoformat(), window.end.isoformat())
    body = cache.get(key)
    if body is None:
        body = Body.of(build())
        cache.set(key, body, settings.TIMELINE_CACHE_SECONDS)
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


# Raw events are expanded over a block that holds the query window, taken from the first grid
# (longest window it serves, step between block starts) that fits the window: windows that slide
# by minutes or days, as clients asking "from now" send them, reuse one expansion. A block is the
# longest window plus one step long, about a quarter more than that window. From a month on, each
# grid's longest window is two to three times the one before: a window of three months or more is
# expanded over at most about twice its length, so time keeps growing about linearly with it.
BLOCK_GRIDS = (
    (timedelta(days=8), timedelta(days=2)),
    (timedelta(days=32), timedelta(days=8)),
    (timedelta(days=96), timedelta(days=24)),
    (timedelta(days=184), timedelta(days=24)),
    (timedelta(days=366), timedelta(days=28)),
)
GRID_ORIGIN = datetime(2000, 1, 3, tzinfo=UTC)

# Raw events and resolutions of blocks, and the on-call users of organizations (`final_events`),
# one unit each.
process_objects = ProcessLru(settings.EXPANDED_EVENTS_PER_PROCESS)


def block_around(window: engine.Window) -> engine.Window | None:
    """The block whose expansion serves `window`; None for an instant or a window too long."""
    length = window.end - window.start
    if not length:
        # An instant keeps iCal events that start at it, which no longer window would.
        return None
    for longest, step in BLOCK_GRIDS:
        if length <= longest:
            start = GRID_ORIGIN + (window.start - GRID_ORIGIN) // step * step
            return engine.Window(start, start + longest + step)
    return None


def kept_for_block(
    schedule: Schedule, window: engine.Window, name: str, make: Callable[[], T], size: int
) -> T:
    """An object of `schedule`'s (what `make` gives) shared by the windows of the block of time
    around `window`, kept in this process and counted as `size` objects; a new one when no block
    serves the window."""
    block = block_around(window)
    if block is None:
        return make()
    return kept_in_process(schedule, name, block, make, lambda _: size)


def kept_in_process(
    schedule: Schedule,
    name: str,
    block: engine.Window,
    make: Callable[[], T],
    size_of: Callable[[T], int],
) -> T:
    """What `make` gives for `schedule` over `block`, kept in this process under its versions."""
    key = version_key(schedule, name, block.start.isoformat(), block.end.isoformat())
    return process_objects.kept(key, make, size_of)


# What `resolved_block` keeps for a block the engine cannot resolve as one (`resolve_block`).
UNRESOLVABLE = object()


def resolved_block(
    schedule: Schedule,
    block: engine.Window,
    resolve: Callable[[], engine.ResolvedBlock | None],
) -> engine.ResolvedBlock | None:
    """The resolution of `schedule` over `block` (what `resolve` gives), kept in this process."""
    resolved = kept_in_process(
        schedule,
        "resolved",
        block,
        lambda: resolve() or UNRESOLVABLE,
        lambda kept: 1 if kept is UNRESOLVABLE else kept.size + 1,
    )
    return None if resolved is UNRESOLVABLE else resolved


def expanded_events(
    schedule: Schedule, block: engine.Window, expand: Callable[[], list[engine.Event]]
) -> list[engine.Event]:
    """The raw events of `schedule` over `block` (what `expand` gives), kept in this process."""
    return kept_in_process(schedule, "expanded", block, expand, lambda events: len(events) + 1)
