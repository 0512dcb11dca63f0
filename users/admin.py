from django.contrib import admin

from users.models import ApiToken, Organization, Team, User


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "public_id", "slack_team_id", "created_at"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "public_id", "organization"]
    list_filter = ["organization"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
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
