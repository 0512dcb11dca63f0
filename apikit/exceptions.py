"""Upstream's error bodies: DRF defaults plus a few upstream-specific shapes."""

import math

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

# Upstream answers 350 seconds when the wait is unknown.
UNKNOWN_RATELIMIT_RESET = 350


class BadRequest(exceptions.APIException):
    """A rule violation: `400 {"detail": "<message>"}` (not DRF's list-wrapped field errors)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Bad request"
    default_code = "bad_request"


class FieldMessage(exceptions.APIException):
    """`400 {"<field>": "<message>"}` with a bare string (upstream's polymorphic `type` errors)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, field: str, message: str):
        super().__init__({field: message})


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        # DRF would echo Django's "No X matches the given query."; upstream says "Not found."
        exc = exceptions.NotFound()
    if isinstance(exc, RequestDataTooBig):
        # Django would answer an HTML 400 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = PayloadTooLarge(f"Request body exceeded the maximum size of {limit} bytes.")
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.Throttled):
        wait = exc.wait
        response["RateLimit-Reset"] = str(
            math.ceil(wait) if wait is not None else UNKNOWN_RATELIMIT_RESET
        )
    return response
