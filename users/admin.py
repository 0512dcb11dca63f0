"""The admin of organizations, teams, users and API tokens.

Writes to users and teams through the admin bump the organization's `users_version`, as the
users API's services do: cached on-call answers show users' names, e-mails and teams, and are keyed
by that version (docs/performance.md)."""

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from users.models import ApiToken, Organization, Team, User
from users.passwords import MAX_LENGTH, MIN_LENGTH, password_hash
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


class UserAdminForm(forms.ModelForm):
    """The stored hash is never shown; a new password typed here replaces it."""

    new_password = forms.CharField(
        label="New password",
        required=False,
        strip=False,
        min_length=MIN_LENGTH,
        max_length=MAX_LENGTH,
        widget=forms.PasswordInput(render_value=False),
        help_text="Lets the user sign in to the pages. Leave empty to keep the current one.",
    )

    class Meta:
        model = User
        fields = [
            "organization",
            "grafana_id",
            "username",
            "email",
            "role",
            "timezone",
            "teams",
            "slack_user_id",
            "slack_team_id",
            "phone_number",
            "hide_phone_number",
            "is_active",
        ]

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        if self.cleaned_data.get("new_password"):
            user.password = password_hash(self.cleaned_data["new_password"])
        if commit:
            user.save()
            self.save_m2m()
        return user


@admin.register(User)
class UserAdmin(UsersVersionedAdmin):
    form = UserAdminForm
    list_display = ["username", "email", "role", "public_id", "organization", "is_active"]
    list_filter = ["organization", "role", "is_active"]
    search_fields = ["username", "email"]
    filter_horizontal = ["teams"]
    readonly_fields = ["can_sign_in"]

    @admin.display(boolean=True, description="Can sign in to the pages")
    def can_sign_in(self, user: User) -> bool:
        return bool(user.password)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens can be revoked here; their values are never stored, so never shown."""

    list_display = ["name", "public_id", "prefix", "user", "created_at", "revoked_at"]
    list_filter = ["organization"]
    readonly_fields = ["prefix", "digest", "created_at"]
