"""My shifts: the signed-in user's next shifts across schedules and their calendar link."""

import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from freezegun import freeze_time

from tests.pages.conftest import PASSWORD
from tests.pages.schedules_table import table_rows
from users import services
from users.models import Role

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 18, 12, tzinfo=UTC)


@pytest.fixture
def oliver(demo, signed_in):
    person = demo.people["oliver"]
    services.user_update(user=person, password=PASSWORD)
    return signed_in(person)


@freeze_time(NOW)
def test_the_users_next_shifts_across_schedules(oliver):
    """In oliver's own zone, London: after 29 March, handovers at 09:00 are at 08:00 UTC."""
    rows = table_rows(oliver.get("/my-shifts/").content.decode())

    assert rows == [
        ["Payments secondary", "Mon 16 Mar 2026 09:00", "Mon 23 Mar 2026 09:00"],
        ["Payments primary", "Mon 23 Mar 2026 09:00", "Thu 26 Mar 2026 00:00"],
        ["Platform follow-the-sun", "Tue 24 Mar 2026 08:00", "Tue 24 Mar 2026 16:00"],
        ["Payments primary", "Fri 27 Mar 2026 00:00", "Mon 30 Mar 2026 09:00"],
        ["Payments secondary", "Mon 6 Apr 2026 09:00", "Mon 13 Apr 2026 09:00"],
        ["Payments primary", "Mon 13 Apr 2026 09:00", "Mon 20 Apr 2026 09:00"],
    ]


@freeze_time(NOW)
def test_the_calendar_link_is_made_on_request_and_opens_the_users_export(oliver):
    before = oliver.get("/my-shifts/").content.decode()
    made = oliver.post("/my-shifts/").content.decode()
    link = re.search(r'id="id_link" class="link" readonly value="([^"]+)"', made).group(1)
    later = oliver.get("/my-shifts/").content.decode()

    assert "You have no subscription link yet." in before
    assert link.startswith("http://127.0.0.1:8000/api/v1/users/")
    export = Client().get(link.removeprefix("http://127.0.0.1:8000"))
    assert export.status_code == 200
    assert b"BEGIN:VCALENDAR" in export.content
    assert "You have a subscription link, made" in later
    assert link.split("token=")[1] not in later


@freeze_time(NOW)
def test_viewers_make_no_link(demo, person, signed_in):
    viewer = signed_in(person("vera", Role.VIEWER))

    page = viewer.get("/my-shifts/").content.decode()
    refused = viewer.post("/my-shifts/")

    assert "Viewers cannot make subscription links." in page
    assert "You are on call in no schedule in the next 28 days." in page
    assert refused.status_code == 403
