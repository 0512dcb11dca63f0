"""The schedules page (docs/pages.md#schedules): every schedule of the organization with its
team, its type, who is on call now and the next handoff, filtered by team and name."""

from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

import timeline
from pages.rendering import render_page
from pages.sessions import signed_in
from pages.zones import viewer_zone
from schedules import selectors
from schedules.models import Schedule, ScheduleType
from users.models import User
from users.selectors import team_list

MAX_FILTER_LENGTH = 200


@dataclass(frozen=True, slots=True)
class ScheduleLine:
    schedule: Schedule
    kind: str
    on_call: list[User]
    handoff: timeline.Handoff | None


def kind_of(schedule: Schedule) -> str:
    if schedule.type == ScheduleType.ROTATIONS:
        return f"rotations ({schedule.get_dialect_display()})"
    return schedule.get_type_display()


def schedule_lines(schedules: list[Schedule], now: datetime) -> list[ScheduleLine]:
    on_call = timeline.on_call_users_now(schedules, now)
    lines = []
    for schedule in schedules:
        lines.append(
            ScheduleLine(
                schedule=schedule,
                kind=kind_of(schedule),
                on_call=on_call.get(schedule.pk, []),
                handoff=timeline.next_handoff(schedule, now),
            )
        )
    return lines


@signed_in
def schedule_list(request: HttpRequest) -> HttpResponse:
    user: User = request.page_user  # type: ignore[attr-defined]
    name = request.GET.get("name", "").strip()[:MAX_FILTER_LENGTH]
    team = request.GET.get("team", "").strip()[:MAX_FILTER_LENGTH]
    schedules = list(
        selectors.schedule_overview(organization=user.organization, name=name, team_public_id=team)
    )
    zone = viewer_zone(request, user)
    context = {
        "lines": schedule_lines(schedules, timezone.now()),
        "teams": list(team_list(organization=user.organization)),
        "name": name,
        "team": team,
        "zone": zone,
        "zone_guessed": zone.guessed,
    }
    return render_page(request, "pages/schedules.html", context, section="schedules")
