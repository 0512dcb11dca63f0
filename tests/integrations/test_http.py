"""`integrations.http.http_get`: headers, decoding, limits, redirects and conditional requests,
against a real local HTTP server."""

import time

import pytest
import urllib3.response
from werkzeug import Response

from integrations.http import (
    CHUNK_BYTES,
    MAX_REDIRECTS,
    USER_AGENT,
    HttpFetchError,
    HttpResponse,
    http_get,
)
from tests.integrations.helpers import CALENDAR_ICS, gzipped, paths_requested, serve, serve_redirect

ETAG = '"v1"'
NEW_ETAG = '"v2"'
LAST_MODIFIED = "Mon, 06 Jan 2025 09:00:00 GMT"


def chain_of_redirects(httpserver, hops: int) -> str:
    """/r{hops} -> ... -> /r1 -> /cal.ics; returns the first URL."""
    serve(httpserver, "/cal.ics")
    target = "/cal.ics"
    for hop in range(1, hops + 1):
        target = serve_redirect(httpserver, f"/r{hop}", target)
    return target


def test_defaults_come_from_settings(settings):
    assert (settings.HTTP_TIMEOUT, settings.HTTP_MAX_BYTES) == (10.0, 5 * 1024 * 1024)


def test_get_returns_the_body_and_validators(httpserver):
    url = serve(httpserver, "/cal.ics", headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED})
    assert http_get(url) == HttpResponse(
        url=url,
        status=200,
        content=CALENDAR_ICS.encode(),
        encoding="utf-8",
        etag=ETAG,
        last_modified=LAST_MODIFIED,
    )


def test_request_headers(httpserver):
    http_get(serve(httpserver, "/cal.ics"))
    request, _ = httpserver.log[0]
    assert (request.headers["User-Agent"], request.headers["Accept-Encoding"]) == (
        USER_AGENT,
        "gzip",
    )
    assert "If-None-Match" not in request.headers
    assert "If-Modified-Since" not in request.headers


@pytest.mark.parametrize(
    ("content_type", "body", "text"),
    [
        ("text/calendar", "Zoë".encode(), "Zoë"),
        ("text/calendar; charset=utf-8", "Zoë".encode(), "Zoë"),
        ("text/calendar; charset=ISO-8859-1", "Zoë".encode("latin-1"), "Zoë"),
        ("text/calendar; charset=no-such-charset", "Zoë".encode(), "Zoë"),
        ("text/calendar", b"Zo\xff", "Zo\ufffd"),
    ],
    ids=["utf8-by-default", "declared-utf8", "declared-latin1", "unknown-charset", "bad-bytes"],
)
def test_text_decoding(httpserver, content_type, body, text):
    url = serve(httpserver, "/cal.ics", body, content_type=content_type)
    assert http_get(url).text == text


def test_gzip_body_is_decoded(httpserver):
    url = serve(
        httpserver, "/cal.ics", gzipped(CALENDAR_ICS.encode()), headers={"Content-Encoding": "gzip"}
    )
    assert http_get(url).text == CALENDAR_ICS


@pytest.mark.parametrize(
    ("size", "fits"), [(1000, True), (1001, False)], ids=["at-limit", "over-limit"]
)
def test_size_limit(httpserver, settings, size, fits):
    settings.HTTP_MAX_BYTES = 1000
    url = serve(httpserver, "/big.ics", b"x" * size)
    if fits:
        assert len(http_get(url).content) == size
    else:
        with pytest.raises(HttpFetchError, match="larger than 1000 bytes"):
            http_get(url)


def test_size_limit_counts_gunzipped_bytes(httpserver, settings, monkeypatch):
    """50 KB on the wire, 50 MB unpacked: cut off at the limit, having unpacked hardly more."""
    settings.HTTP_MAX_BYTES = 1024 * 1024
    bomb = gzipped(b"\0" * (50 * 1024 * 1024))
    assert len(bomb) < 60 * 1024
    url = serve(httpserver, "/bomb.ics", bomb, headers={"Content-Encoding": "gzip"})
    unpacked = []
    decompress = urllib3.response.GzipDecoder.decompress

    def counting_decompress(decoder, data, max_length=-1):
        unpacked.append(len(out := decompress(decoder, data, max_length)))
        return out

    monkeypatch.setattr(urllib3.response.GzipDecoder, "decompress", counting_decompress)
    with pytest.raises(HttpFetchError, match="larger than 1048576 bytes"):
        http_get(url)
    assert settings.HTTP_MAX_BYTES < sum(unpacked) <= settings.HTTP_MAX_BYTES + CHUNK_BYTES


def test_slow_answer_times_out(httpserver, settings):
    settings.HTTP_TIMEOUT = 0.2

    def slow(request):
        time.sleep(0.6)
        return Response(CALENDAR_ICS)

    httpserver.expect_request("/slow.ics").respond_with_handler(slow)
    with pytest.raises(HttpFetchError, match=r"longer than 0\.2 s"):
        http_get(httpserver.url_for("/slow.ics"))


