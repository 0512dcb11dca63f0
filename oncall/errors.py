"""Unexpected failures under `/api/` (and `/health/`, and Instatus's routes) answer JSON, never
Django's HTML page.

- 503 `{"detail": "Service temporarily unavailable"}` with `Retry-After` when the database
  cannot serve the request: it is restarting or unreachable, it has no connection left, or
  SQLite's write lock stayed taken past the busy timeout. The same request may succeed soon.
- 500 `{"detail": "Internal server error"}` for anything else.

Either way the failure is logged with its traceback and request id (`oncall.request_ids`), which
the answer carries in `X-Request-ID`. Views' exceptions are answered by `ApiErrorMiddleware`
(DEBUG or not); anything else that fails, a middleware included, by `server_error`, Django's
`handler500` (with DEBUG on, Django shows its debug page there instead).
"""

import sys

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.log import log_response
from django.views import defaults

# Instatus's API lives outside /api/ (docs/dialects.md#instatus).
JSON_PREFIXES = ("/api/", "/health/", "/on-call-schedules", "/v1/on-call-schedules")
# Exceptions Django itself answers with a 4xx.
ANSWERED_BY_DJANGO = (
    Http404,
    PermissionDenied,
    BadRequest,
    SuspiciousOperation,
    MultiPartParserError,
)
RETRY_AFTER_SECONDS = 1


def answers_json(request: HttpRequest) -> bool:
    return request.path_info.startswith(JSON_PREFIXES)


def database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def error_response(exc: BaseException | None) -> JsonResponse:
    if database_unavailable(exc):
        response = JsonResponse({"detail": "Service temporarily unavailable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"detail": "Internal server error"}, status=500)


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not answers_json(request) or isinstance(exception, ANSWERED_BY_DJANGO):
            return None
        response = error_response(exception)
        log_response(
            "%s: %s",
            response.reason_phrase,
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response


def server_error(request: HttpRequest):
    """Django's `handler500`: called while the exception is being handled (Django has logged
    it already)."""
    if answers_json(request):
        return error_response(sys.exception())
    return defaults.server_error(request)
