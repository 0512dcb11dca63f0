"""`/api/v1/users/`, `/api/v1/teams/` and `/api/v1/tokens/`."""

from typing import Any

import django_filters
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from apikit.exceptions import BadRequest
from apikit.pagination import UserPagination
from users import selectors, services
from users.api.schema import TEAM_VIEWS, TOKEN_VIEWS, USER_VIEWS
from users.api.serializers import (
    ApiTokenSerializer,
    TeamSerializer,
    UserInputSerializer,
    UserSerializer,
    UserShortSerializer,
)
from users.api.viewsets import OrganizationScopedMixin, OrganizationViewSet
from users.models import ApiToken, Role, Team, User

CURRENT_USER_ID = "current"


class UserFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(lookup_expr="iexact")
    email = django_filters.CharFilter(lookup_expr="iexact")
    roles = django_filters.MultipleChoiceFilter(field_name="role", choices=Role.choices)

    class Meta:
        model = User
        fields = ["username", "email", "roles"]


class UserLookupMixin(OrganizationScopedMixin):
    # The users of the caller's organization, the id `current` naming the caller. (A comment:
    # the schema describes the user routes by the first docstring of their view's classes.)

    # For the schema generator only (it has no organization); get_queryset() scopes.
    queryset: Any = User.objects.none()

    def get_queryset(self):
        return selectors.user_list(organization=self.organization)

    def get_object(self, queryset=None):
        if self.kwargs.get(self.lookup_url_kwarg) == CURRENT_USER_ID:
            return self.request.user
        return super().get_object(queryset)


@extend_schema_view(**USER_VIEWS)
class UserViewSet(UserLookupMixin, OrganizationViewSet):
    serializer_class = UserSerializer
    input_serializer_class = UserInputSerializer
    filterset_class = UserFilter
    pagination_class = UserPagination
    write_role = Role.ADMIN

    def get_serializer_class(self):
        if self.action == "list" and self.request.query_params.get("short") == "true":
            return UserShortSerializer
        return UserSerializer

    def create_object(self, data: dict) -> User:
        return services.user_create(organization=self.organization, **data)

    def update_object(self, instance: User, data: dict) -> User:
        try:
            return services.user_update(user=instance, **data)
        except services.LastAdminError as error:
            raise BadRequest(str(error)) from None

    def delete_object(self, instance: User) -> None:
        try:
            services.user_delete(user=instance)
        except services.LastAdminError as error:
            raise BadRequest(str(error)) from None


class TeamFilter(django_filters.FilterSet):
    class Meta:
        model = Team
        fields = ["name"]


@extend_schema_view(**TEAM_VIEWS)
class TeamViewSet(OrganizationViewSet):
    # For the schema generator only (it has no organization); get_queryset() scopes.
    queryset = Team.objects.none()
    serializer_class = TeamSerializer
    input_serializer_class = TeamSerializer
    filterset_class = TeamFilter
    write_role = Role.ADMIN

    def get_queryset(self):
        return selectors.team_list(organization=self.organization)

    def create_object(self, data: dict) -> Team:
        return services.team_create(organization=self.organization, **data)

    def update_object(self, instance: Team, data: dict) -> Team:
        return services.team_update(team=instance, **data)

    def delete_object(self, instance: Team) -> None:
        services.team_delete(team=instance)


@extend_schema_view(**TOKEN_VIEWS)
class ApiTokenViewSet(
    OrganizationScopedMixin,
    mixins.ListModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """API tokens (admins only): the value is shown once, in the creation answer."""

    serializer_class = ApiTokenSerializer
    # For the schema generator only (it has no organization); get_queryset() scopes.
    queryset = ApiToken.objects.none()
    read_role = Role.ADMIN
    write_role = Role.ADMIN

    def get_queryset(self):
        return selectors.api_token_list(organization=self.organization)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, value = services.api_token_create(
            user=serializer.validated_data["user_id"], name=serializer.validated_data["name"]
        )
        body = {**self.get_serializer(token).data, "token": value}
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance) -> None:
        services.api_token_revoke(token=instance)
