"""Answer bodies kept for the hottest reads: the API renders them, the read model keeps them.

A body depends on how its API writes it, so the writer is part of the key: another API over the
same answers keeps its own bodies.
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import NamedTuple, Protocol, TypeVar

from django.conf import settings

from apikit.encoding import Body, is_large
from schedules.models import Schedule
from shifts import engine
from timeline import cache
from timeline.answers import FinalShiftRows, OnCallAnswer, current_oncall, final_shift_rows
from timeline.members import OnCallMembers, Stretch, on_call_members, on_call_stretch
from timeline.windows import block_around, day_window


class RowsWriter(Protocol):
    """Writes the `final_shifts` bodies of the windows of one block of time."""

    def body(self, rows: FinalShiftRows) -> bytes: ...


# A writer is made from the writer of its block at the schedule's version before its last write,
# if this worker has it: it may reuse what that one wrote for the rows the write left as they
# were.
WriterType = Callable[[RowsWriter | None], RowsWriter]


def unchanged_spans(
    earlier: Sequence[engine.OnCallSpan], spans: Sequence[engine.OnCallSpan]
) -> tuple[int, int]:
    """How many of a block's spans a write left as they were at the block's start, and how many
    more at its end: the rows a writer made before the write may lend it."""
    return engine.common_ends(earlier, spans)


def final_shifts_body(
    schedule: Schedule, window: engine.Window, writer: WriterType, now: datetime, *, gzip: bool
) -> Body:
    """The body `writer` writes for the final shift rows of `window` at `now`, as sent to a
    client that accepts gzip or not (`gzip`), kept; the writer itself is kept for the block of
    time around the window, so that what it keeps of the block's rows serves the block's other
    windows, and the next version's writer of the block.

    A large body is gzipped for a client that accepts gzip; for one that does not, it is sent
    as written and, unless Django's cache is shared by the workers, not kept: gzipping it would
    be work that client did not ask for, and a kept copy would save this worker little, as it
    keeps the block's JSON the body is cut from (docs/performance.md)."""
    name = qualified_name(writer)

    def write() -> bytes:
        rows = final_shift_rows(schedule, window, now)
        block = block_around(window)
        if block is None:
            return writer(None).body(rows)
        parts = (name, block.start.isoformat(), block.end.isoformat())
        kept_writer = cache.kept(
            cache.BLOCK_WRITER,
            schedule,
            parts,
            lambda: writer(cache.kept_before_write(cache.BLOCK_WRITER, schedule, parts, now=now)),
            size=lambda _: len(rows.spans.block_spans) + 1,
            now=now,
        )
        return kept_writer.body(rows)

    body_key = cache.key(
        cache.FINAL_SHIFTS_BODY,
        schedule,
        name,
        window.start.isoformat(),
        window.end.isoformat(),
        now=now,
    )
    found: Body | None = cache.get(cache.FINAL_SHIFTS_BODY.store, body_key)
    if found is not None:
        return found.for_client(gzip)
    written = write()
    if not gzip and is_large(written) and not workers_share_the_cache():
        return Body(written, gzipped=False)
    body = Body.of(written)
    cache.put(cache.FINAL_SHIFTS_BODY.store, body_key, body, 1)
    # the body as written: decoding what was just gzipped would give the same bytes
    return body if gzip or not body.gzipped else Body(written, gzipped=False)


def workers_share_the_cache() -> bool:
    """Whether Django's cache is shared by the workers (Redis) rather than each worker's own
    memory (the default)."""
    return settings.CACHES["default"]["BACKEND"] != LOCAL_MEMORY_CACHE


LOCAL_MEMORY_CACHE = "django.core.cache.backends.locmem.LocMemCache"


class TimedBody(NamedTuple):
    """A body, and the period [valid_from, valid_until) over which it stays the answer."""

    body: bytes
    valid_from: datetime
    valid_until: datetime


def current_oncall_body(
    schedule: Schedule, now: datetime, render: Callable[[Schedule, OnCallAnswer], bytes]
) -> bytes:
    """The body `render` gives for who is on call at `now`, reused while `now` stays inside the
    period it holds for."""
    return timed_body(
        cache.CURRENT_BODY,
        schedule,
        now,
        qualified_name(render),
        lambda: current_oncall(schedule, now),
        lambda current: render(schedule, current.answer),
    )


def members_body(
    schedule: Schedule, now: datetime, render: Callable[[Schedule, OnCallMembers], bytes]
) -> bytes:
    """The body `render` gives for who is on call at `now` and next, layer by layer, reused
    while `now` stays inside the period it holds for."""
    return timed_body(
        cache.MEMBERS_BODY,
        schedule,
        now,
        qualified_name(render),
        lambda: on_call_members(schedule, now),
        lambda members: render(schedule, members),
    )


def stretch_body(
    schedule: Schedule, now: datetime, render: Callable[[Schedule, Stretch], bytes]
) -> bytes:
    """The body `render` gives for the stretch of who is on call at `now`, reused while `now`
    stays inside the period it holds for."""
    return timed_body(
        cache.CURRENT_BODY,
        schedule,
        now,
        qualified_name(render),
        lambda: on_call_stretch(schedule, now),
        lambda stretch: render(schedule, stretch),
    )


class Timed(Protocol):
    """An answer that holds over [valid_from, valid_until)."""

    @property
    def valid_from(self) -> datetime: ...

    @property
    def valid_until(self) -> datetime: ...


T = TypeVar("T", bound=Timed)


def timed_body(
    kind: cache.Kind,
    schedule: Schedule,
    now: datetime,
    writer_name: str,
    answer: Callable[[], T],
    render: Callable[[T], bytes],
) -> bytes:
    """The body `render` writes of `answer()`, kept while `now` stays inside the period the
    answer holds for. The key carries the writer, the day of `now` and the organization's phone
    privacy setting, which on-call bodies show."""

    def make() -> TimedBody:
        found = answer()
        return TimedBody(render(found), found.valid_from, found.valid_until)

    privacy = schedule.organization.override_phone_privacy
    kept = cache.kept(
        kind,
        schedule,
        (writer_name, privacy, day_window(now).start.date()),
        make,
        fresh=lambda kept: kept.valid_from <= now < kept.valid_until,
        now=now,
    )
    return kept.body


def qualified_name(writer: Callable[..., object]) -> str:
    return f"{writer.__module__}.{writer.__qualname__}"
