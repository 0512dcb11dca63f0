"""Every object the read model keeps: its kind, its store and its key, built by `key()` alone.

Two stores (docs/performance.md):
- `SHARED`, Django's cache: each worker's local memory by default, Redis shared by the workers
  when REDIS_URL is set. For answers that are cheap to read back (bodies, a day's timeline);
  entries expire after TIMELINE_CACHE_SECONDS.
- `PROCESS`, objects kept as they are in this worker (`common.process_cache`), bounded by
  EXPANDED_EVENTS_PER_PROCESS: what would cost as much to read back from a pickle as to compute
  (raw events and resolutions of blocks of time, the JSON of a block's rows, a schedule's shifts
  and feed texts, an organization's on-call users).

A key carries the versions its object depends on: the schedule's `version`, which every write to
the schedule, its shifts, its feeds or its swaps bumps (`schedules.versions`), and the
organization's `users_version`, which every write to its users bumps (`users.versions`). Writes
bump them in their own transaction and readers read them with the schedule row before anything
else, so a key never names a stale object: nothing is ever invalidated, and old entries age out.
Answers also depend on time, with no write: an open swap changes them until its start passes.
Their keys carry how many of the schedule's open swaps have started at the reader's "now", the
same "now" the answer is computed for (docs/performance.md#answers-that-change-with-time).

Some objects are keyed by everything they are computed from instead (`kept_by_content`): the
raw events of one shift over a block of time, by the engine's whole view of the shift. No
write can make such a key name a stale object either, and a write to one shift of a schedule
leaves its other shifts' objects as they are.

A write to one shift leaves most of a schedule's timeline as it was: the resolution of a block of
time and the JSON of its rows are made again from those of the schedule's version before
(`kept_before_write`), which lend what the write left as it was, checked against the new inputs
(docs/performance.md).
"""

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum, auto
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache

from common.process_cache import ProcessLru
from schedules.models import Schedule
from schedules.versions import open_swaps_started
from users.models import Organization

T = TypeVar("T")

process_objects = ProcessLru(settings.EXPANDED_EVENTS_PER_PROCESS)


class Store(Enum):
    """Where the objects of a kind are kept (see above)."""

    SHARED = auto()  # Django's cache
    PROCESS = auto()  # this worker's memory


