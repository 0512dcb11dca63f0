"""The hottest reads, `current_oncall` and `final_shifts`: their answers, and the plain Django
views that serve their plain requests, routed in the URL conf ahead of the DRF routes.

Phone and chat integrations ask "who is on call now" on every call or message; reports and
assistants read `final_shifts` windows over and over. The plain form of these requests (GET, a
JSON or any `Accept`, a valid query) is answered by a plain view, behind every middleware like
any request, without DRF's request and response pipeline. It authenticates, checks the role and
throttles with the DRF view's own classes, run on a DRF request wrapping the request, and
answers with the view's own functions. Whatever it cannot answer exactly as the view would
(another method or `Accept`, a query the view would refuse or read otherwise, a bad or unknown
token, an inactive user, a missing schedule, a throttled caller) it hands to the DRF view of the
same route, which answers it as it answers everything (a table test compares both).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import URLPattern, URLResolver, re_path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings

import timeline
from apikit.encoding import client_accepts_gzip, sent_response
from schedules.api.authentication import TokenAndScheduleAuthentication
from schedules.api.oncall_serializers import (
    FinalShiftsQuery,
    FinalShiftsWriter,
    on_call_answer_body,
)
from schedules.models import Schedule
from shifts import engine

JSON = "application/json"
# What the DRF view's `Allow` header says for these routes (a test compares both answers).
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
PLAIN_ACCEPTS = frozenset({"", "*/*", JSON})


def current_oncall_response(schedule: Schedule, now: datetime) -> HttpResponse:
    body = timeline.current_oncall_body(schedule, now, render_on_call_answer)
    return HttpResponse(body, content_type=JSON)


def render_on_call_answer(schedule: Schedule, answer: timeline.OnCallAnswer) -> bytes:
    return orjson.dumps(on_call_answer_body(schedule, answer))


def final_shifts_window(validated: dict) -> engine.Window:
    return engine.Window(validated["start_date"], validated["end_date"])


def final_shifts_response(
    request: HttpRequest, schedule: Schedule, window: engine.Window
) -> HttpResponse:
    body = timeline.final_shifts_body(
        schedule, window, FinalShiftsWriter, timezone.now(), gzip=client_accepts_gzip(request)
    )
    return sent_response(body, JSON)


@dataclass(frozen=True, slots=True)
class PlainRead:
    """A read a plain view answers: the DRF route it stands in front of, what it reads of a query
    it can answer (None for one it leaves to the DRF view), its answer, and how it reads the
    token and the schedule named in the path (another API's plain reads read them otherwise)."""

    route_name: str
    read_query: Callable[[QueryDict], object | None]
    answer: Callable[[HttpRequest, Schedule, Any], HttpResponse]
    authentication: Callable[[str], TokenAndScheduleAuthentication] = TokenAndScheduleAuthentication


def no_query(query: QueryDict) -> bool | None:
    return None if query else True


def valid_window(query: QueryDict) -> engine.Window | None:
    if api_settings.URL_FORMAT_OVERRIDE in query:
        return None
    serializer = FinalShiftsQuery(data=query)
    return final_shifts_window(serializer.validated_data) if serializer.is_valid() else None


PLAIN_READS = (
    PlainRead(
        "schedule-current-oncall",
        no_query,
        lambda request, schedule, _: current_oncall_response(schedule, timezone.now()),
    ),
    PlainRead("schedule-final-shifts", valid_window, final_shifts_response),
)


def plain_view(
    read: PlainRead, drf_view: Callable[..., HttpResponse]
) -> Callable[..., HttpResponse]:
    """The plain view of `read`, handing what it does not answer to `drf_view`, the DRF view of
    the same route. CSRF-exempt, as DRF views are: it reads no cookie."""
    viewset = drf_view.cls  # type: ignore[attr-defined]

    @csrf_exempt
    def view(request: HttpRequest, pk: str) -> HttpResponse:
        return plain_answer(read, viewset, request, pk) or drf_view(request, pk=pk)

    return view


def plain_answer(
    read: PlainRead, viewset: Any, request: HttpRequest, pk: str
) -> HttpResponse | None:
    """The answer to a plain request for schedule `pk`, or None to leave it to the DRF view."""
    if request.method != "GET" or request.META.get("HTTP_ACCEPT", "").strip() not in PLAIN_ACCEPTS:
        return None
    # Before the caller is counted against the throttle: a query left to the view is counted
    # there.
    query = read.read_query(request.GET)
    if query is None:
        return None
    authentication = read.authentication(pk)
    caller = Request(request, authenticators=[authentication])
    try:
        caller.user  # noqa: B018 (authenticates)
    except APIException:
        return None
    if authentication.schedule is None:
        return None
    if not all(p().has_permission(caller, viewset) for p in viewset.permission_classes):
        return None
    if not all(t().allow_request(caller, viewset) for t in viewset.throttle_classes):
        return None
    response = read.answer(request, authentication.schedule, query)
    response["Allow"] = ALLOWED_METHODS
    return response


def plain_read_urls(
    drf_urls: Sequence[URLPattern | URLResolver], reads: tuple[PlainRead, ...] = PLAIN_READS
) -> list[URLPattern]:
    """A route for each plain read, on the same pattern as its DRF route and to go ahead of it."""
    routes = []
    for read in reads:
        # The first route of that name; the ones after it take a format suffix.
        drf_route = next(
            url for url in drf_urls if isinstance(url, URLPattern) and url.name == read.route_name
        )
        routes.append(
            re_path(drf_route.pattern.regex.pattern, plain_view(read, drf_route.callback))
        )
    return routes
