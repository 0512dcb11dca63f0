"""Reads of organizations, users, teams and tokens."""

from django.db.models import QuerySet

from users import tokens
from users.models import ApiToken, Organization, Team, User


def api_token_lookup(raw: str) -> ApiToken | None:
    """The live token matching `raw`, compared in constant time; None when there is none."""
    live = ApiToken.objects.select_related("user", "user__organization").filter(
        revoked_at__isnull=True
    )
    return tokens.find_by_secret(live, raw)


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
