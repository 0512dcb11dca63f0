"""Helpers for the outbound HTTP tests: every request goes to pytest-httpserver on this host."""

import gzip

CALENDAR_ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    "BEGIN:VEVENT\r\nUID:1\r\nDTSTART:20250106T090000Z\r\nDTEND:20250106T100000Z\r\n"
    "SUMMARY:Zoë Ångström\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def serve(httpserver, path: str, body: str | bytes = CALENDAR_ICS, **respond) -> str:
    """Answer `path` with `body` (a calendar unless told) and return its URL."""
    respond.setdefault("content_type", "text/calendar")
    httpserver.expect_request(path).respond_with_data(body, **respond)
    return httpserver.url_for(path)


def serve_redirect(httpserver, path: str, location: str, status: int = 302) -> str:
    httpserver.expect_request(path).respond_with_data(
        "", status=status, headers={"Location": location}
    )
    return httpserver.url_for(path)


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9)


def paths_requested(httpserver) -> list[str]:
    return [request.path for request, _ in httpserver.log]
