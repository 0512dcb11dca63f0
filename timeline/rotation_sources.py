"""What a schedule of rotation layers is computed from: its rotations with their members' user ids
in turn order and their windows, read in three queries for any number of schedules
(docs/rotations.md#restricted-rotations). A schedule switched off has none: nobody is on call."""

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from schedules.models import Schedule, ScheduleType
from shifts import engine
from shifts.converters import rotation_spec
from shifts.models import RestrictionWindow, Rotation, RotationMember


@dataclass(frozen=True, slots=True)
class RotationSource:
    """A rotation, the public ids of its turns' users in rotation order (None: nobody), and
    its windows."""

    rotation: Rotation
    turn_user_ids: tuple[str | None, ...]
    windows: tuple[RestrictionWindow, ...]

    def spec(self, on_call_user_ids: Collection[str]) -> engine.RotationSpec:
        return rotation_spec(
            self.rotation,
            turn_user_ids=self.turn_user_ids,
            windows=self.windows,
            on_call_user_ids=on_call_user_ids,
        )


def read_rotations(schedules: Sequence[Schedule]) -> dict[int, tuple[RotationSource, ...]]:
    """The rotations of each schedule that has any on call, by schedule pk, in layer order."""
    pks = [s.pk for s in schedules if s.type == ScheduleType.ROTATIONS and s.enabled]
    if not pks:
        return {}
    rotations = list(Rotation.objects.filter(schedule_id__in=pks).order_by("position", "id"))
    rotation_pks = [rotation.pk for rotation in rotations]
    turns: defaultdict[int, list[str | None]] = defaultdict(list)
    for rotation_pk, user_id in (
        RotationMember.objects.filter(rotation_id__in=rotation_pks)
        .order_by("rotation_id", "order", "position", "id")
        .values_list("rotation_id", "user__public_id")
    ):
        turns[rotation_pk].append(user_id)
    windows: defaultdict[int, list[RestrictionWindow]] = defaultdict(list)
    for window in RestrictionWindow.objects.filter(rotation_id__in=rotation_pks).order_by(
        "position", "id"
    ):
        windows[window.rotation_id].append(window)
    by_schedule: defaultdict[int, list[RotationSource]] = defaultdict(list)
    for rotation in rotations:
        source = RotationSource(rotation, tuple(turns[rotation.pk]), tuple(windows[rotation.pk]))
        by_schedule[rotation.schedule_id].append(source)
    return {pk: tuple(sources) for pk, sources in by_schedule.items()}
