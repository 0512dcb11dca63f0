"""Passwords for signing in to the pages (docs/pages.md#signing-in): Django's password hashers,
a minimum length, and the digest a session keeps so that a new password ends older sessions."""

from django.contrib.auth.hashers import check_password, make_password
from django.utils.crypto import salted_hmac

MIN_LENGTH = 8
MAX_LENGTH = 128

# Compared against when nobody matches, so that an unknown username costs as long as a wrong
# password and the time of an answer does not tell which usernames exist.
UNKNOWN_USER_HASH = make_password(None)


class PasswordTooShort(ValueError):
    pass


def password_hash(raw: str) -> str:
    if len(raw) < MIN_LENGTH:
        raise PasswordTooShort(f"Ensure this field has at least {MIN_LENGTH} characters.")
    return make_password(raw)


def password_matches(stored_hash: str, raw: str) -> bool:
    """An empty stored hash never matches: that user cannot sign in to the pages."""
    if not stored_hash:
        check_password(raw, UNKNOWN_USER_HASH)
        return False
    return check_password(raw, stored_hash)


def session_digest(stored_hash: str) -> str:
    """What a session keeps of its user's password: another password gives another digest."""
    return salted_hmac("users.passwords.session", stored_hash, algorithm="sha256").hexdigest()
