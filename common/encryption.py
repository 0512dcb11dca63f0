"""Secrets the service must read back (a Slack bot token, a webhook's signing secret) are kept
encrypted with Fernet (AES-128-CBC and HMAC-SHA256, from `cryptography`).

The key is derived from SECRET_KEY; values encrypted under a key listed in SECRET_KEY_FALLBACKS
still decrypt, so SECRET_KEY can be rotated.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

__all__ = ["InvalidToken", "decrypted", "encrypted"]

# Tells this use of SECRET_KEY apart from Django's own (sessions, signing).
PURPOSE = b"oncall-schedules stored secrets"


def fernet_for(secret_key: str) -> Fernet:
    digest = hashlib.sha256(PURPOSE + b"\0" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def keys() -> MultiFernet:
    secret_keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([fernet_for(key) for key in secret_keys])


def encrypted(value: str) -> str:
    return keys().encrypt(value.encode()).decode("ascii")


def decrypted(token: str) -> str:
    """The value; raises InvalidToken when no current or fallback key opens it."""
    return keys().decrypt(token.encode("ascii")).decode()
