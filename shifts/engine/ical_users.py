"""Who an iCal event puts on call, and at which level (docs/ical-feeds.md#who-is-on-call,
docs/ical-feeds.md#levels)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from shifts.engine.types import UserDirectory

_LEVEL_MARKER = re.compile(r"^\[L(\d+)\]")
_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)


def event_level(summary: str | None) -> int:
    """The level of a leading `[L<n>]` marker in the SUMMARY; 0 without one."""
    marker = _LEVEL_MARKER.match((summary or "").strip())
    return int(marker.group(1)) if marker else 0


def candidate_names(
    summary: str | None, description: str | None, attendees: Sequence[str]
) -> list[str]:
    """The names an event may refer to users by, in SUMMARY, DESCRIPTION, ATTENDEE order.

    Each property is one whole name (never split on spaces or commas) once trimmed and rid of a
    leading level marker. ATTENDEE counts only when there is exactly one, and without its
    `mailto:` prefix (docs/differences.md#attendees-written-as-mailto).
    """
    texts = [summary, description]
    if len(attendees) == 1:
        texts.append(_MAILTO.sub("", attendees[0].strip()))
    names = (_LEVEL_MARKER.sub("", (text or "").strip()).strip() for text in texts)
    return [name for name in names if name]


def match_users(
    names: Sequence[str], directory: UserDirectory
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(matched user keys, names that matched nobody), both without duplicates, in name order.

    A name matches a username exactly or an e-mail address case-insensitively.
    """
    users: dict[str, None] = {}
    missing: dict[str, None] = {}
    for name in names:
        found = [
            user
            for user in (directory.by_username.get(name), directory.by_email.get(name.lower()))
            if user is not None
        ]
        users.update(dict.fromkeys(found))
        if not found:
            missing[name] = None
    return tuple(users), tuple(missing)
