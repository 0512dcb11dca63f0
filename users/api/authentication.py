"""Token authentication: the raw token in `Authorization`, no scheme word (upstream's format)."""

from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from users.models import ApiToken
from users.selectors import api_token_lookup

INVALID_TOKEN = "Invalid token."
INACTIVE_USER = "Only active users are allowed to perform this action."


class ApiTokenAuthentication(BaseAuthentication):
    """No `authenticate_header`, so DRF answers 403 rather than 401, as upstream does."""

    def authenticate(self, request):
        token = self.lookup(request.META.get("HTTP_AUTHORIZATION", "").strip())
        if token is None:
            raise AuthenticationFailed(INVALID_TOKEN)
        if not token.user.is_active:
            raise AuthenticationFailed(INACTIVE_USER)
        return token.user, token

    def lookup(self, raw: str) -> ApiToken | None:
        return api_token_lookup(raw)
