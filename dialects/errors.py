"""The error answers of the dialects: `{"error": {"code": "...", "message": "..."}}`, with the
codes both APIs use (docs/dialects.md#errors).

Every error a dialect view raises goes through the project's exception handler first (unknown
objects, bodies over the size limit, `RateLimit-Reset` on throttled answers), then takes the
dialect's shape: the status and headers stay, the body changes.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

from apikit.exceptions import exception_handler

VALIDATION_ERROR = "validation_error"
# A body that is not JSON is a validation error of the body as a whole.
BODY = "body"
CODES = {
    status.HTTP_400_BAD_REQUEST: VALIDATION_ERROR,
    status.HTTP_403_FORBIDDEN: "forbidden",
    status.HTTP_404_NOT_FOUND: "not_found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "method_not_allowed",
    status.HTTP_406_NOT_ACCEPTABLE: "not_acceptable",
    status.HTTP_413_REQUEST_ENTITY_TOO_LARGE: "payload_too_large",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "unsupported_media_type",
    status.HTTP_429_TOO_MANY_REQUESTS: "rate_limited",
}
NOT_FOUND_MESSAGE = "Not found."
VALIDATION_MESSAGE = "Validation failed"


def flattened(detail: Any, path: str = "") -> dict[str, list[str]]:
    """DRF's nested error details as messages by dotted field path (`members.2`,
    `onCallShifts.0.startDate`); errors of the body as a whole go under `body`."""
    if isinstance(detail, dict):
        found: dict[str, list[str]] = {}
        for key, value in detail.items():
            if key == "non_field_errors":
                # an error of the object (or list) itself
                found.update(flattened(value, path))
            else:
                found.update(flattened(value, f"{path}.{key}" if path else str(key)))
        return found
    if isinstance(detail, list) and all(isinstance(item, str) for item in detail):
        return {path or BODY: [str(item) for item in detail]} if detail else {}
    if isinstance(detail, list):
        found = {}
        for index, item in enumerate(detail):
            found.update(flattened(item, f"{path}.{index}" if path else str(index)))
        return found
    return {path or BODY: [str(detail)]}


@dataclass(frozen=True, slots=True)
class ErrorShape:
    """How one dialect answers errors: its codes for a missing and a bad token, and whether
    field errors come as `details` beside the message (else the message names the fields)."""

    missing_token_code: str
    invalid_token_code: str
    details: bool

    def code(self, exc: Exception, status_code: int) -> str:
        if isinstance(exc, exceptions.NotAuthenticated):
            return self.missing_token_code
        if status_code == status.HTTP_401_UNAUTHORIZED:
            return self.invalid_token_code
        return CODES.get(status_code, "error")

    def body(self, code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
        error: dict[str, Any] = {"code": code, "message": message}
        if fields is not None:
            if self.details:
                error["details"] = fields
            else:
                error["message"] = f"{VALIDATION_MESSAGE}: " + "; ".join(
                    f"{name}: {' '.join(message.rstrip('.') for message in messages)}"
                    for name, messages in fields.items()
                )
        return {"error": error}

    def handler(self) -> Callable[[Exception, dict], Response | None]:
        def handle(exc: Exception, context: dict) -> Response | None:
            response = exception_handler(exc, context)
            if response is None:
                return None
            code = self.code(exc, response.status_code)
            if isinstance(exc, exceptions.ValidationError | exceptions.ParseError):
                response.data = self.body(code, VALIDATION_MESSAGE, flattened(exc.detail))
            else:
                response.data = self.body(code, str(response.data.get("detail", "")))
            return response

        return handle

    def not_found(self) -> JsonResponse:
        """The answer to a path under the dialect's prefix that names no route."""
        return JsonResponse(
            self.body(CODES[status.HTTP_404_NOT_FOUND], NOT_FOUND_MESSAGE), status=404
        )
