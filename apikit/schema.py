"""OpenAPI building blocks shared by every app: the page parameters and envelope, the error bodies
and field helpers. Imported by each app's `api/schema.py`, which also registers the extensions of
its own authentication and fields before the schema is generated."""

from drf_spectacular.extensions import OpenApiFilterExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers

NULLABLE_STRING = {"type": "string", "nullable": True}


def api_key_scheme(location: str, name: str, description: str) -> dict:
    """An OpenAPI security scheme: a key sent in the header or query parameter `name`."""
    return {"type": "apiKey", "in": location, "name": name, "description": description}


PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="Page number (1-based; past the end: last page)."),
    OpenApiParameter("perpage", int, description="Page size (default 50, users 100; max 100)."),
]


class PageParameters(OpenApiFilterExtension):
    """`page`/`perpage` on every paginated list (the paginator itself documents nothing)."""

    target_class = "apikit.pagination.UpstreamPagination"
    match_subclasses = True

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        return [
            {
                "name": parameter.name,
                "in": "query",
                "required": False,
                "description": parameter.description,
                "schema": build_basic_type(parameter.type),
            }
            for parameter in PAGE_PARAMETERS
        ]


class PageEnvelope(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    current_page_number = serializers.IntegerField()
    page_size = serializers.IntegerField()
    total_pages = serializers.IntegerField()


def paginated(results: serializers.Field, name: str) -> type[serializers.Serializer]:
    """The page body around `results` (a `many=True` serializer), as one component.

    `many=False` stops drf-spectacular from wrapping it in an array on list actions.
    """
    envelope = type(name, (PageEnvelope,), {"results": results})
    return extend_schema_serializer(many=False)(envelope)


class DetailError(serializers.Serializer):
    detail = serializers.CharField()


FIELD_ERRORS = {
    "type": "object",
    "description": (
        'Either `{"detail": "<message>"}` or field errors: `{"<field>": ["<message>", …]}` '
        "(a few upstream rules answer a bare string instead of a list)."
    ),
    "additionalProperties": {},
}


def error_responses(*, body: bool = True, not_found: bool = True) -> dict:
    """The error answers of an API-token route: 400 when it reads a body or query, 403 (bad token
    or role), 404 (unknown id), 405 (method), 429 (throttle, with `RateLimit-Reset`)."""
    responses = {
        403: OpenApiResponse(DetailError, description="Invalid token or missing permission."),
        405: OpenApiResponse(DetailError, description="Method not allowed."),
        429: OpenApiResponse(DetailError, description="Throttled; see `RateLimit-Reset`."),
    }
    if body:
        responses[400] = OpenApiResponse(FIELD_ERRORS, description="Invalid input.")
    if not_found:
        responses[404] = OpenApiResponse(DetailError, description="Not found.")
    return responses


ID_PARAMETER = OpenApiParameter("id", OpenApiTypes.STR, OpenApiParameter.PATH)


def documented_field(schema: dict, base=serializers.Field, **kwargs) -> serializers.Field:
    """A field documented by a raw schema. A fresh subclass each time: the annotation is a class
    attribute (DRF copies fields from their arguments), and `base` itself must stay untouched."""
    return extend_schema_field(schema)(type("DocumentedField", (base,), {}))(**kwargs)


def const_field(value: str) -> serializers.Field:
    """A string field documented as exactly `value` (the discriminator of per-type bodies)."""
    return documented_field({"type": "string", "enum": [value]}, serializers.CharField)


def strict_responses(result, generator, request, public):
    """Postprocessing hook: response bodies have exactly the documented keys (upstream's key sets
    are part of the contract), so response components forbid other keys. Request components
    (`…Request`) stay open: unknown body keys are ignored, as upstream does."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") or "properties" not in schema:
            continue
        schema.setdefault("additionalProperties", False)
    return result
