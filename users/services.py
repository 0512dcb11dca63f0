"""Writes of organizations, users, teams and tokens; each runs in one transaction."""

from collections.abc import Iterable
from typing import TypedDict, Unpack

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from common.writes import assign, field_names
from users import tokens
from users.models import ApiToken, Organization, Role, Team, User
from users.passwords import password_hash
from users.versions import bump_users_version


def organization_lock(*, organization: Organization) -> None:
    """Lock the organization row until the current transaction ends: the organization's
    writers then run one at a time (see `OrganizationViewSet`), which no per-row lock order
    could guarantee for writes spanning schedules, shifts and version counters.

    SQLite has no row locks (this is a no-op there), but each transaction takes the database's
    write lock when it begins (the settings' IMMEDIATE mode), which serializes every writer."""
    list(Organization.objects.select_for_update().filter(pk=organization.pk).values("pk"))


def next_grafana_id(organization: Organization, queryset: QuerySet[User] | QuerySet[Team]) -> int:
    """Upstream mirrors Grafana's numeric ids; we hand out the next free number per organization.

    Must run inside the creating transaction: the organization row stays locked until it ends,
    so two users (or teams) created at once never get the same number."""
    organization_lock(organization=organization)
    return (queryset.aggregate(top=Max("grafana_id"))["top"] or 0) + 1


LAST_ADMIN = (
    "This user is the organization's last active admin: make another user admin before "
    "demoting, deactivating or deleting them."
)


class LastAdminError(Exception):
    """A write would leave an organization that has an active admin with none."""

    def __init__(self) -> None:
        super().__init__(LAST_ADMIN)


def an_admin_remains(user: User, *, removed: bool = False) -> bool:
    """Whether the organization still has an active admin once `user` is saved as it now is
    (or deleted, when `removed`). An organization that has none as stored is left as it is:
    only the last admin's own change is refused."""
    admins = User.objects.filter(
        organization_id=user.organization_id, role=Role.ADMIN, is_active=True
    )
    if not removed and user.role == Role.ADMIN and user.is_active:
        return True
    return not admins.filter(pk=user.pk).exists() or admins.exclude(pk=user.pk).exists()


def check_an_admin_remains(user: User, *, removed: bool = False) -> None:
    """`an_admin_remains`, under the organization's lock (inside the caller's transaction), so
    that two admins demoting each other at once cannot both succeed."""
    organization_lock(organization=user.organization)
    if not an_admin_remains(user, removed=removed):
        raise LastAdminError


@transaction.atomic
def organization_get_or_create(*, name: str) -> Organization:
    organization, _ = Organization.objects.get_or_create(name=name)
    return organization


class UserDetails(TypedDict, total=False):
    """What a user has besides its username, e-mail and role (model fields)."""

    timezone: str | None
    slack_user_id: str | None
    slack_team_id: str | None
    phone_number: str | None
    hide_phone_number: bool
    is_active: bool


class UserFields(UserDetails, total=False):
    """What a user write may change."""

    username: str
    email: str
    role: int


USER_FIELDS = field_names(UserFields)


@transaction.atomic
def user_create(
    *,
    organization: Organization,
    username: str,
    email: str,
    role: int = Role.EDITOR,
    teams: Iterable[Team] = (),
    password: str | None = None,
    **details: Unpack[UserDetails],
) -> User:
    """`password`, when given, lets the user sign in to the pages; it is kept only hashed."""
    user = User(
        organization=organization,
        grafana_id=next_grafana_id(organization, User.objects.filter(organization=organization)),
        username=username,
        email=email,
        role=role,
        password=password_hash(password) if password is not None else "",
    )
    assign(user, details, USER_FIELDS)
    user.save(force_insert=True)
    user.teams.set(teams)
    bump_users_version(organization)
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    teams: Iterable[Team] | None = None,
    password: str | None = None,
    **fields: Unpack[UserFields],
) -> User:
    """Change the fields given; a new `password` ends the user's sessions on the pages."""
    assign(user, fields, USER_FIELDS)
    check_an_admin_remains(user)
    if password is not None:
        user.password = password_hash(password)
    user.save()
    if teams is not None:
        user.teams.set(teams)
    bump_users_version(user.organization)
    return user


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Soft delete, as upstream: the user disappears from the API, is never on call again and
    loses its tokens, while shifts that name it keep their rotation turns."""
    check_an_admin_remains(user, removed=True)
    user.is_active = False
    user.save(update_fields=["is_active"])
    now = timezone.now()
    user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
    user.export_tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
    bump_users_version(user.organization)


class TeamDetails(TypedDict, total=False):
    """What a team has besides its name (model fields)."""

    email: str | None
    avatar_url: str


class TeamFields(TeamDetails, total=False):
    """What a team write may change."""

    name: str


TEAM_FIELDS = field_names(TeamFields)


@transaction.atomic
def team_create(*, organization: Organization, name: str, **details: Unpack[TeamDetails]) -> Team:
    team = Team(
        organization=organization,
        grafana_id=next_grafana_id(organization, Team.objects.filter(organization=organization)),
        name=name,
    )
    assign(team, details, TEAM_FIELDS)
    team.save(force_insert=True)
    return team


@transaction.atomic
def team_update(*, team: Team, **fields: Unpack[TeamFields]) -> Team:
    assign(team, fields, TEAM_FIELDS)
    team.save()
    return team


@transaction.atomic
def team_delete(*, team: Team) -> None:
    team.delete()
    # Members' `teams` lists change, and on-call answers render them.
    bump_users_version(team.organization)


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; the plain value is returned here once and never stored."""
    secret = tokens.new_token_secret()
    token = ApiToken.objects.create(
        organization=user.organization,
        user=user,
        name=name,
        prefix=secret.prefix,
        digest=secret.digest,
    )
    return token, secret.value


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
