"""My shifts (docs/pages.md#my-shifts): the signed-in user's next shifts across the
organization's schedules, and the link a calendar app subscribes to (their export token)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

import timeline
from pages.rendering import render_page
from pages.sessions import may_edit, signed_in
from pages.zones import viewer_zone
from schedules.api.export_routes import subscription_url
from schedules.export_tokens import export_token_create, live_export_token
from schedules.models import Schedule
from schedules.selectors import schedules_of
from shifts.engine import Window
from users.models import User

AHEAD = timedelta(days=28)


@dataclass(frozen=True, slots=True)
class MyShift:
    schedule: Schedule
    start: datetime
    end: datetime


def next_shifts(user: User, now: datetime) -> list[MyShift]:
    """The final events naming `user` that end after `now`, within `AHEAD`, by start."""
    schedules = list(schedules_of(organization=user.organization).select_related("team"))
    if not schedules:
        return []
    events = timeline.final_events(user.organization, schedules, Window(now, now + AHEAD), now)
    by_pk = {schedule.pk: schedule for schedule in schedules}
    shifts = [
        MyShift(by_pk[pk], event.start, event.end)
        for pk, schedule_events in events.by_schedule.items()
        for event in schedule_events
        if user.public_id in event.users and event.end > now
    ]
    return sorted(shifts, key=lambda shift: (shift.start, shift.schedule.name))


@signed_in
@require_http_methods(["GET", "POST"])
def my_shifts(request: HttpRequest) -> HttpResponse:
    """`POST` makes a new subscription link, replacing the old one (as the API's export token
    route does); its value is shown in that answer only."""
    user: User = request.page_user  # type: ignore[attr-defined]
    new_link = ""
    status = 200
    if request.method == "POST":
        if may_edit(user):
            _, value = export_token_create(user=user)
            new_link = subscription_url("user", user.public_id, value)
        else:
            status = 403
    zone = viewer_zone(request, user)
    context = {
        "shifts": next_shifts(user, timezone.now()),
        "days": AHEAD.days,
        "live_token": live_export_token(user=user),
        "new_link": new_link,
        "may_edit": may_edit(user),
        "zone": zone,
        "zone_guessed": zone.guessed,
    }
    return render_page(request, "pages/my_shifts.html", context, section="my_shifts", status=status)
