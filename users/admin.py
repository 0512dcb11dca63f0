"""The admin of organizations, teams, users and API tokens.

Writes to users and teams through the admin bump the organization's `users_version`, as the
users API's services do: cached on-call answers show users' names, e-mails and teams, and are keyed
by that version (docs/performance.md). The last active admin of an organization can be neither
demoted, deactivated nor deleted here, as through the API (docs/api.md#users-and-teams)."""

import copy
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect

from users import services
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
    """The stored hash is never shown; a new password typed here replaces it. Refuses to demote
    or deactivate the organization's last active admin."""

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

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        if self.instance.pk is not None:
            candidate = copy.copy(self.instance)  # the user as this form would save them
            candidate.role = cleaned.get("role", candidate.role)
            candidate.is_active = cleaned.get("is_active", candidate.is_active)
            if not services.an_admin_remains(candidate):
                raise forms.ValidationError(services.LAST_ADMIN)
        return cleaned

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
    """The form refuses to leave the organization without an active admin; the check is made
    again under the organization's lock when the change is saved or the users deleted."""

    form = UserAdminForm
    list_display = ["username", "email", "role", "public_id", "organization", "is_active"]
    list_filter = ["organization", "role", "is_active"]
    search_fields = ["username", "email"]
    filter_horizontal = ["teams"]
    readonly_fields = ["can_sign_in"]

    @admin.display(boolean=True, description="Can sign in to the pages")
    def can_sign_in(self, user: User) -> bool:
        return bool(user.password)

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            if change:
                services.check_an_admin_remains(obj)
            super().save_model(request, obj, form, change)

    def delete_queryset(self, request, queryset):
        """One user at a time, each checked with the ones before it gone; all or none."""
        try:
            with transaction.atomic():
                for user in list(queryset):
                    services.check_an_admin_remains(user, removed=True)
                    super().delete_queryset(request, queryset.filter(pk=user.pk))
        except services.LastAdminError as error:
            self.message_user(request, str(error), level=messages.ERROR)

    def delete_view(self, request, object_id, extra_context=None):
        user = self.get_object(request, object_id)
        if user is not None and not services.an_admin_remains(user, removed=True):
            self.message_user(request, services.LAST_ADMIN, level=messages.ERROR)
            return HttpResponseRedirect(request.path.removesuffix("delete/"))
        return super().delete_view(request, object_id, extra_context)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens can be revoked here; their values are never stored, so never shown."""

    list_display = ["name", "public_id", "prefix", "user", "created_at", "revoked_at"]
    list_filter = ["organization"]
    readonly_fields = ["prefix", "digest", "created_at"]
