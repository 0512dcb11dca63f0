"""The organization's `users_version`, which every cached on-call answer's key includes: each write
to the organization's users (who may be on call, names, e-mails, teams) bumps it in its own
transaction, so no cached answer shows users as they were (docs/performance.md)."""

from django.db.models import F
from django.utils import timezone

from users.models import Organization


def bump_users_version(organization: Organization) -> None:
    Organization.objects.filter(pk=organization.pk).update(
        users_version=F("users_version") + 1, users_changed_at=timezone.now()
    )
