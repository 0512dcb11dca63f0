"""OpenAPI of `/api/v1/users/`, `/api/v1/teams/` and `/api/v1/tokens/`. Documentation only."""

from typing import Any

from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import serializers

from apikit.schema import (
    ID_PARAMETER,
    NULLABLE_STRING,
    DetailError,
    api_key_scheme,
    error_responses,
    paginated,
)
from users.api.serializers import (
    ApiTokenSerializer,
    TeamSerializer,
    UserInputSerializer,
    UserSerializer,
    UserShortSerializer,
)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "users.api.authentication.ApiTokenAuthentication"
    name = "ApiToken"

    def get_security_definition(self, auto_schema):
        description = "The raw API token, without `Bearer` or any other scheme word."
        return api_key_scheme("header", "Authorization", description)


class TeamIdFieldSchema(OpenApiSerializerFieldExtension):
    target_class = "users.api.fields.TeamIdField"

    def map_serializer_field(self, auto_schema, direction):
        return {**NULLABLE_STRING, "description": 'Team id; `""`, `"null"` and null mean no team.'}


USER_ID = OpenApiParameter(
    "id", OpenApiTypes.STR, OpenApiParameter.PATH, description="A user id, or `current`."
)
SHORT = OpenApiParameter(
    "short", OpenApiTypes.STR, description="`true`: the slim representation of each user."
)
# `short=true` lists the slim users; the full and slim bodies differ by their key sets.
USER_LIST_ITEMS = PolymorphicProxySerializer(
    component_name="UserListItem",
    serializers=[UserSerializer, UserShortSerializer],
    resource_type_field_name=None,
    many=True,
)
USER_UPDATE = UserInputSerializer(partial=True)


class ApiTokenBody(ApiTokenSerializer):
    user_id = serializers.CharField()


class CreatedApiToken(ApiTokenBody):
    token = serializers.CharField(help_text="The token value, shown only in this answer.")


def crud_views(body, update_body, id_parameter=ID_PARAMETER) -> dict:
    """retrieve, create, update, partial_update and destroy of a plain resource."""
    with_id: dict[str, Any] = {"parameters": [id_parameter]}
    return {
        "retrieve": extend_schema(responses={200: body, **error_responses(body=False)}, **with_id),
        "create": extend_schema(
            request=body, responses={201: body, **error_responses(not_found=False)}
        ),
        "update": extend_schema(
            request=update_body, responses={200: body, **error_responses()}, **with_id
        ),
        "partial_update": extend_schema(
            request=update_body, responses={200: body, **error_responses()}, **with_id
        ),
        "destroy": extend_schema(responses={204: None, **error_responses(body=False)}, **with_id),
    }


USER_VIEWS = {
    **crud_views(UserSerializer, USER_UPDATE, USER_ID),
    "list": extend_schema(
        parameters=[SHORT],
        responses={200: paginated(USER_LIST_ITEMS, "PaginatedUserList"), **error_responses()},
    ),
    "create": extend_schema(
        request=UserInputSerializer,
        responses={201: UserSerializer, **error_responses(not_found=False)},
    ),
    "destroy": extend_schema(
        responses={
            204: None,
            400: OpenApiResponse(DetailError, description="The organization's last active admin."),
            **error_responses(body=False),
        },
        parameters=[USER_ID],
    ),
}

TEAM_VIEWS = {
    **crud_views(TeamSerializer, TeamSerializer(partial=True)),
    "list": extend_schema(
        responses={
            200: paginated(TeamSerializer(many=True), "PaginatedTeamList"),
            **error_responses(),
        },
    ),
}

TOKEN_VIEWS = {
    "list": extend_schema(
        responses={
            200: paginated(ApiTokenBody(many=True), "PaginatedApiTokenList"),
            **error_responses(),
        },
    ),
    "create": extend_schema(
        request=ApiTokenSerializer,
        responses={201: CreatedApiToken, **error_responses(not_found=False)},
    ),
    "destroy": extend_schema(
        parameters=[ID_PARAMETER], responses={204: None, **error_responses(body=False)}
    ),
}
