"""The hottest reads, `current_oncall` and `final_shifts`, and the middleware that answers their
plain requests ahead of the stack.

Phone and chat integrations ask "who is on call now" on every call or message; reports and
assistants read `final_shifts` windows over and over. The plain form of these requests (GET, a
JSON or any `Accept`, a valid query) is answered by `OnCallReadsMiddleware`, which sits after the
security, common and frame-options middleware (their headers and redirects still apply) and
before the session, CSRF, auth and messages middleware that only the admin site needs. It
authenticates, checks the role and throttles with the DRF view's own classes and answers with the
view's own functions; anything it cannot answer exactly as the view would (another method or
`Accept`, a query the view would refuse or read otherwise, a bad or unknown token, an inactive
user, a missing schedule, a throttled caller) goes on to the DRF view.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from types import SimpleNamespace

import orjson
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils import timezone
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.settings import api_settings

import timeline
from apikit.encoding import json_response
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
    return json_response(request, timeline.final_shifts_body(schedule, window, FinalShiftsWriter))


@dataclass(frozen=True, slots=True)
class PlainRead:
    """A route the middleware answers: its DRF name, what it reads of a query it can answer
    (None for one it leaves to the view), and its answer."""

    route_name: str
    read_query: Callable[[QueryDict], object | None]
    answer: Callable[[HttpRequest, Schedule, object], HttpResponse]


def no_query(query: QueryDict) -> bool | None:
    return None if query else True


def valid_window(query: QueryDict) -> engine.Window | None:
    if api_settings.URL_FORMAT_OVERRIDE in query:
        return None
    serializer = FinalShiftsQuery(data=query)
    return final_shifts_window(serializer.validated_data) if serializer.is_valid() else None


PLAIN_READS = {
    "current_oncall": PlainRead(
        "schedule-current-oncall",
        no_query,
        lambda request, schedule, _: current_oncall_response(schedule, timezone.now()),
    ),
    "final_shifts": PlainRead("schedule-final-shifts", valid_window, final_shifts_response),
}


@lru_cache(maxsize=1024)
def route_of(path: str) -> ResolverMatch | None:
    """Django's match for `path`, kept: matching walks the URL patterns one by one."""
    try:
        return resolve(path)
    except Resolver404:
        return None


class OnCallReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.answer(request) or self.get_response(request)

    def answer(self, request) -> HttpResponse | None:
        meta = request.META
        if request.method != "GET" or meta.get("HTTP_ACCEPT", "").strip() not in PLAIN_ACCEPTS:
            return None
        read = PLAIN_READS.get(request.path_info.rstrip("/").rpartition("/")[2])
        if read is None:
            return None
        match = route_of(request.path_info)
        if match is None or match.url_name != read.route_name:
            return None
        # Before the caller is counted against the throttle: a query left to the view is
        # counted there.
        query = read.read_query(request.GET)
        if query is None:
            return None
        authentication = TokenAndScheduleAuthentication(match.kwargs["pk"])
        try:
            user, token = authentication.authenticate(request)
        except AuthenticationFailed:
            return None
        if authentication.schedule is None:
            return None
        view = match.func.cls
        caller = SimpleNamespace(method="GET", user=user, auth=token, META=meta)
        if not all(p().has_permission(caller, view) for p in view.permission_classes):
            return None
        if not all(t().allow_request(caller, view) for t in view.throttle_classes):
            return None
        response = read.answer(request, authentication.schedule, query)
        response["Allow"] = ALLOWED_METHODS
        return response