def test_dripping_body_is_cut_off_by_the_time_budget(httpserver, settings):
    """Each byte comes well within the timeout, the whole body does not: the budget is total."""
    settings.HTTP_TIMEOUT = 0.5

    def drip():
        for _ in range(30):
            time.sleep(0.05)
            yield b"x"

    httpserver.expect_request("/drip.ics").respond_with_handler(
        lambda request: Response(drip(), direct_passthrough=True)
    )
    started = time.monotonic()
    with pytest.raises(HttpFetchError, match=r"longer than 0\.5 s"):
        http_get(httpserver.url_for("/drip.ics"))
    assert time.monotonic() - started < 1.2


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_is_followed(httpserver, status):
    url = serve_redirect(httpserver, "/old.ics", "/cal.ics", status=status)
    serve(httpserver, "/cal.ics")
    response = http_get(url)
    assert (response.url, response.text) == (httpserver.url_for("/cal.ics"), CALENDAR_ICS)
    assert paths_requested(httpserver) == ["/old.ics", "/cal.ics"]


def test_redirects_are_followed_up_to_the_limit(httpserver):
    response = http_get(chain_of_redirects(httpserver, MAX_REDIRECTS))
    assert response.text == CALENDAR_ICS
    assert len(httpserver.log) == MAX_REDIRECTS + 1


def test_one_redirect_too_many_fails(httpserver):
    with pytest.raises(HttpFetchError, match=f"more than {MAX_REDIRECTS} redirects"):
        http_get(chain_of_redirects(httpserver, MAX_REDIRECTS + 1))
    assert len(httpserver.log) == MAX_REDIRECTS + 1


@pytest.mark.parametrize(
    "respond",
    [
        {"status": 404},
        {"status": 500},
        {"status": 302},  # a redirect without Location
        {"status": 304},  # "not modified" to an unconditional request
    ],
    ids=["404", "500", "302-no-location", "304-unasked"],
)
def test_unusable_answers_fail(httpserver, respond):
    url = serve(httpserver, "/cal.ics", "", **respond)
    with pytest.raises(HttpFetchError, match=f"HTTP {respond['status']}"):
        http_get(url)


def test_unreachable_server_fails():
    with pytest.raises(HttpFetchError):
        http_get("http://127.0.0.1:9/cal.ics")


def test_unresolvable_name_fails(no_allowed_hosts):
    with pytest.raises(HttpFetchError, match="cannot resolve"):
        http_get("http://no-such-host.invalid/cal.ics")


@pytest.mark.parametrize(
    ("sent", "expected_headers"),
    [
        ({"etag": ETAG}, {"If-None-Match": ETAG}),
        ({"last_modified": LAST_MODIFIED}, {"If-Modified-Since": LAST_MODIFIED}),
        (
            {"etag": ETAG, "last_modified": LAST_MODIFIED},
            {"If-None-Match": ETAG, "If-Modified-Since": LAST_MODIFIED},
        ),
    ],
    ids=["etag", "last-modified", "both"],
)
def test_conditional_request_not_modified(httpserver, sent, expected_headers):
    # Werkzeug drops Last-Modified from a 304, so only the ETag is new; the date sent is kept.
    httpserver.expect_request("/cal.ics", headers=expected_headers).respond_with_data(
        "", status=304, headers={"ETag": NEW_ETAG}
    )
    url = httpserver.url_for("/cal.ics")
    assert http_get(url, **sent) == HttpResponse(
        url=url,
        status=304,
        content=b"",
        encoding="utf-8",
        etag=NEW_ETAG,
        last_modified=sent.get("last_modified"),
        not_modified=True,
    )


def test_not_modified_without_validators_keeps_the_ones_sent(httpserver):
    url = serve(httpserver, "/cal.ics", "", status=304)
    response = http_get(url, etag=ETAG, last_modified=LAST_MODIFIED)
    assert (response.not_modified, response.etag, response.last_modified) == (
        True,
        ETAG,
        LAST_MODIFIED,
    )


def test_conditional_request_modified(httpserver):
    url = serve(httpserver, "/cal.ics", headers={"ETag": NEW_ETAG})
    response = http_get(url, etag=ETAG)
    assert (response.not_modified, response.text, response.etag, response.last_modified) == (
        False,
        CALENDAR_ICS,
        NEW_ETAG,
        None,
    )


def test_conditional_request_through_a_redirect(httpserver):
    url = serve_redirect(httpserver, "/old.ics", "/cal.ics")
    httpserver.expect_request("/cal.ics", headers={"If-None-Match": ETAG}).respond_with_data(
        "", status=304
    )
    assert http_get(url, etag=ETAG).not_modified
