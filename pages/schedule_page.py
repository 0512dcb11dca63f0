"""A schedule's page (docs/pages.md#the-timeline): its timeline over a day, a week, two weeks
or a month, and, for editors, the form that adds an override."""

from datetime import date
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

import timeline
from common.transactions import write_in_transaction
from pages.override_form import OverrideForm
from pages.periods import DEFAULT_SPAN, SPANS, Period, period_of
from pages.rendering import render_page
from pages.sessions import may_edit, signed_in
from pages.timeline_layout import (
    Bar,
    Layout,
    final_row,
    layer_rows,
    local_midnight,
    window_days,
)
from pages.zones import ViewerZone, sorted_zone_names, viewer_zone
from schedules.models import Schedule, ShiftSwap
from schedules.selectors import schedule_of, schedule_swaps_between
from schedules.services import schedule_override_add, takes_web_overrides
from shifts.engine import Window
from users.models import User
from users.selectors import users_who_may_be_on_call


def page_schedule(user: User, public_id: str) -> Schedule:
    schedule = schedule_of(organization=user.organization, public_id=public_id[:40])
    if schedule is None:
        raise Http404
    return schedule


def swap_bar(swap: ShiftSwap) -> Bar:
    beneficiary = swap.beneficiary.username
    if swap.benefactor is not None:
        text = f"{swap.benefactor.username} for {beneficiary}"
        return Bar(swap.swap_start, swap.swap_end, text, f"Swap: {text}", "swap")
    text = f"{beneficiary} asks for cover"
    return Bar(swap.swap_start, swap.swap_end, text, f"Open swap: {text}", "swap-open")


def schedule_url(schedule: Schedule, span: str, first: date, zone_name: str) -> str:
    """The page of `schedule` over the `span` holding `first`, in a zone."""
    query = urlencode({"span": span, "start": first.isoformat(), "tz": zone_name}, safe="/")
    return f"{reverse('pages:schedule', args=[schedule.public_id])}?{query}"


def period_url(schedule: Schedule, span: str, first: date, zone: ViewerZone) -> str:
    return schedule_url(schedule, span, first, zone.name)


def timeline_context(schedule: Schedule, period: Period, zone: ViewerZone) -> dict:
    window = Window(local_midnight(period.first, zone.zone), local_midnight(period.end, zone.zone))
    layers = timeline.schedule_layers(schedule, window, timezone.now())
    layout = Layout(window, zone.zone)
    swaps = schedule_swaps_between(schedule=schedule, start=window.start, end=window.end)
    rows = [
        *layer_rows(layout, layers.events, layers.users, layers.names),
        layout.row("Swaps", "", "swaps", (swap_bar(swap) for swap in swaps)),
        final_row(layout, layers.final, layers.gaps, layers.users),
    ]
    return {
        "rows": rows,
        "ticks": layout.ticks(window_days(period.first, period.end)),
        "window": window,
        "period": period,
        "spans": [
            (span, label, period_url(schedule, span, period.first, zone))
            for span, label in SPANS.items()
        ],
        "previous_url": period_url(schedule, period.span, period.previous, zone),
        "next_url": period_url(schedule, period.span, period.next, zone),
        "today_url": period_url(
            schedule, period.span, timezone.now().astimezone(zone.zone).date(), zone
        ),
    }


def schedule_response(
    request: HttpRequest, schedule: Schedule, form: OverrideForm | None = None, status: int = 200
) -> HttpResponse:
    user: User = request.page_user  # type: ignore[attr-defined]
    zone = viewer_zone(request, user)
    today = timezone.now().astimezone(zone.zone).date()
    period = period_of(request.GET.get("span"), request.GET.get("start"), today)
    editable = may_edit(user) and takes_web_overrides(schedule)
    if editable and form is None:
        form = override_form(user, initial={"tz": zone.name})
    context = {
        "schedule": schedule,
        "zone": zone,
        "zone_guessed": zone.guessed,
        "zones": sorted_zone_names(),
        "form": form if editable else None,
        "may_edit": may_edit(user),
        "takes_overrides": takes_web_overrides(schedule),
        **timeline_context(schedule, period, zone),
    }
    return render_page(request, "pages/schedule.html", context, section="schedules", status=status)


def override_form(user: User, **kwargs) -> OverrideForm:
    users = list(users_who_may_be_on_call(organization=user.organization))
    return OverrideForm(users=users, **kwargs)


@signed_in
def schedule_page(request: HttpRequest, public_id: str) -> HttpResponse:
    user: User = request.page_user  # type: ignore[attr-defined]
    return schedule_response(request, page_schedule(user, public_id))


@signed_in
@require_POST
def add_override(request: HttpRequest, public_id: str) -> HttpResponse:
    """Editors only; the override goes through the same services as the API's."""
    user: User = request.page_user  # type: ignore[attr-defined]
    schedule = page_schedule(user, public_id)
    if not may_edit(user) or not takes_web_overrides(schedule):
        return render_page(
            request, "pages/forbidden.html", {"schedule": schedule}, section="schedules", status=403
        )
    form = override_form(user, data=request.POST)
    if not form.is_valid():
        return schedule_response(request, schedule, form, status=400)
    data = form.cleaned_data
    write_in_transaction(
        lambda: schedule_override_add(
            schedule=schedule, users=[data["user"]], start=data["start"], end=data["end"]
        )
    )
    start = data["start"].astimezone(data["tz"]).date()
    span = request.GET.get("span")
    span = span if span in SPANS else DEFAULT_SPAN
    return redirect(schedule_url(schedule, span, start, str(data["tz"])))
