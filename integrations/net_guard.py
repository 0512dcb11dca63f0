"""SSRF guard: which URLs and which peer addresses outbound HTTP may reach.

Two checks, both needed:
- `check_url` runs before every request, the first and each redirect hop: scheme, the service's
  own address, and every address the host name resolves to. It gives the clear refusal message.
- `GuardedHTTPAdapter`'s connections resolve the name themselves (the same bounded lookup),
  check every address before connecting to any, connect to those addresses only, and check the
  address the socket is actually connected to. A name can resolve to a public address during
  `check_url` and to 127.0.0.1 a moment later (DNS rebinding): the second answer is checked
  too, and the peer address of the connected socket cannot lie, so the request is dropped
  before a single byte is sent. TLS still checks and sends the host name (SNI), since only the
  TCP connection is made to the address; checking in the connection also covers pooled
  reconnects.

Name lookups are bounded by the exchange's deadline (`integrations.deadline.run_bounded`), or by
HTTP_TIMEOUT outside an exchange (a webhook URL checked when it is saved): urllib3 never looks a
name up itself, so a resolver that stalls cannot hold a request past its deadline.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.connection import create_connection

from integrations.deadline import run_bounded, time_left, watch_socket

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


def lookup(host: str, port: int) -> list[str]:
    """The addresses the system's resolver gives for `host` (it may take any time)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def resolve(host: str, port: int) -> list[str]:
    """`lookup` within the time left (DeadlinePassed after it), NameNotResolved if none."""
    try:
        return run_bounded(
            lambda: lookup(host, port), time_left(settings.HTTP_TIMEOUT), f"resolving {host}"
        )
    except (socket.gaierror, UnicodeError) as exc:
        raise NameNotResolved(host) from exc


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


class GuardedConnectionMixin(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        """A connection to an address checked before and after connecting, each step within
        the exchange's deadline (urllib3's own would look the name up without a bound)."""
        addresses = resolve(self.host, self.port)
        for address in addresses:
            check_peer_address(self.host, address)
        sock = self._connect_first(addresses)
        try:
            check_peer_address(self.host, sock.getpeername()[0])
        except UrlNotAllowed:
            sock.close()
            raise
        watch_socket(sock)
        return sock

    def _connect_first(self, addresses: list[str]) -> socket.socket:
        """As urllib3 would: each address in turn, its errors as urllib3's."""
        error: OSError | None = None
        for address in addresses:
            # The address is numeric: create_connection's own lookup asks no resolver. The
            # time left is at most the timeout requests set when the request began.
            try:
                return create_connection(
                    (address, self.port),
                    time_left(settings.HTTP_TIMEOUT),
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as exc:
                raise ConnectTimeoutError(self, f"Connection to {self.host} timed out") from exc
            except OSError as exc:
                error = exc
        raise NewConnectionError(self, f"Failed to establish a new connection: {error}")


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
