"""Shared by the schedule and user export routes: the export token routes, and what the iCal
routes use instead of API tokens (the export token, in `?token=` or `X-Export-Token`, a
throttle keyed on it, and a renderer that always answers `text/calendar`: calendar clients
send all sorts of `Accept`)."""

import json

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from rest_framework import status
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed, NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response

from apikit.encoding import encoded_response
from apikit.throttling import UserRateThrottle
from schedules.api.export_serializers import CreatedExportTokenSerializer, ExportTokenSerializer
from schedules.export_tokens import (
    export_token_create,
    export_token_lookup,
    export_token_revoke,
    live_export_token,
)
from timeline import export_through

TOKEN_PARAMETER = "token"
# Clients that can send headers keep the token out of URLs, and so out of every access log.
TOKEN_HEADER = "HTTP_X_EXPORT_TOKEN"
DEACTIVATED = "Export token is deactivated"


class ExportTokenAuthentication(BaseAuthentication):
    """The query token must belong to the schedule or user named in the URL and be live.

    No `authenticate_header`, so failures are 403 (upstream). The request has no user; the
    token is `request.auth`.
    """

    owner_field = ""  # "schedule" or "user"
    invalid_message = ""

    def authenticate(self, request):
        public_id = request.parser_context["kwargs"].get("pk")
        raw = request.META.get(TOKEN_HEADER) or request.query_params.get(TOKEN_PARAMETER, "")
        token = export_token_lookup(raw)
        owner = getattr(token, self.owner_field, None) if token is not None else None
        # Ownership first, so that a token tells nothing about other schedules' tokens.
        if owner is None or owner.public_id != public_id:
            raise AuthenticationFailed(self.invalid_message)
        if not token.is_live:
            raise AuthenticationFailed(DEACTIVATED)
        return None, token


class ScheduleExportAuthentication(ExportTokenAuthentication):
    owner_field = "schedule"
    invalid_message = "Invalid schedule export token for schedule"


class UserExportAuthentication(ExportTokenAuthentication):
    owner_field = "user"
    invalid_message = "Invalid schedule export token for user"


class ExportTokenThrottle(UserRateThrottle):
    """Same scope and rate as the rest of the API, counted per export token."""

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"export-{request.auth.pk}"}


class CalendarRenderer(BaseRenderer):
    """Calendars as they are; error bodies as JSON text under the same content type (upstream)."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data).encode()


class CalendarOnlyNegotiation(BaseContentNegotiation):
    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def export_route(authentication: type[ExportTokenAuthentication]) -> dict:
    """`@action` settings of an export route: export token instead of API token, calendar out."""
    return {
        "authentication_classes": [authentication],
        "permission_classes": [],
        "throttle_classes": [ExportTokenThrottle],
        "renderer_classes": [CalendarRenderer],
        "content_negotiation_class": CalendarOnlyNegotiation,
    }


# The iCal route an export token opens, by the kind of its owner.
EXPORT_PATHS = {
    "schedule": "/api/v1/schedules/{}/export/",
    "user": "/api/v1/users/{}/schedule_export/",
}


def subscription_url(kind: str, public_id: str, token: str) -> str:
    """The absolute URL a calendar app subscribes to: the export of a `schedule` or a `user`
    opened by an export token's plain value."""
    return f"{settings.BASE_URL}{EXPORT_PATHS[kind].format(public_id)}?token={token}"


def export_token_route(request, **owner) -> Response:
    """`GET` (when the live token was made), `POST` (a new token replacing it), `DELETE`
    (revoke) on `…/export_token`; `owner` is `schedule=` or `user=`."""
    if request.method == "POST":
        token, value = export_token_create(**owner)
        ((kind, holder),) = owner.items()
        context = {"token": value, "export_url": subscription_url(kind, holder.public_id, value)}
        body = CreatedExportTokenSerializer(token, context=context).data
        return Response(body, status=status.HTTP_201_CREATED)
    if request.method == "DELETE":
        if not export_token_revoke(**owner):
            raise NotFound()
        return Response(status=status.HTTP_204_NO_CONTENT)
    token = live_export_token(**owner)
    if token is None:
        raise NotFound()
    return Response(ExportTokenSerializer(token).data)


def calendar_route(request) -> HttpResponse:
    """The calendar that the request's export token opens: the authentication has checked that
    the token belongs to the schedule or user the route names. Sent gzipped to the clients that
    accept it when it is large (calendar apps do)."""
    body = export_through(request.auth, timezone.now())
    return encoded_response(request, body, f"{CalendarRenderer.media_type}; charset=utf-8")
