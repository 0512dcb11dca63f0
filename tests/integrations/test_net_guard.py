"""The SSRF guard: what `http_get` refuses, before any byte reaches the refused server."""

import ssl
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import requests.adapters
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from integrations import net_guard
from integrations.http import HttpFetchError, http_get
from integrations.net_guard import ONLY_HTTP, SELF_REFERENCE, UrlNotAllowed
from tests.integrations.helpers import CALENDAR_ICS, paths_requested, serve, serve_redirect


def loopback(host: str) -> str:
    return f"URL not allowed: {host} resolves to a loopback address"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_address_kinds(address, kind):
    assert net_guard.refused_address_kind(address) == kind


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:{port}/cal.ics", loopback("127.0.0.1")),
        ("http://[::1]:{port}/cal.ics", loopback("::1")),
        ("http://localhost:{port}/cal.ics", loopback("localhost")),
        ("http://2130706433:{port}/cal.ics", loopback("2130706433")),  # 127.0.0.1 as a number
        ("https://10.0.0.1/cal.ics", "URL not allowed: 10.0.0.1 resolves to a private address"),
        (
            "http://169.254.169.254/latest/meta-data/",
            "URL not allowed: 169.254.169.254 resolves to a link-local address",
        ),
        ("http://0.0.0.0:{port}/", "URL not allowed: 0.0.0.0 resolves to an unspecified address"),
        ("file:///etc/passwd", ONLY_HTTP),
        ("gopher://127.0.0.1:{port}/_GET", ONLY_HTTP),
        ("ftp://example.com/cal.ics", ONLY_HTTP),
        ("cal.ics", ONLY_HTTP),
        ("http:///cal.ics", "URL not allowed: no host"),
    ],
    ids=[
        "ipv4-loopback",
        "ipv6-loopback",
        "name-resolving-to-loopback",
        "numeric-loopback",
        "private",
        "cloud-metadata",
        "unspecified",
        "file",
        "gopher",
        "ftp",
        "relative",
        "no-host",
    ],
)
def test_refused(httpserver, no_allowed_hosts, url, message):
    serve(httpserver, "/cal.ics")
    with pytest.raises(UrlNotAllowed) as refused:
        http_get(url.format(port=httpserver.port))
    assert str(refused.value) == message
    assert httpserver.log == []


@pytest.mark.parametrize("listed", ["localhost", "LOCALHOST", "localhost."])
def test_allowed_host_is_fetched(httpserver, settings, listed):
    settings.ICAL_ALLOWED_HOSTS = [listed]
    assert http_get(serve(httpserver, "/cal.ics")).text == CALENDAR_ICS


def test_allowed_hosts_are_exact_names(httpserver, settings):
    """Listing a name does not allow the address it resolves to, nor the other way round."""
    settings.ICAL_ALLOWED_HOSTS = ["127.0.0.1"]
    with pytest.raises(UrlNotAllowed, match=loopback("localhost")):
        http_get(serve(httpserver, "/cal.ics"))


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("http://127.0.0.1:{port}/cal.ics", loopback("127.0.0.1")),
        ("http://10.0.0.1/cal.ics", "URL not allowed: 10.0.0.1 resolves to a private address"),
        ("file:///etc/passwd", ONLY_HTTP),
        ("gopher://localhost:{port}/_GET", ONLY_HTTP),
    ],
    ids=["loopback", "private", "file", "gopher"],
)
def test_redirect_to_a_refused_url(httpserver, settings, location, message):
    """The first hop is on an allowed host; the guard still checks where it redirects to."""
    settings.ICAL_ALLOWED_HOSTS = ["localhost"]
    serve(httpserver, "/cal.ics")
    url = serve_redirect(httpserver, "/moved", location.format(port=httpserver.port))
    with pytest.raises(UrlNotAllowed) as refused:
        http_get(url)
    assert str(refused.value) == message
    assert paths_requested(httpserver) == ["/moved"]


