"""Reads of organizations, users, teams and tokens."""

from collections.abc import Collection

from django.db.models import QuerySet
from django.db.models.functions import Lower

from common.rows import JoinedRows
from users import tokens
from users.models import ON_CALL_ROLES, ApiToken, Organization, Team, User

# Every API request reads its token, so this is fixed SQL rather than a queryset (common.rows).
# Other hot reads join more tables to these three (aliases t, u, o) and keep this condition.
LIVE_TOKEN_MODELS = [(ApiToken, "t"), (User, "u"), (Organization, "o")]
LIVE_TOKEN_JOINS = (
    f"{ApiToken._meta.db_table} t JOIN {User._meta.db_table} u ON u.id = t.user_id"
    f" JOIN {Organization._meta.db_table} o ON o.id = u.organization_id"
)
LIVE_TOKEN_WHERE = "t.prefix = %s AND t.revoked_at IS NULL"
LIVE_TOKENS_WITH_PREFIX = JoinedRows(LIVE_TOKEN_MODELS, LIVE_TOKEN_JOINS, LIVE_TOKEN_WHERE)


def linked_token(token: ApiToken, user: User, organization: Organization) -> ApiToken:
    """`token` with the user and organization read with it set as its relations."""
    user.organization = token.organization = organization
    token.user = user
    return token


def live_tokens_with_prefix(prefix: str) -> list[ApiToken]:
    return [linked_token(*row) for row in LIVE_TOKENS_WITH_PREFIX.fetch([prefix])]


def api_token_lookup(raw: str) -> ApiToken | None:
    """The live token matching `raw` with its user and organization, compared in constant time;
    None when there is none."""
    return tokens.find_by_secret(live_tokens_with_prefix, raw)


def user_list(*, organization: Organization) -> QuerySet[User]:
    """Active users of the organization, in creation order, with their teams prefetched."""
    return (
        User.objects.filter(organization=organization, is_active=True)
        .prefetch_related("teams")
        .order_by("id")
    )


def team_list(*, organization: Organization) -> QuerySet[Team]:
    return Team.objects.filter(organization=organization).order_by("id")


def api_token_list(*, organization: Organization) -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.filter(organization=organization, revoked_at__isnull=True)
        .select_related("user")
        .order_by("id")
    )


def active_users_by_email(
    *, organization: Organization, emails: Collection[str]
) -> dict[str, list[User]]:
    """The organization's active users whose e-mail is one of `emails` (compared ignoring case),
    by lower-cased e-mail, in creation order."""
    found: dict[str, list[User]] = {}
    lowered = {email.lower() for email in emails}
    users = (
        User.objects.filter(organization=organization, is_active=True)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=lowered)
        .order_by("id")
    )
    for user in users:
        found.setdefault(user.email.lower(), []).append(user)
    return found


def active_users_by_public_id(
    *, organization: Organization, public_ids: Collection[str]
) -> dict[str, User]:
    users = User.objects.filter(organization=organization, is_active=True, public_id__in=public_ids)
    return {user.public_id: user for user in users}


# Sign-in looks at no more users of one username than this (one per organization that has it).
SIGN_IN_CANDIDATES = 20


def users_who_may_sign_in(*, username: str) -> list[User]:
    """The active users named `username` that have a password, in every organization, with
    their organization (docs/pages.md#signing-in)."""
    return list(
        User.objects.filter(username=username, is_active=True)
        .exclude(password="")
        .select_related("organization")
        .order_by("id")[:SIGN_IN_CANDIDATES]
    )


def signed_in_user(*, pk: int) -> User | None:
    """The active user a page session names, with its organization; None when gone."""
    return User.objects.filter(pk=pk, is_active=True).select_related("organization").first()


def users_who_may_be_on_call(*, organization: Organization) -> QuerySet[User]:
    """The organization's active admins and editors, by username."""
    return User.objects.filter(
        organization=organization, is_active=True, role__in=ON_CALL_ROLES
    ).order_by("username", "id")
