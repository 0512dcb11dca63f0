"""The dialects' token authentication: the project's API tokens sent as `Authorization: Bearer
<token>` (the bare token is accepted too), or, where the dialect allows it, as `X-API-Key: <token>`.

Unlike upstream's API, these answer 401 (DRF then says `WWW-Authenticate: Bearer`): no
credentials at all is "missing", anything else that is not a live token of an active user is
"invalid" (docs/dialects.md#tokens).
"""

from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from schedules.api.authentication import TokenAndScheduleAuthentication
from schedules.models import Dialect, ScheduleType
from users.selectors import api_token_lookup

BEARER = "bearer"
INVALID = "Invalid API key"


def bearer_credentials(header: str) -> str:
    """The token of an `Authorization` value: after `Bearer ` (any case), else the whole value."""
    scheme, _, rest = header.strip().partition(" ")
    return rest.strip() if scheme.lower() == BEARER else header.strip()


def credentials(request, key_header: str | None) -> str:
    """The token a request sends: in `Authorization`, else in `key_header` ("" for none)."""
    raw = bearer_credentials(request.META.get("HTTP_AUTHORIZATION", ""))
    if not raw and key_header:
        raw = request.META.get(key_header, "").strip()
    return raw


class BearerTokenAuthentication(BaseAuthentication):
    # Signal also reads `X-API-Key` (Django's name for the header).
    key_header: str | None = None

    def authenticate(self, request):
        raw = credentials(request, self.key_header)
        if not raw:
            return None
        token = api_token_lookup(raw)
        if token is None or not token.user.is_active:
            raise AuthenticationFailed(INVALID)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class ApiKeyAuthentication(BearerTokenAuthentication):
    key_header = "HTTP_X_API_KEY"


class DialectScheduleAuthentication(TokenAndScheduleAuthentication):
    """For the plain views of the dialects' hottest reads: the dialect's token forms, read with
    the schedule of the path in one query (upstream's on-call routes do the same); the schedule
    is kept only when it is one of the dialect's."""

    def __init__(self, schedule_public_id: str, dialect: Dialect, key_header: str | None) -> None:
        super().__init__(schedule_public_id)
        self.dialect = dialect
        self.key_header = key_header

    def authenticate(self, request):
        token = self.lookup(credentials(request, self.key_header))
        if token is None or not token.user.is_active:
            raise AuthenticationFailed(INVALID)
        schedule = self.schedule
        if schedule is not None and (
            schedule.type != ScheduleType.ROTATIONS or schedule.dialect != self.dialect
        ):
            self.schedule = None
        return token.user, token
