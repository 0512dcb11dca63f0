"""Export tokens never reach the access log (issue 14, finding 8): gunicorn as the Docker image
runs it, and the development server as `./scripts/demo` runs it, write the export routes'
requests with `token=REDACTED`; a token sent in `X-Export-Token` is never in a URL."""

import pytest
import requests

from tests.live.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="the log format: runs with the SQLite suite")


@pytest.mark.parametrize("dev", [False, True], ids=["gunicorn", "development server"])
def test_export_tokens_are_redacted_in_the_access_log(databases, serve, dev):
    server = serve(databases.new(f"access_log_{'dev' if dev else 'gunicorn'}"), dev=dev)
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
    assert [line.count("token=REDACTED") for line in export_lines] == [1, 1, 0, 1]
    assert "lang=en&token=REDACTED" in export_lines[1]
