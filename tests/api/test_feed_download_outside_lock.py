"""An iCal download during validation does not hold the organization's write lock."""

import pytest

from users import services

pytestmark = pytest.mark.django_db

ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nEND:VCALENDAR\r\n"


def test_feed_is_downloaded_once_and_before_the_lock(api_client, httpserver, monkeypatch):
    events = []
    real_lock = services.organization_lock

    def recording_lock(**kwargs):
        events.append("lock")
        return real_lock(**kwargs)

    def serve(request):
        from werkzeug import Response

        events.append("download")
        return Response(ICS, content_type="text/calendar")

    monkeypatch.setattr("users.api.viewsets.organization_lock", recording_lock)
    httpserver.expect_request("/f.ics").respond_with_handler(serve)
    body = {"name": "i", "type": "ical", "ical_url_primary": httpserver.url_for("/f.ics")}
    assert api_client.post("/api/v1/schedules/", body, format="json").status_code == 201
    assert events[:2] == ["download", "lock"]
    assert events.count("download") == 1
