"""Secret tokens: 32 random bytes as hex, kept as an 8-character lookup prefix plus a digest."""

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

TOKEN_BYTES = 32
PREFIX_LENGTH = 8


class HasDigest(Protocol):
    @property
    def digest(self) -> str: ...


T = TypeVar("T", bound=HasDigest)


@dataclass(frozen=True, slots=True)
class TokenSecret:
    value: str
    prefix: str
    digest: str


def token_digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_token_secret() -> TokenSecret:
    value = secrets.token_hex(TOKEN_BYTES)
    return TokenSecret(value=value, prefix=value[:PREFIX_LENGTH], digest=token_digest(value))


def is_well_formed(value: str) -> bool:
    if len(value) != TOKEN_BYTES * 2:
        return False
    try:
        bytes.fromhex(value)
    except ValueError:
        return False
    return True


def digest_matches(value: str, digest: str) -> bool:
    return hmac.compare_digest(token_digest(value), digest)


def find_by_secret(candidates_with_prefix: Callable[[str], Iterable[T]], raw: str) -> T | None:
    """The candidate whose digest matches `raw`, or None.

    `candidates_with_prefix(prefix)` narrows the rows by the stored prefix; the digests are then
    compared in constant time.
    """
    if not is_well_formed(raw):
        return None
    for candidate in candidates_with_prefix(raw[:PREFIX_LENGTH]):
        if digest_matches(raw, candidate.digest):
            return candidate
    return None
