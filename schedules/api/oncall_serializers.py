"""Inputs and outputs of the on-call actions: final_shifts, current/previous/next_oncall."""

import struct
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate, chain, repeat
from operator import add, itemgetter

import orjson
from rest_framework import serializers

from apikit.bounds import BoundedDateTimeField
from schedules.models import Schedule
from shifts.engine import OnCallSpan
from timeline import FinalShiftRows, OnCallAnswer, unchanged_spans
from users.api.serializers import UserSerializer
from users.models import User

MAX_WINDOW = timedelta(days=365)
FINAL_SHIFTS_PAGE_SIZE = 50


class FinalShiftsQuery(serializers.Serializer):
    """`start_date`/`end_date` as `YYYY-MM-DD` or `YYYY-MM-DDThh:mm`, read as UTC."""

    start_date = BoundedDateTimeField(input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d"])
    end_date = BoundedDateTimeField(input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d"])

    def validate(self, attrs: dict) -> dict:
        # The same tzinfo object as the engine's instants: comparing datetimes whose tzinfo
        # objects differ asks both for their offsets, every time.
        attrs = {name: value.astimezone(UTC) for name, value in attrs.items()}
        if attrs["start_date"] > attrs["end_date"]:
            raise serializers.ValidationError("start_date must be less than or equal to end_date")
        if attrs["end_date"] - attrs["start_date"] > MAX_WINDOW:
            raise serializers.ValidationError(
                "The difference between start_date and end_date must be less than one year "
                "(365 days)"
            )
        return attrs


def render_utc(instant: datetime, suffix: str) -> str:
    """`YYYY-MM-DDTHH:MM:SS` (+ microseconds when present) in UTC with the given zone suffix:
    `Z` for final_shifts, `+00:00` for the on-call actions (docs/api.md#on-call-answers)."""
    return instant.astimezone(UTC).replace(tzinfo=None).isoformat() + suffix


# final_shifts bodies carry datetimes, which orjson writes itself: `Z` for UTC (the engine's
# instants are all UTC), microseconds only when present, as `render_utc(instant, "Z")` does.
FINAL_SHIFTS_JSON = orjson.OPT_UTC_Z


def render_utc_z(value: object) -> str:
    """orjson's fallback, for datetime subclasses (freezegun's) that it does not write itself."""
    if isinstance(value, datetime):
        return render_utc(value, "Z")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


# Everything in one fake page, whatever `page`/`perpage` say (upstream behaviour): the page's
# fields around the results, as orjson writes them.
FINAL_SHIFTS_HEAD = b'{"count":%d,"next":null,"previous":null,"results":['
FINAL_SHIFTS_TAIL = b'],"current_page_number":1,"page_size":%d,"total_pages":1}' % (
    FINAL_SHIFTS_PAGE_SIZE
)


class FinalShiftsWriter:
    """Writes the final_shifts bodies of the windows of one block of time (`timeline.bodies`):
    the JSON of the rows of the block's own spans, which most of a long window is, is written
    once, on the first window that has any.

    One writer serves one schedule and its users as they are (their versions key it). `before`,
    the writer of the same block before the schedule's last write, lends the JSON of the rows
    that write left as they were.
    """

    def __init__(self, before: object = None) -> None:
        self.block_json: BlockJson | None = None
        self.earlier = before.block_json if isinstance(before, FinalShiftsWriter) else None

    def body(self, rows: FinalShiftRows) -> bytes:
        """The page, in one copy: the rows' JSON (each row followed by a comma) without the
        comma after the last row, between the page's fields."""
        spans = rows.spans
        middle, middle_count = self.middle_json(rows)
        head = RowsJson.of(spans.head, rows.users)
        tail = RowsJson.of(spans.tail, rows.users)
        results = [part for part in (head.text, middle, tail.text) if part]
        if results:
            results[-1] = memoryview(results[-1])[:-1]
        count = head.count + middle_count + tail.count
        return b"".join((FINAL_SHIFTS_HEAD % count, *results, FINAL_SHIFTS_TAIL))

    def middle_json(self, rows: FinalShiftRows) -> tuple[bytes | memoryview, int]:
        """The JSON of the rows of the window's middle, each followed by a comma, and how many
        they are."""
        middle = rows.spans.middle
        if middle.start == middle.stop:
            return b"", 0
        if self.block_json is None:
            self.block_json = BlockJson.of(rows.spans.block_spans, rows.users, self.earlier)
            self.earlier = None
        return self.block_json.between(middle)


@dataclass(frozen=True, slots=True)
class BlockJson:
    """The JSON of the rows of a block's spans, each row followed by a comma, with where the
    rows of each span begin, in bytes and in rows (one more of each, for the end)."""

    spans: Sequence[OnCallSpan]
    text: bytes
    offsets: array
    rows_before: array

    @classmethod
    def of(
        cls,
        spans: Sequence[OnCallSpan],
        users: dict[str, User],
        earlier: "BlockJson | None" = None,
    ) -> "BlockJson":
        """The JSON of `spans`; `earlier`, that of the block's spans before a write (to the same
        users), lends the rows of the spans at the block's start and end that the write left as
        they were: after a write to one shift, only the stretch between is written."""
        if earlier is None:
            return cls.written(spans, users)
        same_start, same_end = unchanged_spans(earlier.spans, spans)
        changed = cls.written(spans[same_start : len(spans) - same_end], users)
        earlier_end = len(earlier.spans) - same_end
        return cls(
            spans=spans,
            text=b"".join(
                (
                    memoryview(earlier.text)[: earlier.offsets[same_start]],
                    changed.text,
                    memoryview(earlier.text)[earlier.offsets[earlier_end] :],
                )
            ),
            offsets=spliced(earlier.offsets, same_start, changed.offsets, earlier_end),
            rows_before=spliced(earlier.rows_before, same_start, changed.rows_before, earlier_end),
        )

    @classmethod
    def written(cls, spans: Sequence[OnCallSpan], users: dict[str, User]) -> "BlockJson":
        rows = RowsJson.of(spans, users)
        return cls(
            spans=spans,
            text=rows.text,
            offsets=int64s(rows.span_offsets),
            rows_before=int64s(rows.rows_before),
        )

    def between(self, spans: slice) -> tuple[bytes | memoryview, int]:
        """The JSON of the rows of `spans`, each followed by a comma (a view of the block's,
        which a body joins without a copy of its own), and how many they are."""
        start, stop = self.offsets[spans.start], self.offsets[spans.stop]
        count = self.rows_before[spans.stop] - self.rows_before[spans.start]
        return memoryview(self.text)[start:stop], count


def spliced(earlier: array, same_start: int, changed: array, earlier_end: int) -> array:
    """Running totals (one per span, and one more for the end): `earlier`'s for its first
    `same_start` spans, then `changed`'s for the spans between, then `earlier`'s from its span
    `earlier_end` on, each part going on from where the one before it ends."""
    joined = earlier[: same_start + 1]
    joined.extend(shifted(changed[1:], joined[-1]))
    joined.extend(shifted(earlier[earlier_end + 1 :], joined[-1] - earlier[earlier_end]))
    return joined


def shifted(totals: array, by: int) -> array:
    """`totals`, each `by` more."""
    return int64s(list(map(add, totals, repeat(by)))) if by else totals


def int64s(values: list[int]) -> array:
    """`values` as an array of 64-bit integers, packed at once: an array filled value by value
    parses each one as a call's argument. (`struct.pack` would keep the format in its cache.)"""
    return array("q", struct.Struct(f"{len(values)}q").pack(*values))


# A row's JSON is its user's part up to the start's value, then the two instants' values. These
# are the bytes orjson writes for the row as a dict (`final_shift_row`), which a test checks.
ROW_BETWEEN_INSTANTS = b'","shift_end":"'
ROW_END = b'"},'
SPAN_START = itemgetter(0)
SPAN_END = itemgetter(1)
SPAN_USERS = itemgetter(2)


def final_shift_row(user: User, start: object, end: object) -> dict:
    return {
        "user_pk": user.public_id,
        "user_email": user.email,
        "user_username": user.username,
        "shift_start": start,
        "shift_end": end,
    }


def row_start_json(user: User) -> bytes:
    """A row's JSON up to its start's value: the row with an empty start, cut there."""
    return orjson.dumps(final_shift_row(user, "", None))[: -len(b'","shift_end":null}')]


@dataclass(frozen=True, slots=True)
class RowsJson:
    """The JSON of the rows of spans (a row per span and user), each row followed by a comma,
    how many rows, and where the rows of each span begin, in bytes and in rows (one more of
    each, for the end).

    Written in bulk, as a block of a year of an hourly rotation has thousands of rows: one
    orjson call writes every instant (most spans start where the one before ends: such an
    instant is written once), each user's part is written once, and each row is one join."""

    text: bytes
    count: int
    span_offsets: list[int]
    rows_before: list[int]

    @classmethod
    def of(cls, spans: Sequence[OnCallSpan], users: dict[str, User]) -> "RowsJson":
        if not spans:
            return cls(b"", 0, [0], [0])
        starts, ends = instants_json(spans)
        user_ids = list(map(SPAN_USERS, spans))
        counts = list(map(len, user_ids))
        row_users = list(chain.from_iterable(user_ids))
        one_row_per_span = len(row_users) == len(spans) == counts.count(1)
        if not one_row_per_span:
            starts = list(chain.from_iterable(map(repeat, starts, counts)))
            ends = list(chain.from_iterable(map(repeat, ends, counts)))
        user_json = {user_id: row_start_json(users[user_id]) for user_id in set(row_users)}
        rows = list(
            map(
                b"".join,
                zip(
                    map(user_json.__getitem__, row_users),
                    starts,
                    repeat(ROW_BETWEEN_INSTANTS),
                    ends,
                    repeat(ROW_END),
                ),
            )
        )
        row_offsets = list(accumulate(map(len, rows), initial=0))
        rows_before = list(accumulate(counts, initial=0))
        return cls(
            text=b"".join(rows),
            count=len(rows),
            span_offsets=(
                row_offsets if one_row_per_span else list(map(row_offsets.__getitem__, rows_before))
            ),
            rows_before=rows_before,
        )


def instants_json(spans: Sequence[OnCallSpan]) -> tuple[list[bytes], list[bytes]]:
    """The JSON values of the spans' starts and of their ends, without their quotes, written by
    one orjson call; when each span ends where the next starts, each instant is written once."""
    starts, ends = list(map(SPAN_START, spans)), list(map(SPAN_END, spans))
    contiguous = ends[:-1] == starts[1:]
    instants = [*starts, ends[-1]] if contiguous else starts + ends
    # `["…","…"]`: instants hold no quote
    values = orjson.dumps(instants, default=render_utc_z, option=FINAL_SHIFTS_JSON)[2:-2].split(
        b'","'
    )
    if contiguous:
        return values[:-1], values[1:]
    return values[: len(spans)], values[len(spans) :]


class OnCallDaysQuery(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=30, default=7)


# The on-call answers list the phone fields right after `is_phone_number_verified`
# (docs/api.md#on-call-answers).
PHONE_AT = UserSerializer.Meta.fields.index("is_phone_number_verified") + 1


class OnCallUserSerializer(UserSerializer):
    """The user of the on-call answers: `slack` as a list, and the phone number unless the user
    hid it (docs/api.md#on-call-answers)."""

    phone_number = serializers.SerializerMethodField()
    phone_number_status = serializers.SerializerMethodField()

    class Meta(UserSerializer.Meta):
        fields = [
            *UserSerializer.Meta.fields[:PHONE_AT],
            "phone_number",
            "phone_number_status",
            *UserSerializer.Meta.fields[PHONE_AT:],
        ]

    def get_slack(self, user: User) -> list[dict] | None:  # type: ignore[override]  # upstream's shape
        slack = super().get_slack(user)
        return [slack] if slack else None

    def phone_is_private(self, user: User) -> bool:
        return user.hide_phone_number and not user.organization.override_phone_privacy

    def get_phone_number(self, user: User) -> str | None:
        if not user.phone_number or self.phone_is_private(user):
            return None
        return user.phone_number

    def get_phone_number_status(self, user: User) -> str:
        if not user.phone_number:
            return "not_configured"
        return "private" if self.phone_is_private(user) else "available"


def on_call_answer_body(schedule: Schedule, answer: OnCallAnswer) -> dict:
    team_id = schedule.team.public_id if schedule.team else None
    return {
        "count": len(answer.users),
        "users": OnCallUserSerializer(answer.users, many=True).data,
        "shifts": [
            {
                "schedule_id": schedule.public_id,
                "schedule_name": schedule.name,
                "team_id": team_id,
                "shift_start": render_utc(event.start, "+00:00"),
                "shift_end": render_utc(event.end, "+00:00"),
                "users": list(event.users),
            }
            for event in answer.events
        ],
    }
