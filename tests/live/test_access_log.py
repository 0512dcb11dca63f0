"""Export tokens never reach the access log (issue 14, finding 8): gunicorn as the Docker image
runs it writes the export routes' requests with `token=REDACTED`, and a token sent in
`X-Export-Token` is never in a URL. The development server's log goes through the same
redaction (`django.server`, as `./scripts/demo` serves)."""

import logging

import pytest
import requests

from tests.live.conftest import ON_POSTGRES


@pytest.mark.skipif(ON_POSTGRES, reason="the log format: runs with the SQLite suite")
def test_gunicorn_access_log_redacts_export_tokens(databases, serve):
    server = serve(databases.new("access_log"))
    api = requests.Session()
    api.headers["Authorization"] = server.bootstrap("logs")
    body = {"name": "Primary", "type": "calendar", "time_zone": "UTC"}
    schedule = api.post(f"{server.base_url}/api/v1/schedules/", json=body).json()["id"]
    export = f"{server.base_url}/api/v1/schedules/{schedule}/export/"
    token = api.post(f"{export.removesuffix('export/')}export_token/").json()["token"]

    statuses = [
        requests.get(export, params={"token": token}).status_code,
        requests.get(export, params={"lang": "en", "token": token}).status_code,
        requests.get(export, headers={"X-Export-Token": token}).status_code,
        requests.get(export, params={"token": "wrong"}).status_code,
    ]
    server.stop()

    log = server.log.read_text()
    export_lines = [
        line for line in log.splitlines() if f'"GET /api/v1/schedules/{schedule}/export/' in line
    ]
    assert statuses == [200, 200, 200, 403]
    assert token not in log
    # Two workers write the log, so its lines need not come in the order the requests were sent.
    assert sorted(line.count("token=REDACTED") for line in export_lines) == [0, 1, 1, 1]
    assert sum("?lang=en&token=REDACTED " in line for line in export_lines) == 1


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_development_server_log_redacts_export_tokens():
    """The line Django's development server writes for each request, as it writes it."""
    logger = logging.getLogger("django.server")
    lines = Lines()
    logger.addHandler(lines)
    try:
        request_line = "GET /api/v1/users/U1/schedule_export/?Token=s3cr3t&x=1 HTTP/1.1"
        logger.info('"%s" %s %s', request_line, "200", "512")
    finally:
        logger.removeHandler(lines)

    assert lines.lines == [
        '"GET /api/v1/users/U1/schedule_export/?Token=REDACTED&x=1 HTTP/1.1" 200 512'
    ]
