"""The admin of organizations, teams, users and API tokens.

Writes to users and teams through the admin bump the organization's `users_version`, as the
users API's services do: cached on-call answers show users' names, e-mails and teams, and are keyed
by that version (docs/performance.md)."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from users.models import ApiToken, Organization, Team, User
from users.versions import bump_users_version


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "public_id", "slack_team_id", "created_at"]
    search_fields = ["name"]


class UsersVersionedAdmin(admin.ModelAdmin):
    """An admin whose writes bump the `users_version` of their objects' organizations."""

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        bump_users_version(form.instance.organization)

    def delete_model(self, request: HttpRequest, obj) -> None:
        self.delete_queryset(request, self.get_queryset(request).filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        organizations = list(Organization.objects.filter(pk__in=queryset.values("organization")))
        super().delete_queryset(request, queryset)
        for organization in organizations:
            bump_users_version(organization)


@admin.register(Team)
class TeamAdmin(UsersVersionedAdmin):
    list_display = ["name", "public_id", "organization"]
    list_filter = ["organization"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(UsersVersionedAdmin):
    list_display = ["username", "email", "role", "public_id", "organization", "is_active"]
    list_filter = ["organization", "role", "is_active"]
    search_fields = ["username", "email"]
    filter_horizontal = ["teams"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens can be revoked here; their values are never stored, so never shown."""

    list_display = ["name", "public_id", "prefix", "user", "created_at", "revoked_at"]
    list_filter = ["organization"]
    readonly_fields = ["prefix", "digest", "created_at"]
