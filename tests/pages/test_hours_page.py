"""The hours page (docs/pages.md#hours): the report for a window, schedules and zone the viewer
picks, and its CSV download, the same as the API's (docs/hours.md)."""

import re
from datetime import UTC, datetime

import pytest
from freezegun import freeze_time

from schedules import services as schedule_services
from tests.api.helpers import daily_rotation
from tests.pages.test_accessibility import unlabelled
from users.models import Role

pytestmark = pytest.mark.django_db

WEEK = "start_date=2026-03-23&end_date=2026-03-30&time_zone=UTC"


@pytest.fixture
def rotation_schedule(organization, person):
    """alice and bob take turns of a day from Monday 23 March 09:00 UTC."""
    alice, bob = person("alice"), person("bob")
    shift = daily_rotation(organization, [alice, bob], datetime(2026, 3, 23, 9, tzinfo=UTC))
    return schedule_services.schedule_create(
        organization=organization,
        schedule_type="calendar",
        name="Primary",
        time_zone="UTC",
        shifts=[shift],
    )


def table_rows(html: str) -> list[list[str]]:
    """The cells of the report's body rows, tags stripped."""
    body = html.split('<table class="hours">', 1)[1].split("</tbody>", 1)[0].split("<tbody>")[1]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


@freeze_time("2026-03-20T12:00:00Z")
def test_a_viewer_sees_hours_per_person(person, signed_in, rotation_schedule):
    client = signed_in(person("vera", Role.VIEWER))

    response = client.get(f"/hours/?{WEEK}&schedule_ids={rotation_schedule.public_id}")

    assert response.status_code == 200
    # alice from Monday 09:00 for a day, Wednesday, Friday and Sunday; bob between.
    assert table_rows(response.content.decode()) == [
        ["alice", "alice@example.com", "87.00", "63.00", "24.00", "29.00"],
        ["bob", "bob@example.com", "72.00", "48.00", "24.00", "27.00"],
    ]


@freeze_time("2026-03-20T12:00:00Z")
def test_the_csv_download_is_the_apis(person, signed_in, rotation_schedule, make_client):
    reader = person("vera", Role.VIEWER)
    client = signed_in(reader)
    page = client.get(f"/hours/?{WEEK}&schedule_ids={rotation_schedule.public_id}").content.decode()
    link = (
        re.search(r'<a href="([^"]+)" download>Download CSV</a>', page)
        .group(1)
        .replace("&amp;", "&")
    )

    download = client.get(link)
    api = make_client(reader).get(
        f"/api/v1/schedules/{rotation_schedule.public_id}/hours?{WEEK}", HTTP_ACCEPT="text/csv"
    )

    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"] == (
        'attachment; filename="hours-schedules-2026-03-23-2026-03-30.csv"'
    )
    assert download.content == api.content


@freeze_time("2026-03-20T12:00:00Z")
def test_by_default_this_month_over_every_schedule(person, signed_in, rotation_schedule):
    client = signed_in(person("vera", Role.VIEWER, timezone="Europe/Berlin"))

    html = client.get("/hours/").content.decode()

    assert 'name="start_date" type="date" value="2026-03-01"' in html
    assert 'name="end_date" type="date" value="2026-04-01"' in html
    assert "<option selected>Europe/Berlin</option>" in html
    assert f'value="{rotation_schedule.public_id}" checked' in html
    assert unlabelled(html) == []
    assert table_rows(html)[0][0] == "alice"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "start_date=2026-04-01&end_date=2026-03-01&schedule_ids={id}",
            "start_date must be less than or equal to end_date",
        ),
        (
            "start_date=2026-01-01&end_date=2027-01-03&schedule_ids={id}",
            "must be at most 366 days",
        ),
        ("start_date=2026-01-01&end_date=2026-01-02", "This field is required."),
    ],
    ids=["reversed", "too-long", "no-schedule"],
)
def test_bad_choices_are_said(person, signed_in, rotation_schedule, query, message):
    client = signed_in(person("vera", Role.VIEWER))
    query = query.format(id=rotation_schedule.public_id)

    response = client.get(f"/hours/?{query}")
    download = client.get(f"/hours.csv?{query}")

    assert response.status_code == 400
    assert message in response.content.decode()
    assert '<table class="hours">' not in response.content.decode()
    assert download.status_code == 400
    assert message in download.content.decode()


def test_another_organizations_schedule_is_unknown(person, signed_in, other_organization):
    stranger_schedule = schedule_services.schedule_create(
        organization=other_organization, schedule_type="calendar", name="Theirs", time_zone="UTC"
    )
    client = signed_in(person("vera", Role.VIEWER))

    response = client.get(f"/hours/?{WEEK}&schedule_ids={stranger_schedule.public_id}")

    assert response.status_code == 400
    assert f"Unknown schedules: {stranger_schedule.public_id}" in response.content.decode()
    assert "Theirs" not in response.content.decode()


def test_signed_out_people_are_sent_to_sign_in(client):
    for path in ("/hours/", "/hours.csv"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/?next=")
