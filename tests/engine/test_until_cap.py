"""The cap `until` puts on a seed's end, compared the way its slot was (docs/rotations.md#until).

A seed's end is `start + duration` unless `until` comes first, and then it is `until`'s plain
reading taken in the shift's zone. Whether `until` "comes first" is decided like the slot
comparisons of the rotation walk: the first slot, and a slot reached from one that did not count,
compare plain readings; a slot reached from a counted slot compares instants (the end in the zone
against `until` read as UTC). East of UTC the instant comparison keeps a full turn that the plain
one would cut (conformance case g12-011-calendar); west of UTC it can move the end to `until`'s
reading, later than `start + duration`. In UTC both agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from shifts.engine.types import Frequency, ShiftSpec, ShiftType
from tests.engine.test_rotation import HOUR, A, B, C, shift
from tests.engine.test_rotation_dst import rendered


@dataclass(frozen=True)
class UntilCase:
    id: str
    spec: ShiftSpec
    window: tuple[datetime, datetime]  # UTC wall times
    events: list[tuple[str, str, str]]  # (start UTC, end UTC, users)


def rotation(zone: str, start: datetime, frequency: Frequency, until: datetime, **fields):
    return shift(
        time_zone=zone,
        start=start,
        duration=12 * HOUR,
        frequency=frequency,
        rolling_users=(A, B),
        until=until,
        **fields,
    )


JULY = (datetime(2025, 5, 1), datetime(2025, 8, 31))

CASES = [
    UntilCase(
        # g12-011-calendar: Alice's turn 11:00-23:00 JST = 02:00Z-14:00Z ends before 17:00Z
        "Tokyo weekly by_day, second turn from a counted one keeps its full length",
        rotation(
            "Asia/Tokyo",
            datetime(2025, 7, 11, 11),
            Frequency.WEEKLY,
            datetime(2025, 7, 27, 17),
            interval=2,
            week_start="SU",
            by_day=("SU",),
            start_rotation_from_user_index=1,
        ),
        JULY,
        [
            ("2025-07-13T02:00", "2025-07-13T14:00", "B"),
            ("2025-07-27T02:00", "2025-07-27T14:00", "A"),
        ],
    ),
    UntilCase(
        "Tokyo daily, the first turn compares plain readings and is cut at 17:00 JST",
        rotation(
            "Asia/Tokyo", datetime(2025, 7, 27, 11), Frequency.DAILY, datetime(2025, 7, 27, 17)
        ),
        JULY,
        [("2025-07-27T02:00", "2025-07-27T08:00", "A")],
    ),
    UntilCase(
        "Tokyo daily, second turn keeps 11:00-23:00 JST",
        rotation(
            "Asia/Tokyo", datetime(2025, 7, 26, 11), Frequency.DAILY, datetime(2025, 7, 27, 17)
        ),
        JULY,
        [
            ("2025-07-26T02:00", "2025-07-26T14:00", "A"),
            ("2025-07-27T02:00", "2025-07-27T14:00", "B"),
        ],
    ),
    UntilCase(
        # 05:00Z comes before the 14:00Z end: the end becomes 05:00 JST, before the turn's start
        "Tokyo daily, second turn whose cap falls before its start shows nothing",
        rotation(
            "Asia/Tokyo", datetime(2025, 7, 26, 11), Frequency.DAILY, datetime(2025, 7, 27, 5)
        ),
        JULY,
        [("2025-07-26T02:00", "2025-07-26T14:00", "A")],
    ),
    UntilCase(
        # 23:30Z comes before 23:00 EDT (03:00Z): the end becomes 23:30 EDT, half an hour late
        "New York daily, second turn ends at until's reading after its own end",
        rotation(
            "America/New_York",
            datetime(2025, 7, 26, 11),
            Frequency.DAILY,
            datetime(2025, 7, 27, 23, 30),
        ),
        JULY,
        [
            ("2025-07-26T15:00", "2025-07-27T03:00", "A"),
            ("2025-07-27T15:00", "2025-07-28T03:30", "B"),
        ],
    ),
    UntilCase(
        "UTC daily, both comparisons agree: the second turn is cut at until",
        rotation("UTC", datetime(2025, 7, 26, 11), Frequency.DAILY, datetime(2025, 7, 27, 17)),
        JULY,
        [
            ("2025-07-26T11:00", "2025-07-26T23:00", "A"),
            ("2025-07-27T11:00", "2025-07-27T17:00", "B"),
        ],
    ),
    UntilCase(
        "Tokyo daily on selected days, the second day keeps its full length",
        rotation(
            "Asia/Tokyo",
            datetime(2025, 7, 26, 11),
            Frequency.DAILY,
            datetime(2025, 7, 27, 17),
            by_day=("SA", "SU"),
        ),
        JULY,
        [
            ("2025-07-26T02:00", "2025-07-26T14:00", "A"),
            ("2025-07-27T02:00", "2025-07-27T14:00", "B"),
        ],
    ),
    UntilCase(
        "Tokyo monthly by_monthday, interval 2, from the third group: the later turn is whole",
        shift(
            time_zone="Asia/Tokyo",
            start=datetime(2025, 5, 27, 11),
            duration=12 * HOUR,
            frequency=Frequency.MONTHLY,
            interval=2,
            by_monthday=(27,),
            rolling_users=(A, B, C),
            start_rotation_from_user_index=2,
            until=datetime(2025, 7, 27, 17),
        ),
        JULY,
        [
            ("2025-05-27T02:00", "2025-05-27T14:00", "C"),
            ("2025-07-27T02:00", "2025-07-27T14:00", "A"),
        ],
    ),
    UntilCase(
        "Tokyo weekly by_month: the July turn after a counted one is whole",
        rotation(
            "Asia/Tokyo",
            datetime(2025, 7, 20, 11),
            Frequency.WEEKLY,
            datetime(2025, 7, 27, 17),
            week_start="MO",
            by_month=(7,),
        ),
        JULY,
        [
            ("2025-07-20T02:00", "2025-07-20T14:00", "A"),
            ("2025-07-27T02:00", "2025-07-27T14:00", "B"),
        ],
    ),
    UntilCase(
        # a rotation start after `start` makes the first slot uncounted: the counted one after
        # it is reached from an uncounted slot and compares plain readings, so it is cut
        "Tokyo daily, a turn reached from an uncounted slot is cut at 17:00 JST",
        rotation(
            "Asia/Tokyo",
            datetime(2025, 7, 26, 11),
            Frequency.DAILY,
            datetime(2025, 7, 27, 17),
            rotation_start=datetime(2025, 7, 27, 11),
        ),
        JULY,
        [("2025-07-27T02:00", "2025-07-27T08:00", "B")],
    ),
    UntilCase(
        "Tokyo recurrent event: its single seed compares plain readings",
        shift(
            type=ShiftType.RECURRENT_EVENT,
            time_zone="Asia/Tokyo",
            start=datetime(2025, 7, 26, 11),
            duration=12 * HOUR,
            frequency=Frequency.DAILY,
            users=A,
            until=datetime(2025, 7, 26, 17),
        ),
        JULY,
        [("2025-07-26T02:00", "2025-07-26T08:00", "A")],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_until_cap(case: UntilCase) -> None:
    assert rendered(case.spec, case.window) == case.events
