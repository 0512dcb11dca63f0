"""`current_oncall`, the hottest request, and the middleware that answers it ahead of the stack.

Phone and chat integrations ask "who is on call now" on every call or message. The plain form of
that request (GET, no query string, JSON or anything accepted) is answered by
`CurrentOnCallMiddleware`, which sits after the security, common and frame-options middleware
(their headers and redirects still apply) and before the session, CSRF, auth and messages
middleware that only the admin site needs. It authenticates, checks the role and throttles with
the DRF view's own classes and answers with the view's own body; anything else it cannot answer
exactly as the view would (another method, a query string, another `Accept`, a bad or unknown
token, an inactive user, a missing schedule, a throttled caller) goes on to the DRF view.
"""

from datetime import datetime
from functools import lru_cache
from types import SimpleNamespace

import orjson
from django.http import HttpResponse
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils import timezone

from schedules import selectors, timeline_cache
from schedules.api.authentication import TokenAndScheduleAuthentication
from schedules.api.oncall_serializers import on_call_answer_body
from schedules.models import Schedule

ROUTE_NAME = "schedule-current-oncall"
ROUTE_END = "/current_oncall"
JSON = "application/json"
# What the DRF view's `Allow` header says for this route (a test compares both answers).
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
PLAIN_ACCEPTS = frozenset({"", "*/*", JSON})


def current_oncall_response(schedule: Schedule, now: datetime) -> HttpResponse:
    def build():
        current = selectors.current_oncall(schedule, now)
        body = orjson.dumps(on_call_answer_body(schedule, current.answer))
        return body, current.valid_from, current.valid_until

    body = timeline_cache.cached_current_body(schedule, now, build)
    return HttpResponse(body, content_type=JSON)


@lru_cache(maxsize=1024)
def route_of(path: str) -> ResolverMatch | None:
    """Django's match for `path`, kept: matching walks the URL patterns one by one."""
    try:
        return resolve(path)
    except Resolver404:
        return None


class CurrentOnCallMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.answer(request) or self.get_response(request)

    def answer(self, request) -> HttpResponse | None:
        meta = request.META
        if (
            request.method != "GET"
            or meta.get("QUERY_STRING")
            or meta.get("HTTP_ACCEPT", "").strip() not in PLAIN_ACCEPTS
            or not request.path_info.rstrip("/").endswith(ROUTE_END)
        ):
            return None
        match = route_of(request.path_info)
        if match is None or match.url_name != ROUTE_NAME:
            return None
        authentication = TokenAndScheduleAuthentication(match.kwargs["pk"])
        token = authentication.lookup(meta.get("HTTP_AUTHORIZATION", "").strip())
        if token is None or not token.user.is_active or authentication.schedule is None:
            return None
        view = match.func.cls
        caller = SimpleNamespace(method="GET", user=token.user, auth=token, META=meta)
        if not all(p().has_permission(caller, view) for p in view.permission_classes):
            return None
        if not all(t().allow_request(caller, view) for t in view.throttle_classes):
            return None
        response = current_oncall_response(authentication.schedule, timezone.now())
        response["Allow"] = ALLOWED_METHODS
        return response
