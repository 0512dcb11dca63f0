"""Pure shift-resolution engine: shifts and iCal calendars in, the final on-call schedule out.

No Django, no I/O, no clock: the window (and any "now") is an argument, values are the frozen
dataclasses of `shifts.engine.types`. Window rules live in `shifts.engine.window`.

- `expand_shift(spec, window)`: the raw events of one shift (docs/rotations.md).
- `expand_ical(text, window, calendar_type, directory)`: the raw events of an iCal text
  (docs/ical-feeds.md).
- `detect_gaps(events, window)`: gap events for the uncovered parts of the window
  (docs/resolution.md#gaps).
- `resolve(events, window)`: layering of raw events into final events
  (docs/resolution.md#layering).
- `expand_rotation(spec, window)`: the raw events of a rotation of a fixed length, restricted
  to windows of the day or week or not (docs/rotations.md#restricted-rotations).
- `schedule_timeline(...)`: all of the above for one schedule; what the service calls.
- `raw_sources(...)` then `resolve_within(events, window)`: the same in two steps, so that
  events expanded once over a long window serve any window inside it; `on_call_spans_within`
  gives only the (start, end, users) of the events that are not gaps. `raw_sources(...)` and
  `raw_shift_events(spec, window)` give raw events as the engine works on them (`RawEvents`),
  which every routine taking raw events takes too: a caller keeping expansions, shift by shift,
  joins them (`RawEvents.joined`) without building an `Event` for each.
- `resolve_block(events, block)` then `on_call_spans_in_block(resolved, window)`: the same spans
  for any window inside the block, from one resolution of the block; `window_spans_in_block`
  gives them in parts, most of a long window being the block's own spans, shared by its windows.
- `common_ends(earlier, later)`: how much two sequences share at their start and end, for
  callers that keep what they made of a sequence and make it again after a change to a stretch.
- `on_call_changes(final_events, after, until, before)`: the instants where the set of users on
  call changes, and why; `users_at(final_events, instant)`: who is on call at an instant;
  `coverage_problems(events, window)`: gaps and empty events (docs/oncall-events.md).

Resolution takes a schedule's `Swaps` (its swap requests as they stand at a given "now") and
applies them before layering (`shifts.engine.swaps`, docs/resolution.md#shift-swaps).
"""

from shifts.engine.blocks import (
    ResolvedBlock,
    WindowSpans,
    on_call_spans_in_block,
    resolve_block,
    window_spans_in_block,
)
from shifts.engine.changes import (
    ChangeCause,
    CoverageProblems,
    OnCallChange,
    coverage_problems,
    on_call_changes,
    users_at,
)
from shifts.engine.errors import CalendarParseError, EngineError
from shifts.engine.gaps import detect_gaps
from shifts.engine.ical import expand_ical
from shifts.engine.intervals import common_ends
from shifts.engine.resolve import OnCallSpan, clipped_spans, resolve
from shifts.engine.restrictions import DailyWindow, Restriction, WeeklyWindow
from shifts.engine.rotation import expand_shift
from shifts.engine.rows import RawEvents
from shifts.engine.swaps import Swap, Swaps
from shifts.engine.timeline import (
    on_call_spans_within,
    raw_shift_events,
    raw_sources,
    resolve_within,
    schedule_timeline,
)
from shifts.engine.turns import LengthUnit, RotationSpec, expand_rotation
from shifts.engine.types import (
    CalendarText,
    CalendarType,
    Event,
    FinalEvent,
    Frequency,
    ShiftSpec,
    ShiftType,
    Source,
    SwapMark,
    UserDirectory,
    Window,
)
from shifts.engine.window import on_call_window

__all__ = [
    "CalendarParseError",
    "CalendarText",
    "CalendarType",
    "ChangeCause",
    "CoverageProblems",
    "DailyWindow",
    "EngineError",
    "Event",
    "FinalEvent",
    "Frequency",
    "LengthUnit",
    "OnCallChange",
    "OnCallSpan",
    "RawEvents",
    "ResolvedBlock",
    "Restriction",
    "RotationSpec",
    "ShiftSpec",
    "ShiftType",
    "Source",
    "Swap",
    "SwapMark",
    "Swaps",
    "UserDirectory",
    "WeeklyWindow",
    "Window",
    "WindowSpans",
    "clipped_spans",
    "common_ends",
    "coverage_problems",
    "detect_gaps",
    "expand_ical",
    "expand_rotation",
    "expand_shift",
    "on_call_changes",
    "on_call_spans_in_block",
    "on_call_spans_within",
    "on_call_window",
    "raw_shift_events",
    "raw_sources",
    "resolve",
    "resolve_block",
    "resolve_within",
    "schedule_timeline",
    "users_at",
    "window_spans_in_block",
]
