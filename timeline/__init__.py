"""The read model: the one path from stored rows to who is on call (docs/architecture.md).

Every answer about who is on call — `final_shifts`, `on_call_now`, `current/previous/next_oncall`,
the iCal exports — is read through what this package offers, and nothing else imports the
engine's routines or a cache (`tests/structure/test_read_model.py`):

- `final_events(organization, schedules, window, now)`: final events by schedule, and their
  users;
- `final_shift_rows(schedule, window, now)`: one row per final event and user, clipped to the
  window;
- `on_call_now(schedules, now)`: who is on call now, by schedule;
- `current_oncall`, `previous_oncall`, `next_oncall`: the on-call answers with their events;
- `final_shifts_body`, `current_oncall_body`: the hottest answers' bodies, kept;
  `unchanged_spans`: what a write left of a block's spans, for the writers of its rows;
- `members_body`, `on_call_stretch`, `stretch_body`, `on_call_users_now`: who is on call now and
  next layer by layer, the stretch of who is on call now (kept as it is and as a body), and the
  users on call now (the Signal and Instatus APIs);
- `swap_shifts(swap, now)`: the final events a shift swap puts someone in;
- `export_through(token, now)`: the iCal export an export token opens;
- `on_call_changes(schedule, after, until, before)`, `on_call_user_ids_at(schedule, instant)`,
  `coverage_problems(schedule, window)`: who is on call over time, for the on-call log and the
  notifiers that act on its changes (docs/oncall-events.md); `next_handoff(schedule, now)`:
  the next change of who is on call, for the pages;
- `schedule_layers(schedule, window, now)`: a schedule's layers, overrides and final events over
  a window, for the pages' timeline (docs/pages.md#the-timeline).

Answers are for a given "now": a schedule's open swaps change them until their start passes.
"""

from timeline.answers import (
    CurrentOnCall,
    FinalEvents,
    FinalShiftRows,
    OnCallAnswer,
    current_oncall,
    final_events,
    final_shift_rows,
    next_oncall,
    on_call_now,
    previous_oncall,
    swap_shifts,
)
from timeline.bodies import (
    RowsWriter,
    current_oncall_body,
    final_shifts_body,
    members_body,
    stretch_body,
    unchanged_spans,
)
from timeline.changes import (
    Handoff,
    coverage_problems,
    next_handoff,
    on_call_changes,
    on_call_user_ids_at,
)
from timeline.exports import export_through
from timeline.layers import ScheduleLayers, schedule_layers
from timeline.members import OnCallMembers, Stretch, on_call_stretch, on_call_users_now

__all__ = [
    "CurrentOnCall",
    "FinalEvents",
    "FinalShiftRows",
    "Handoff",
    "OnCallAnswer",
    "OnCallMembers",
    "RowsWriter",
    "ScheduleLayers",
    "Stretch",
    "coverage_problems",
    "current_oncall",
    "current_oncall_body",
    "export_through",
    "final_events",
    "final_shift_rows",
    "final_shifts_body",
    "members_body",
    "next_handoff",
    "next_oncall",
    "on_call_changes",
    "on_call_now",
    "on_call_stretch",
    "on_call_user_ids_at",
    "on_call_users_now",
    "previous_oncall",
    "schedule_layers",
    "stretch_body",
    "swap_shifts",
    "unchanged_spans",
]
