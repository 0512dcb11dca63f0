"""`/api/v1/users/`, `/api/v1/teams/` and `/api/v1/tokens/`."""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from oncall.api.pagination import UserPagination
from oncall.api.viewsets import OrganizationScopedMixin, OrganizationViewSet
from schedules.api.export_routes import UserExportAuthentication, export_route, export_token_route
from schedules.export import export_through
from users import selectors, services
from users.api.schema import TEAM_VIEWS, TOKEN_VIEWS, USER_VIEWS
from users.api.serializers import (
    ApiTokenSerializer,
    TeamSerializer,
    UserInputSerializer,
    UserSerializer,
    UserShortSerializer,
)
from users.models import ApiToken, Role, Team, User

CURRENT_USER_ID = "current"


class UserFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(lookup_expr="iexact")
    email = django_filters.CharFilter(lookup_expr="iexact")
    roles = django_filters.MultipleChoiceFilter(field_name="role", choices=Role.choices)

    class Meta:
        model = User
        fields = ["username", "email", "roles"]


@extend_schema_view(**USER_VIEWS)
class UserViewSet(OrganizationViewSet):
    # For the schema generator only (it has no organization); get_queryset() scopes.
    queryset = User.objects.none()
    serializer_class = UserSerializer
    input_serializer_class = UserInputSerializer
    filterset_class = UserFilter
    pagination_class = UserPagination
    write_role = Role.ADMIN

    def get_queryset(self):
        return selectors.user_list(organization=self.organization)

    def get_serializer_class(self):
        if self.action == "list" and self.request.query_params.get("short") == "true":
            return UserShortSerializer
        return UserSerializer

    def get_object(self):
        if self.kwargs.get(self.lookup_url_kwarg) == CURRENT_USER_ID:
            return self.request.user
        return super().get_object()

    def create_object(self, data: dict) -> User:
        return services.user_create(organization=self.organization, **data)

    def update_object(self, instance: User, data: dict) -> User:
        return services.user_update(user=instance, **data)

    def delete_object(self, instance: User) -> None:
        services.user_delete(user=instance)

    # Export tokens are schedule settings: editors manage them, not only admins.
    @action(detail=True, methods=["get", "post", "delete"], write_role=Role.EDITOR)
    def export_token(self, request, pk=None):
        user = self.get_object()
        export_path = f"/api/v1/users/{user.public_id}/schedule_export/"
        return export_token_route(request, export_path=export_path, user=user)

    @action(detail=True, methods=["get"], **export_route(UserExportAuthentication))
    def schedule_export(self, request, pk=None):
        # The export token (checked by the authentication) names the user.
        return Response(export_through(request.auth, timezone.now()))


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
