"""Signing in to the pages with a username and password, kept in a Django session
(docs/pages.md#signing-in).

The people are the organizations' users (`users.User`), not Django's auth users (those sign in
to the admin only), so the session names the user itself, with a digest of its password: a new
password, a deactivated user or a role of `none` ends every session of that user.
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from users import selectors
from users.models import Role, User
from users.passwords import password_matches, session_digest

USER_KEY = "pages_user"
DIGEST_KEY = "pages_user_digest"


def may_read(user: User) -> bool:
    """Viewers and stronger roles read (lower codes are stronger)."""
    return user.role <= Role.VIEWER


def may_edit(user: User) -> bool:
    return user.role <= Role.EDITOR


def authenticate(username: str, password: str) -> User | None:
    """The active user named `username` whose password this is, in whichever organization; None
    when none is, or when the password fits more than one of them (then it names nobody)."""
    candidates = selectors.users_who_may_sign_in(username=username)
    if not candidates:
        password_matches("", password)
        return None
    matching = [user for user in candidates if password_matches(user.password, password)]
    return matching[0] if len(matching) == 1 else None


def sign_in(request: HttpRequest, user: User) -> None:
    # A new session key: one fixed before signing in (session fixation) is worth nothing after.
    request.session.cycle_key()
    request.session[USER_KEY] = user.pk
    request.session[DIGEST_KEY] = session_digest(user.password)


def sign_out(request: HttpRequest) -> None:
    request.session.flush()


def session_user(request: HttpRequest) -> User | None:
    """The signed-in user, or None when nobody is (or the session no longer holds)."""
    pk = request.session.get(USER_KEY)
    if not isinstance(pk, int):
        return None
    user = selectors.signed_in_user(pk=pk)
    if user is None or not may_read(user) or not user.password:
        return None
    kept = request.session.get(DIGEST_KEY, "")
    if not constant_time_compare(kept, session_digest(user.password)):
        return None
    return user


def sign_in_url(next_path: str) -> str:
    return f"{reverse('pages:sign_in')}?{urlencode({'next': next_path})}"


View = Callable[..., HttpResponse]


def signed_in(view: View) -> View:
    """The page for a signed-in user (`request.page_user`); others are sent to sign in first."""

    @wraps(view)
    def page(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = session_user(request)
        if user is None:
            return redirect(sign_in_url(request.get_full_path()))
        request.page_user = user  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return page
