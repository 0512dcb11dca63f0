"""The one function through which the service talks HTTP to the outside world.

`http_get` enforces, for every caller: the SSRF guard (net_guard) on the URL and on every redirect
hop, which it therefore follows itself; one wall-clock deadline (HTTP_TIMEOUT) for the whole
exchange, name lookups and redirects included, whatever the server drips and wherever, however
long the resolver takes (integrations.deadline);
a size limit (HTTP_MAX_BYTES) on the decoded body, so a small gzip bomb is cut off too;
conditional requests. No exchange starts inside a database transaction.
"""

import codecs
import contextlib
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

import requests
import urllib3
from django.conf import settings

from common.transactions import refuse_inside_transaction
from integrations.deadline import DeadlinePassed, deadline
from integrations.net_guard import GuardedHTTPAdapter, NameNotResolved, UrlNotAllowed, check_url

USER_AGENT = "oncall-schedules"
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK_BYTES = 64 * 1024
CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)

__all__ = ["HttpFetchError", "HttpResponse", "UrlNotAllowed", "http_get", "http_post"]


class HttpFetchError(Exception):
    """The resource could not be downloaded (network error, timeout, non-2xx answer, too big)."""


@dataclass(frozen=True, slots=True)
class HttpResponse:
    url: str  # after redirects
    status: int
    content: bytes  # decoded (gunzipped); empty when not modified
    encoding: str
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False

    @property
    def text(self) -> str:
        return self.content.decode(self.encoding, errors="replace")


def http_get(
    url: str, *, etag: str | None = None, last_modified: str | None = None
) -> HttpResponse:
    """GET `url`. With `etag`/`last_modified` (the validators of the copy the caller holds) the
    request is conditional and a 304 answer comes back as `not_modified=True` carrying the
    validators to keep. Raises UrlNotAllowed (refused by the SSRF guard) or HttpFetchError."""
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    with _exchange() as (session, ends_at):
        return _follow(session, url, headers, ends_at)


def http_post(url: str, *, body: bytes, headers: dict[str, str]) -> int:
    """POST `body` to `url` under the same guard and time budget as `http_get`, and return the
    status of a 2xx answer (its body is not read). Redirects are not followed: a webhook's
    receiver answers where it is. Raises UrlNotAllowed or HttpFetchError (network error,
    timeout, any other answer)."""
    with _exchange() as (session, ends_at):
        check_url(url)
        response = session.post(
            url,
            data=body,
            headers={"User-Agent": USER_AGENT, **headers},
            timeout=_remaining(ends_at),
            allow_redirects=False,
            stream=True,
        )
        with response:
            if not 200 <= response.status_code < 300:
                raise HttpFetchError(f"HTTP {response.status_code} from {url}")
            return response.status_code


@contextlib.contextmanager
def _exchange() -> Iterator[tuple[requests.Session, float]]:
    """A guarded session and the instant its exchange must end by. Socket timeouts bound each
    read by the time left; the deadline's timer ends the exchange when that instant passes
    even if no read ever waits that long."""
    refuse_inside_transaction("an outbound HTTP request")
    seconds = settings.HTTP_TIMEOUT
    with deadline(seconds) as watchdog:
        try:
            with _guarded_session() as session:
                yield session, time.monotonic() + seconds
        except HttpFetchError as exc:
            if watchdog.expired:
                raise _timed_out() from exc
            raise
        # The sockets shut down may have looked like the end of a body: not a complete answer.
        if watchdog.expired:
            raise _timed_out()


@contextlib.contextmanager
def _guarded_session() -> Iterator[requests.Session]:
    """A session whose connections pass the SSRF guard, with its errors as HttpFetchError."""
    with requests.Session() as session:
        # No proxies, .netrc or CA bundles from the environment: the guard checks the address
        # the socket connects to, which must be the remote server and not a proxy.
        session.trust_env = False
        session.mount("http://", GuardedHTTPAdapter(max_retries=0))
        session.mount("https://", GuardedHTTPAdapter(max_retries=0))
        try:
            yield session
        except NameNotResolved as exc:
            raise HttpFetchError(f"cannot resolve {exc}") from exc
        except DeadlinePassed as exc:  # a name lookup that the resolver did not answer in time
            raise _timed_out() from exc
        except (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError) as exc:
            # Socket timeouts are set to the time left: the deadline has passed.
            raise _timed_out() from exc
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            # The body is read from urllib3 directly, whose errors requests does not wrap.
            raise HttpFetchError(str(exc)) from exc


def _follow(session: requests.Session, url: str, headers: dict, ends_at: float) -> HttpResponse:
    for _hop in range(MAX_REDIRECTS + 1):
        check_url(url)
        response = session.get(
            url, headers=headers, timeout=_remaining(ends_at), allow_redirects=False, stream=True
        )
        with response:
            location = response.headers.get("Location")
            if response.status_code in REDIRECT_STATUSES and location:
                url = urljoin(url, location)
                continue
            return _read(response, headers, ends_at)
    raise HttpFetchError(f"more than {MAX_REDIRECTS} redirects")


def _read(response: requests.Response, headers: dict, ends_at: float) -> HttpResponse:
    validators = {
        "etag": response.headers.get("ETag"),
        "last_modified": response.headers.get("Last-Modified"),
    }
    if response.status_code == 304 and (
        "If-None-Match" in headers or "If-Modified-Since" in headers
    ):
        # A 304 need not repeat the validators; then the ones sent are still current.
        return HttpResponse(
            url=response.url,
            status=304,
            content=b"",
            encoding="utf-8",
            etag=validators["etag"] or headers.get("If-None-Match"),
            last_modified=validators["last_modified"] or headers.get("If-Modified-Since"),
            not_modified=True,
        )
    if not 200 <= response.status_code < 300:
        raise HttpFetchError(f"HTTP {response.status_code} from {response.url}")
    return HttpResponse(
        url=response.url,
        status=response.status_code,
        content=_body(response, ends_at),
        encoding=_encoding(response),
        etag=validators["etag"],
        last_modified=validators["last_modified"],
    )


def _body(response: requests.Response, ends_at: float) -> bytes:
    """The decoded body. read1 returns what one socket read brings (a server dripping bytes
    cannot make one call wait for a full chunk) and gunzips at most CHUNK_BYTES per call, so
    counting decoded bytes stops a gzip bomb at HTTP_MAX_BYTES, before it fills memory."""
    limit = settings.HTTP_MAX_BYTES
    chunks, size = [], 0
    while chunk := response.raw.read1(CHUNK_BYTES, decode_content=True):
        size += len(chunk)
        if size > limit:
            raise HttpFetchError(f"body larger than {limit} bytes")
        _remaining(ends_at)
        chunks.append(chunk)
    return b"".join(chunks)


def _encoding(response: requests.Response) -> str:
    """The declared charset, else UTF-8 (iCalendar's default). requests would guess ISO-8859-1
    for any text/* type without a charset and garble the names in a calendar."""
    match = CHARSET.search(response.headers.get("Content-Type", ""))
    if match:
        try:
            return codecs.lookup(match.group(1)).name
        except LookupError:
            pass
    return "utf-8"


def _remaining(ends_at: float) -> float:
    remaining = ends_at - time.monotonic()
    if remaining <= 0:
        raise _timed_out()
    return remaining


def _timed_out() -> HttpFetchError:
    return HttpFetchError(f"download took longer than {settings.HTTP_TIMEOUT} s")
