"""Where the timeline's blocks go (docs/pages.md#the-timeline): pure layout of what the read
model answered, no on-call logic. Positions are fractions of the window in real time, so a
day of 23 or 25 hours (a daylight saving change in the viewer's zone) is drawn that much
narrower or wider, its hours where they fall."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shifts.engine import CalendarType, Event, FinalEvent, Window
from users.models import User

# Users get one of these colours, by their id (each takes white text at 4.5:1 or more).
PALETTE_SIZE = 8
GAP_WORDS = "Nobody on call (gap)"


@dataclass(frozen=True, slots=True)
class Block:
    """One bar: `left` and `width` in percent of the window; `start` and `end` clipped to the
    window (UTC); `tip` says who, from and to (the true bounds, in the viewer's zone)."""

    left: float
    width: float
    lane: int
    text: str
    tip: str
    kind: str
    colour: int
    start: datetime
    end: datetime
    usernames: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    detail: str
    kind: str
    blocks: list[Block]
    lanes: int


@dataclass(frozen=True, slots=True)
class Tick:
    left: float
    label: str
    major: bool
    instant: datetime


@dataclass(frozen=True, slots=True)
class Bar:
    """What a block is before layout: its true bounds, words and look."""

    start: datetime
    end: datetime
    text: str
    who: str
    kind: str
    colour: int = 0
    usernames: tuple[str, ...] = ()


class Layout:
    def __init__(self, window: Window, zone: ZoneInfo) -> None:
        self.window = window
        self.zone = zone
        self.length = (window.end - window.start).total_seconds()

    def percent(self, instant: datetime) -> float:
        clipped = min(max(instant, self.window.start), self.window.end)
        return round((clipped - self.window.start).total_seconds() / self.length * 100, 4)

    def local(self, instant: datetime) -> str:
        local = instant.astimezone(self.zone)
        return f"{local:%a} {local.day} {local:%b %Y %H:%M}"

    def row(self, label: str, detail: str, kind: str, bars: Iterable[Bar]) -> Row:
        ordered = sorted(bars, key=lambda bar: (bar.start, bar.end))
        lane_ends: list[datetime] = []
        blocks = []
        for bar in ordered:
            lane = next((i for i, end in enumerate(lane_ends) if end <= bar.start), None)
            if lane is None:
                lane = len(lane_ends)
                lane_ends.append(bar.end)
            else:
                lane_ends[lane] = bar.end
            blocks.append(self.block(bar, lane))
        return Row(label, detail, kind, blocks, max(1, len(lane_ends)))

    def block(self, bar: Bar, lane: int) -> Block:
        left = self.percent(bar.start)
        return Block(
            left=left,
            width=round(self.percent(bar.end) - left, 4),
            lane=lane,
            text=bar.text,
            tip=f"{bar.who}: {self.local(bar.start)} to {self.local(bar.end)}",
            kind=bar.kind,
            colour=bar.colour,
            start=max(bar.start, self.window.start),
            end=min(bar.end, self.window.end),
            usernames=bar.usernames,
        )

    def ticks(self, days: Sequence[date]) -> list[Tick]:
        """A major tick at each local midnight of `days`; in a one-day window, minor ticks
        every three hours of the local clock."""
        form = "%a %d %b" if len(days) <= 7 else "%a %d" if len(days) <= 14 else "%d"
        ticks = [self.tick(self.midnight(day), day.strftime(form), major=True) for day in days]
        if len(days) == 1:
            day = days[0]
            for hour in range(3, 24, 3):
                instant = datetime.combine(day, time(hour), self.zone).astimezone(UTC)
                ticks.append(self.tick(instant, f"{hour:02d}:00", major=False))
        return ticks

    def tick(self, instant: datetime, label: str, *, major: bool) -> Tick:
        return Tick(self.percent(instant), label, major, instant)

    def midnight(self, day: date) -> datetime:
        return local_midnight(day, self.zone)


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of `day` in `zone`, in UTC (a midnight skipped by a change at 00:00
    is read past the gap). In UTC: Python subtracts two times of one zone on the wall clock."""
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def names(user_ids: Iterable[str], users: dict[str, User]) -> tuple[str, ...]:
    return tuple(users[user_id].username for user_id in user_ids if user_id in users)


def colour_of(user_ids: Sequence[str], users: dict[str, User]) -> int:
    first = users.get(user_ids[0]) if user_ids else None
    return first.pk % PALETTE_SIZE if first is not None else 0


def event_bar(event: Event | FinalEvent, users: dict[str, User]) -> Bar:
    usernames = names(event.users, users)
    if not usernames:
        return Bar(event.start, event.end, "nobody", "Nobody who may be on call", "empty")
    text = ", ".join(usernames)
    return Bar(
        event.start, event.end, text, text, "shift", colour_of(event.users, users), usernames
    )


def layer_rows(
    layout: Layout, events: Sequence[Event], users: dict[str, User], shift_names: dict[str, str]
) -> list[Row]:
    """One row per level of the primary calendar, lowest first, then the overrides."""
    rows = []
    primary = [event for event in events if event.calendar_type == CalendarType.PRIMARY]
    for level in sorted({event.level for event in primary}):
        in_level = [event for event in primary if event.level == level]
        rows.append(
            layout.row(
                f"Layer {level}",
                layer_names(in_level, shift_names),
                "layer",
                (event_bar(event, users) for event in in_level),
            )
        )
    overrides = [event for event in events if event.calendar_type == CalendarType.OVERRIDES]
    rows.append(
        layout.row(
            "Overrides",
            layer_names(overrides, shift_names),
            "overrides",
            (event_bar(event, users) for event in overrides),
        )
    )
    return rows


def layer_names(events: Iterable[Event], shift_names: dict[str, str]) -> str:
    ids = dict.fromkeys(event.shift_id for event in events if event.shift_id is not None)
    return ", ".join(shift_names[id_] for id_ in ids if shift_names.get(id_))


def final_row(
    layout: Layout,
    final: Sequence[FinalEvent],
    gaps: Iterable[tuple[datetime, datetime]],
    users: dict[str, User],
) -> Row:
    """The final events that put someone on call, and the gaps, marked."""
    bars = [event_bar(event, users) for event in final if event.users]
    bars += [Bar(start, end, "Gap", GAP_WORDS, "gap") for start, end in gaps]
    return layout.row("Final schedule", "", "final", bars)


def window_days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=offset) for offset in range((end - start).days)]