class Versions(Enum):
    """What a kind of object depends on, besides the parts of its key."""

    SCHEDULE = auto()  # the schedule's version
    SCHEDULE_AND_USERS = auto()  # the schedule's version and its organization's users_version
    USERS = auto()  # the organization's users_version
    # SCHEDULE_AND_USERS, and how many of the schedule's open swaps have started by "now"
    ANSWER = auto()
    # nothing: the key holds everything the object is computed from (`kept_by_content`)
    CONTENT = auto()


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of kept object: the name its keys start with, its store, what it depends on."""

    name: str
    store: Store
    versions: Versions


FINAL_SHIFTS_BODY = Kind("final_shifts", Store.SHARED, Versions.ANSWER)
CURRENT_BODY = Kind("current", Store.SHARED, Versions.ANSWER)
DAY_TIMELINE = Kind("day", Store.SHARED, Versions.ANSWER)
# Who is on call now and next, and the stretch of who is on call now (`timeline.members`).
MEMBERS_BODY = Kind("members", Store.SHARED, Versions.ANSWER)
ON_CALL_STRETCH = Kind("stretch", Store.SHARED, Versions.ANSWER)
# Raw events come before swaps: they do not change when an open swap starts.
EXPANDED_BLOCK = Kind("expanded", Store.PROCESS, Versions.SCHEDULE_AND_USERS)
RESOLVED_BLOCK = Kind("resolved", Store.PROCESS, Versions.ANSWER)
BLOCK_WRITER = Kind("writer", Store.PROCESS, Versions.ANSWER)
# A user's write leaves the schedules' shifts and feeds as they were: they are not read again.
SOURCES = Kind("sources", Store.PROCESS, Versions.SCHEDULE)
# The raw events of one shift over a block, by the shift's content: they survive every write to
# the schedule's other shifts.
SHIFT_EVENTS = Kind("shift events", Store.PROCESS, Versions.CONTENT)
# iCal exports (`timeline.exports`): the events of a schedule's export (its owner a schedule) or
# of a user's (its owner the organization, its parts the versions of every schedule), and the
# calendar an export token is served, which adds the token's withdrawn events. Open swaps do
# not show in exports: only writes change them.
EXPORT_CONTENT = Kind("export", Store.SHARED, Versions.SCHEDULE_AND_USERS)
EXPORT_CALENDAR = Kind("export-calendar", Store.SHARED, Versions.SCHEDULE_AND_USERS)
ON_CALL_USERS = Kind("on-call users", Store.PROCESS, Versions.USERS)
KINDS = (
    FINAL_SHIFTS_BODY,
    CURRENT_BODY,
    DAY_TIMELINE,
    MEMBERS_BODY,
    ON_CALL_STRETCH,
    EXPANDED_BLOCK,
    RESOLVED_BLOCK,
    BLOCK_WRITER,
    SOURCES,
    SHIFT_EVENTS,
    ON_CALL_USERS,
    EXPORT_CONTENT,
    EXPORT_CALENDAR,
)


def key(
    kind: Kind,
    owner: Schedule | Organization,
    *parts: object,
    now: datetime | None = None,
    writes_back: int = 0,
) -> str:
    """The key of the object of `kind` that belongs to `owner` (a schedule; its organization for
    the kinds that depend on the organization's users only), told apart from the others of its
    owner by `parts` (a window, a day). Public ids, never reused, name the owners. The kinds of
    answers need the `now` they are computed for. `writes_back` names the schedule's version
    that many writes ago."""
    if isinstance(owner, Schedule):
        versions = [owner.public_id, str(owner.version - writes_back)]
        if kind.versions in (Versions.SCHEDULE_AND_USERS, Versions.ANSWER):
            versions.append(str(owner.organization.users_version))
        if kind.versions is Versions.ANSWER:
            versions.append(f"s{open_swaps_started(owner, answer_time(kind, now))}")
    else:
        versions = [owner.public_id, str(owner.users_version)]
    return ":".join(["oncall", kind.name, *versions, *map(str, parts)])


def answer_time(kind: Kind, now: datetime | None) -> datetime:
    if now is None:
        raise ValueError(f"a key of kind {kind.name!r} needs the time its answer is for")
    return now


def one(_: object) -> int:
    return 1


def always(_: object) -> bool:
    return True


def kept(
    kind: Kind,
    owner: Schedule | Organization,
    parts: Sequence[object],
    make: Callable[[], T],
    *,
    size: Callable[[T], int] = one,
    fresh: Callable[[T], bool] = always,
    now: datetime | None = None,
) -> T:
    """The object of `kind` for `owner` and `parts` (at `now`, for answers): the one kept if
    there is one and it is still `fresh`, else the one `make` gives, kept from now on (counted
    as `size` objects in this worker's memory). Two threads may both make it; either copy is
    right."""
    found_key = key(kind, owner, *parts, now=now)
    found = cast(T | None, get(kind.store, found_key))
    if found is None or not fresh(found):
        found = make()
        put(kind.store, found_key, found, size(found))
    return found


def kept_before_write(
    kind: Kind, schedule: Schedule, parts: Sequence[object], *, now: datetime | None = None
) -> Any:
    """The object of `kind` kept for `schedule` and `parts` at its version before its last write
    (each write bumps it by one), if this worker still has it: not the answer for the current
    version, only what its maker may reuse after checking it against the current inputs. The
    look leaves it as close to being dropped as it was."""
    if kind.store is not Store.PROCESS or kind.versions is Versions.CONTENT:
        raise ValueError(f"objects of kind {kind.name!r} are not kept per schedule version here")
    return process_objects.peek(key(kind, schedule, *parts, now=now, writes_back=1))


def kept_by_content(
    kind: Kind, content: Hashable, make: Callable[[], T], *, size: Callable[[T], int] = one
) -> T:
    """The object of `kind` computed from `content` alone (everything it depends on), kept in
    this worker's memory: the one kept, or the one `make` gives."""
    if kind.versions is not Versions.CONTENT or kind.store is not Store.PROCESS:
        raise ValueError(f"objects of kind {kind.name!r} are not kept by their content")
    found_key = (kind.name, content)
    found = cast(T | None, process_objects.get(found_key))
    if found is None:
        found = make()
        process_objects.put(found_key, found, size(found))
    return found


def kept_for_each(
    kind: Kind,
    schedules: Sequence[Schedule],
    parts: Sequence[object],
    make_missing: Callable[[list[Schedule]], dict[int, T]],
    *,
    size: Callable[[T], int] = one,
    now: datetime | None = None,
) -> dict[int, T]:
    """`kept` for several schedules at once, by pk: `make_missing` makes the objects of the
    schedules that have none kept, together (in a fixed number of queries)."""
    keys = {schedule.pk: key(kind, schedule, *parts, now=now) for schedule in schedules}
    found_by_key = get_many(kind.store, keys.values())
    found = {pk: cast(T, found_by_key[k]) for pk, k in keys.items() if k in found_by_key}
    missing = [schedule for schedule in schedules if schedule.pk not in found]
    if missing:
        made = make_missing(missing)
        put_many(kind.store, {keys[pk]: (value, size(value)) for pk, value in made.items()})
        found.update(made)
    return found


def get(store: Store, found_key: str) -> Any:
    if store is Store.SHARED:
        return cache.get(found_key)
    return process_objects.get(found_key)


def get_many(store: Store, keys: Iterable[str]) -> dict[str, Any]:
    if store is Store.SHARED:
        return cache.get_many(list(keys))
    return {k: found for k in keys if (found := process_objects.get(k)) is not None}


def put(store: Store, found_key: str, value: object, object_size: int) -> None:
    """Keep `value` (its size counts in this worker's store only)."""
    if store is Store.SHARED:
        cache.set(found_key, value, settings.TIMELINE_CACHE_SECONDS)
    else:
        process_objects.put(found_key, value, object_size)


def put_many(store: Store, objects: dict[str, tuple[object, int]]) -> None:
    if store is Store.SHARED:
        values = {k: value for k, (value, _) in objects.items()}
        cache.set_many(values, settings.TIMELINE_CACHE_SECONDS)
        return
    for k, (value, object_size) in objects.items():
        process_objects.put(k, value, object_size)
