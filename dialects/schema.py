"""OpenAPI pieces the dialects share: their token schemes, their error body and error answers.
Documentation only."""

from dataclasses import dataclass
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers

BEARER = {
    "type": "http",
    "scheme": "bearer",
    "description": "An API token of the service (the same tokens as upstream's API).",
}


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "dialects.authentication.BearerTokenAuthentication"
    name = "Bearer"

    def get_security_definition(self, auto_schema):
        return BEARER


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """Signal: `Authorization: Bearer <token>` or `X-API-Key: <token>`."""

    target_class = "dialects.authentication.ApiKeyAuthentication"
    name = ["SignalBearer", "SignalApiKey"]

    def get_security_definition(self, auto_schema):
        api_key = {"type": "apiKey", "in": "header", "name": "X-API-Key"}
        return [BEARER, {**api_key, "description": "An API token of the service."}]


class ErrorDetail(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class SignalErrorDetail(ErrorDetail):
    details = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages by field path (`members`, `weekly_schedule.monday.user`).",
    )


def error_envelope(detail: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    return type(name, (serializers.Serializer,), {"error": detail()})


INSTATUS_ERROR = error_envelope(ErrorDetail, "InstatusError")
SIGNAL_ERROR = error_envelope(SignalErrorDetail, "SignalError")

ERROR_MEANINGS = {
    400: "Invalid input; the fields in error are named.",
    401: "Missing or invalid token.",
    403: "The token's role may not do this.",
    404: "Not found (or another organization's).",
    405: "Method not allowed.",
    429: "Throttled; see `Retry-After`.",
}


def error_responses(error: type[serializers.Serializer], *statuses: int) -> dict:
    """The dialect's error answers: 401, 403, 405 and 429 always, and the `statuses` given."""
    kept = sorted({401, 403, 405, 429, *statuses})
    return {code: OpenApiResponse(error, description=ERROR_MEANINGS[code]) for code in kept}


@dataclass(frozen=True)
class Operation:
    """One route of a dialect: its answer, and what it takes. Detail routes take the schedule's
    id (and may answer 404); routes with a body or a query may answer 400."""

    status: int
    response: Any
    request: Any = None
    detail: bool = True
    parameters: tuple[OpenApiParameter, ...] = ()
    description: str | None = None


def schedule_views(
    tag: str,
    error: type[serializers.Serializer],
    operations: dict[str, Operation],
    id_description: str | None = None,
) -> dict:
    """`extend_schema_view` arguments for a dialect's schedule routes, under its own tag."""
    schedule_id = OpenApiParameter(
        "id",
        OpenApiTypes.STR,
        OpenApiParameter.PATH,
        description=id_description,  # type: ignore[arg-type]
    )
    views = {}
    for action, operation in operations.items():
        errors = [404] * operation.detail + [400] * bool(operation.request or operation.parameters)
        views[action] = extend_schema(
            operation_id=f"{tag.lower()}_schedules_{action}",
            tags=[tag],
            description=operation.description,
            request=operation.request,
            parameters=[*[schedule_id] * operation.detail, *operation.parameters],
            responses={operation.status: operation.response, **error_responses(error, *errors)},
        )
    return views
