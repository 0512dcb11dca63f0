"""SSRF guard: which URLs and which peer addresses outbound HTTP may reach.

Two checks, both needed:
- `check_url` runs before every request, the first and each redirect hop: scheme, the service's
  own address, and every address the host name resolves to. It gives the clear refusal message.
- `GuardedHTTPAdapter` checks the address the socket is actually connected to. A name can
  resolve to a public address during `check_url` and to 127.0.0.1 a moment later when urllib3
  resolves it again (DNS rebinding); the peer address of the connected socket cannot lie, so the
  request is dropped before a single byte is sent. Pinning the checked IP instead would break
  TLS host-name checks and SNI, and checking in the connection also covers pooled reconnects.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from integrations.deadline import watch_socket

SELF_REFERENCE = "Potential self-reference"
ONLY_HTTP = "URL not allowed: only http and https"
NO_HOST = "URL not allowed: no host"
ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}


class UrlNotAllowed(Exception):
    """The URL (or a redirect hop) must not be fetched; the message says why, for the client."""


class NameNotResolved(Exception):
    """The host name does not resolve: a network error, not a refusal."""


def refused_address_kind(address: str) -> str | None:
    """Why `address` may not be reached ("loopback", "private", ...), or None if it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    # ::ffff:127.0.0.1 reaches 127.0.0.1, but Python 3.11 does not call it loopback.
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind, refused in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        # Shared address space (100.64/10), 6to4 of private ranges and the like.
        ("non-public", not ip.is_global),
    ):
        if refused:
            return kind
    return None


def refusal(host: str, kind: str) -> UrlNotAllowed:
    article = "an" if kind[0] in "aeiou" else "a"
    return UrlNotAllowed(f"URL not allowed: {host} resolves to {article} {kind} address")


def normalize_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def host_is_allowed(host: str) -> bool:
    """Hosts listed in ICAL_ALLOWED_HOSTS skip the address check (a calendar on the intranet)."""
    return normalize_host(host) in {normalize_host(h) for h in settings.ICAL_ALLOWED_HOSTS}


def check_peer_address(host: str, address: str) -> None:
    if host_is_allowed(host):
        return
    kind = refused_address_kind(address)
    if kind is not None:
        raise refusal(host, kind)


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise NameNotResolved(host) from exc
    return [str(info[4][0]) for info in infos]


def origin(url: str) -> tuple[str, int | None] | None:
    parts = urlsplit(url)
    try:
        port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return None
    return (normalize_host(parts.hostname or ""), port)


def is_self_reference(url: str) -> bool:
    """Upstream compares strings (BASE_URL contained in the URL); the same host and port in
    another spelling (upper case, explicit default port) is the service too."""
    base = settings.BASE_URL
    if not base:
        return False
    return base in url or origin(url) == origin(base)


def check_url(url: str) -> None:
    """Raise UrlNotAllowed if `url` may not be fetched, NameNotResolved if its host is unknown."""
    if is_self_reference(url):
        raise UrlNotAllowed(SELF_REFERENCE)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UrlNotAllowed(ONLY_HTTP)
    host = parts.hostname
    if not host:
        raise UrlNotAllowed(NO_HOST)
    if host_is_allowed(host):
        return
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme.lower()]
    except ValueError as exc:
        raise UrlNotAllowed(f"URL not allowed: invalid port in {parts.netloc}") from exc
    # Every address counts: urllib3 may connect to any of them.
    for address in resolve(host, port):
        check_peer_address(host, address)


class GuardedConnectionMixin:
    host: str

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # type: ignore[misc]  # mixed into urllib3's connections
        try:
            check_peer_address(self.host, sock.getpeername()[0])
        except UrlNotAllowed:
            sock.close()
            raise
        watch_socket(sock)
        return sock


class GuardedHTTPConnection(GuardedConnectionMixin, HTTPConnection):
    pass


class GuardedHTTPSConnection(GuardedConnectionMixin, HTTPSConnection):
    pass


class GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


class GuardedHTTPAdapter(HTTPAdapter):
    """A requests adapter whose connections refuse non-public peers (UrlNotAllowed is not an
    urllib3 error, so it passes through urllib3 and requests unchanged)."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        # A new dict: the default one is shared by every PoolManager in the process.
        self.poolmanager.pool_classes_by_scheme = {
            "http": GuardedHTTPConnectionPool,
            "https": GuardedHTTPSConnectionPool,
        }
