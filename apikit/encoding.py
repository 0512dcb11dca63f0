"""Content coding of large answers: gzip for the clients that accept it (RFC 9110, section 12.5.3).

requests, curl --compressed, Go's net/http and browsers ask for gzip and decode it transparently;
a body kept gzipped (`Body`) is sent as it is to them, and decoded for the others.
"""

import gzip
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

# Bodies larger than this are kept gzipped (JSON shrinks about tenfold): a year of an hourly
# rotation's final_shifts is over a megabyte, and the cache lives in every worker's memory by
# default. Smaller ones are not worth the CPU.
GZIP_ABOVE = 128 * 1024
GZIP_NAMES = ("gzip", "x-gzip")


def is_large(plain: bytes) -> bool:
    """Whether a body is large enough to be kept gzipped."""
    return len(plain) > GZIP_ABOVE


@dataclass(frozen=True, slots=True)
class Body:
    """An answer body (JSON, a calendar) as kept in the cache: `data` is gzipped when
    `gzipped`."""

    data: bytes
    gzipped: bool

    @classmethod
    def of(cls, plain: bytes) -> "Body":
        if is_large(plain):
            return cls(gzip.compress(plain, compresslevel=1, mtime=0), gzipped=True)
        return cls(plain, gzipped=False)

    def plain(self) -> bytes:
        return gzip.decompress(self.data) if self.gzipped else self.data

    def for_client(self, gzip_accepted: bool) -> "Body":
        """This body as sent to a client that accepts gzip or not: decoded for one that does
        not."""
        if self.gzipped and not gzip_accepted:
            return Body(self.plain(), gzipped=False)
        return self


def encoded_response(request, body: Body, content_type: str) -> HttpResponse:
    """`body` sent gzipped when it is and the client accepts gzip, plain otherwise."""
    return sent_response(body.for_client(client_accepts_gzip(request)), content_type)


def sent_response(body: Body, content_type: str) -> HttpResponse:
    """`body` sent as it is, gzipped or not; either way caches are told that the answer varies
    with `Accept-Encoding`."""
    response = HttpResponse(body.data, content_type=content_type)
    if body.gzipped:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def client_accepts_gzip(request) -> bool:
    return accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", ""))


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an `Accept-Encoding` value allows gzip: named with a non-zero weight, or else
    allowed by `*`. A weight that cannot be read counts as a refusal."""
    weights = {}
    for item in accept_encoding.split(","):
        name, _, parameters = item.partition(";")
        weights[name.strip().lower()] = quality(parameters)
    for name in GZIP_NAMES:
        if name in weights:
            return weights[name] > 0
    return weights.get("*", 0) > 0


def quality(parameters: str) -> float:
    """The weight in the parameters after a coding (`q=0.5`), 1 without any."""
    name, _, value = parameters.partition("=")
    if not name.strip():
        return 1.0
    if name.strip().lower() != "q":
        return 0.0
    try:
        return float(value)
    except ValueError:
        return 0.0
