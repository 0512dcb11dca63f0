"""A request id for every request: answered in `X-Request-ID` and written in every log line the
request causes, so that a client's report of a failed request leads to its log lines.

An incoming `X-Request-ID` (from a proxy or the client) is reused when it is a plain token;
anything else gets a new id, so that no header can forge or break log lines.
"""

import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
NO_REQUEST = "-"
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

current_request_id: ContextVar[str] = ContextVar("current_request_id", default=NO_REQUEST)


def request_id_of(meta: dict) -> str:
    incoming = meta.get(META_KEY, "")
    return incoming if ACCEPTED_ID.fullmatch(incoming) else uuid.uuid4().hex


class RequestIdMiddleware:
    """First in the stack: every answer, errors included, carries the id.

    The id stays current in the serving thread (or task) until its next request: Django writes
    its own line for a 4xx or 5xx answer after the middleware stack has returned."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_of(request.META)
        current_request_id.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Gives every record a `request_id` for the log format (`-` outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True
