"""Export tokens: create, revoke and check the secrets that open iCal exports.

A schedule or a user has at most one live token; creating one revokes the previous one. The
value is returned once, at creation; only a prefix and a digest are stored (`users.tokens`).
"""

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from schedules.models import ExportToken, Schedule
from users import tokens
from users.models import User


def owner_filter(*, schedule: Schedule | None = None, user: User | None = None) -> dict:
    if (schedule is None) == (user is None):
        raise ValueError("an export token belongs to exactly one schedule or one user")
    return {"schedule": schedule} if schedule is not None else {"user": user}


def live_export_token(*, schedule: Schedule | None = None, user: User | None = None):
    """The live token of the schedule or user, or None."""
    return ExportToken.objects.filter(
        **owner_filter(schedule=schedule, user=user), revoked_at__isnull=True
    ).first()


@transaction.atomic
def export_token_create(
    *, schedule: Schedule | None = None, user: User | None = None
) -> tuple[ExportToken, str]:
    """A new token replacing the live one; the plain value is returned here once."""
    owner = owner_filter(schedule=schedule, user=user)
    # Serialise concurrent creations for one owner (at most one live token is a constraint).
    holder = schedule or user
    assert holder is not None  # owner_filter refused neither
    if not type(holder).objects.select_for_update().filter(pk=holder.pk).exists():
        raise Http404  # deleted since the request looked it up
    export_token_revoke(schedule=schedule, user=user)
    secret = tokens.new_token_secret()
    token = ExportToken.objects.create(
        organization=holder.organization,
        prefix=secret.prefix,
        digest=secret.digest,
        **owner,
    )
    return token, secret.value


@transaction.atomic
def export_token_revoke(*, schedule: Schedule | None = None, user: User | None = None) -> int:
    """Revoke the live token; the number revoked (0 when there was none)."""
    return ExportToken.objects.filter(
        **owner_filter(schedule=schedule, user=user), revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


def export_token_lookup(raw: str) -> ExportToken | None:
    """The token row matching `raw` (live or not), compared in constant time; None if none.

    Revoked rows are found too, so that using one can be told apart from a wrong token.
    """
    rows = ExportToken.objects.select_related(
        "organization", "schedule", "user", "user__organization"
    )
    return tokens.find_by_secret(lambda prefix: rows.filter(prefix=prefix), raw)


def export_token_remember(
    *, token: ExportToken, exported_key: str, exported_digest: dict, withdrawn_events: list[dict]
) -> None:
    """Record which content the last export through `token` showed, a bounded digest of its
    events, and the events withdrawn from it so far (see `timeline.exports`): a small row,
    written only when the content changes."""
    token.exported_key = exported_key
    token.exported_digest = exported_digest
    token.withdrawn_events = withdrawn_events
    ExportToken.objects.filter(pk=token.pk).update(
        exported_key=exported_key,
        exported_digest=exported_digest,
        withdrawn_events=withdrawn_events,
    )
