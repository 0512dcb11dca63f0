"""The hours page (docs/pages.md#hours, docs/hours.md): hours on call per user over a window and
schedules the viewer picks, with nights and weekends in a zone they pick, and the same CSV as
the API's. It reads the report through the API's query and bodies, so both answer alike."""

from datetime import date, datetime
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone

from pages.rendering import render_page
from pages.sessions import signed_in
from pages.zones import ViewerZone, sorted_zone_names, viewer_zone
from reports.hours import hours_report
from schedules.api.hours import (
    KINDS,
    MAX_SCHEDULES,
    SchedulesHoursQuery,
    csv_file_name,
    hours_body,
    hours_csv,
)
from schedules.models import Schedule
from schedules.selectors import schedules_of
from users.models import User

QUERY_NAMES = ("start_date", "end_date", "time_zone", "schedule_ids")


def month_of(today: date) -> tuple[date, date]:
    """The first day of `today`'s month and of the next."""
    first = today.replace(day=1)
    after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, after


def default_query(schedules: list[Schedule], zone: ViewerZone, now: datetime) -> QueryDict:
    """This month in the viewer's zone, over every schedule (the first ones the report takes)."""
    first, after = month_of(now.astimezone(zone.zone).date())
    query = QueryDict(mutable=True)
    query.update({"start_date": first.isoformat(), "end_date": after.isoformat()})
    query["time_zone"] = zone.name
    query.setlist("schedule_ids", [schedule.public_id for schedule in schedules[:MAX_SCHEDULES]])
    return query


def asked_query(request: HttpRequest, user: User, schedules: list[Schedule]) -> QueryDict:
    if any(name in request.GET for name in QUERY_NAMES):
        return request.GET
    return default_query(schedules, viewer_zone(request, user), timezone.now())


def validated(query: QueryDict, user: User) -> SchedulesHoursQuery:
    form = SchedulesHoursQuery(data=query, context={"organization": user.organization})
    form.is_valid()
    return form


def report_body(form: SchedulesHoursQuery) -> dict:
    data = form.validated_data
    report = hours_report(data["schedule_ids"], data["window"], data["time_zone"], timezone.now())
    return hours_body(report)


def totals(body: dict) -> dict[str, float]:
    """The hours of every user together, by kind."""
    return {
        kind: round(sum(user["seconds"][kind] for user in body["users"]) / 3600, 2)
        for kind in KINDS
    }


def csv_url(query: QueryDict) -> str:
    pairs = [(name, value) for name in QUERY_NAMES for value in query.getlist(name)]
    return f"{reverse('pages:hours_csv')}?{urlencode(pairs)}"


@signed_in
def hours_page(request: HttpRequest) -> HttpResponse:
    user: User = request.page_user  # type: ignore[attr-defined]
    schedules = list(schedules_of(organization=user.organization))
    query = asked_query(request, user, schedules)
    form = validated(query, user)
    body = report_body(form) if not form.errors else None
    zone = viewer_zone(request, user)
    context = {
        "schedules": schedules,
        "chosen": set(query.getlist("schedule_ids")),
        "start_date": query.get("start_date", ""),
        "end_date": query.get("end_date", ""),
        "time_zone": query.get("time_zone", "UTC"),
        "zones": sorted_zone_names(),
        "errors": form.errors,
        "max_schedules": MAX_SCHEDULES,
        "body": body,
        "totals": totals(body) if body else None,
        "csv_url": csv_url(query),
        "zone": zone,
        "zone_guessed": zone.guessed,
    }
    status = 400 if form.errors else 200
    return render_page(request, "pages/hours.html", context, section="hours", status=status)


@signed_in
def hours_csv_download(request: HttpRequest) -> HttpResponse:
    """The page's report as the API's CSV; a bad query answers the errors as text."""
    user: User = request.page_user  # type: ignore[attr-defined]
    form = validated(request.GET, user)
    if form.errors:
        lines = [
            f"{name}: {message}" for name, messages in form.errors.items() for message in messages
        ]
        return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(hours_csv(report_body(form)), content_type="text/csv; charset=utf-8")
    name = csv_file_name("schedules", form.validated_data)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
