"""OpenAPI of `/api/v1/users/`, `/api/v1/teams/` and `/api/v1/tokens/`. Documentation only."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers

from oncall.api.schema import ID_PARAMETER, error_responses, paginated
from schedules.api.schema import export_token_views, export_view
from users.api.serializers import (
    ApiTokenSerializer,
    TeamSerializer,
    UserInputSerializer,
    UserSerializer,
    UserShortSerializer,
)

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
    with_id = {"parameters": [id_parameter]}
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
    **export_token_views(),
    "schedule_export": export_view(
        "The user's final shifts across schedules as iCalendar; export token, no API key."
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