def test_dns_rebinding_is_caught_at_connect_time(httpserver, no_allowed_hosts, monkeypatch):
    """The name looks public when checked and is loopback when the connection looks it up
    again: the second answer is checked before connecting, and nothing is sent."""
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])
    monkeypatch.setattr(net_guard, "lookup", lambda host, port: next(answers))
    url = serve(httpserver, "/cal.ics")
    with pytest.raises(UrlNotAllowed, match=loopback("localhost")):
        http_get(url)
    assert httpserver.log == []


def test_the_connected_peer_is_checked(httpserver, no_allowed_hosts, monkeypatch):
    """Whatever address a socket ends up connected to is checked before a byte is sent."""
    monkeypatch.setattr(net_guard, "lookup", lambda host, port: ["93.184.216.34"])
    real_connect = net_guard.create_connection
    monkeypatch.setattr(
        net_guard,
        "create_connection",
        lambda address, *args, **kwargs: real_connect(
            (httpserver.host, httpserver.port), *args, **kwargs
        ),
    )
    url = serve(httpserver, "/cal.ics")
    with pytest.raises(UrlNotAllowed, match=loopback("localhost")):
        http_get(url)
    assert httpserver.log == []


@pytest.mark.parametrize(
    ("base_url", "url"),
    [
        ("https://oncall.example.com", "https://oncall.example.com/api/v1/schedules/S1/export"),
        ("https://oncall.example.com", "HTTPS://ONCALL.EXAMPLE.COM:443/export"),
        ("https://oncall.example.com", "http://oncall.example.com:443/export"),
        ("http://oncall.example.com:8080", "http://oncall.example.com.:8080/export"),
    ],
    ids=["upstream-substring", "other-spelling", "other-scheme", "trailing-dot"],
)
def test_self_reference(settings, base_url, url):
    settings.BASE_URL = base_url
    with pytest.raises(UrlNotAllowed, match=SELF_REFERENCE):
        http_get(url)


def test_self_reference_wins_over_allowed_hosts(httpserver, settings):
    settings.BASE_URL = httpserver.url_for("").rstrip("/")
    with pytest.raises(UrlNotAllowed, match=SELF_REFERENCE):
        http_get(serve(httpserver, "/cal.ics"))
    assert httpserver.log == []


def test_redirect_to_the_service_itself(httpserver, settings):
    settings.BASE_URL = "https://oncall.example.com"
    url = serve_redirect(httpserver, "/moved", "https://oncall.example.com/export")
    with pytest.raises(UrlNotAllowed, match=SELF_REFERENCE):
        http_get(url)


def test_other_port_of_the_service_host_is_not_a_self_reference(httpserver, settings):
    settings.BASE_URL = "http://localhost:1"
    assert http_get(serve(httpserver, "/cal.ics")).text == CALENDAR_ICS


def self_signed(directory, host: str) -> tuple[str, str]:
    """A certificate for `host` signed by its own key: (certificate file, key file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_file), str(key_file)


def test_tls_checks_the_host_name_though_the_connection_goes_to_its_address(
    tmp_path, settings, monkeypatch
):
    """Connections are made to the addresses the guard looked up; TLS still sends the name
    (SNI) and checks the certificate against it, so a certificate for another name fails."""
    settings.ICAL_ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    cert_file, key_file = self_signed(tmp_path, "localhost")
    monkeypatch.setattr(requests.adapters, "DEFAULT_CA_BUNDLE_PATH", cert_file)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    names = []
    context.sni_callback = lambda sock, name, context: names.append(name)
    with HTTPServer(("127.0.0.1", 0), CalendarHandler) as server:
        server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]
        assert http_get(f"https://localhost:{port}/cal.ics").text == CALENDAR_ICS
        with pytest.raises(HttpFetchError, match="CERTIFICATE_VERIFY_FAILED"):
            http_get(f"https://127.0.0.1:{port}/cal.ics")
        server.shutdown()
    # SNI carries the name, never the address the connection went to (nor an address asked for).
    assert names == ["localhost", None]


class CalendarHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = CALENDAR_ICS.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass
