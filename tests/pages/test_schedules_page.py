"""The schedules page: every schedule with its team, type, who is on call now and the next
handoff, filtered by team and name, in the viewer's zone."""

from datetime import UTC, datetime

import pytest
from freezegun import freeze_time

from tests.pages.schedules_table import table_rows
from users.models import Role

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 18, 12, tzinfo=UTC)


@pytest.fixture
def viewer(demo, person, signed_in):
    return signed_in(person("vera", Role.VIEWER))


@freeze_time(NOW)
def test_every_schedule_with_who_is_on_call_and_the_next_handoff(viewer):
    rows = table_rows(viewer.get("/schedules/").content.decode())

    assert rows == [
        ["Payments primary", "Payments", "Calendar", "noah", "Mon 23 Mar 09:00 → oliver"],
        ["Payments secondary", "Payments", "Calendar", "oliver", "Mon 23 Mar 09:00 → sofia"],
        ["Platform follow-the-sun", "Platform", "Calendar", "alice", "Wed 18 Mar 16:00 → bob"],
    ]


@freeze_time(NOW)
def test_times_are_in_the_viewers_zone(viewer):
    viewer.cookies["tz"] = "America/New_York"

    page = viewer.get("/schedules/").content.decode()

    assert "Times in America/New_York" in page
    assert table_rows(page)[2][4] == "Wed 18 Mar 12:00 → bob"
    assert table_rows(viewer.get("/schedules/?tz=Asia/Tokyo").content.decode())[2][4] == (
        "Thu 19 Mar 01:00 → bob"
    )


@freeze_time(NOW)
def test_a_gap_is_a_handoff_to_nobody(demo, person, signed_in):
    viewer = signed_in(person("vera", Role.VIEWER))
    with freeze_time(datetime(2026, 3, 25, 7, tzinfo=UTC)):
        rows = table_rows(viewer.get("/schedules/?name=sun").content.decode())

    assert rows == [
        ["Platform follow-the-sun", "Platform", "Calendar", "mia", "Wed 25 Mar 08:00 → nobody"]
    ]


@freeze_time(NOW)
@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("name=PAYMENTS", ["Payments primary", "Payments secondary"]),
        ("name=secondary", ["Payments secondary"]),
        ("team=none", []),
        ("name=zzz", []),
    ],
)
def test_filters(viewer, query, names):
    rows = table_rows(viewer.get(f"/schedules/?{query}").content.decode())

    assert [row[0] for row in rows if len(row) > 1] == names


@freeze_time(NOW)
def test_team_filter(demo, viewer):
    platform = demo.schedules["follow_the_sun"].team

    rows = table_rows(viewer.get(f"/schedules/?team={platform.public_id}").content.decode())

    assert [row[0] for row in rows] == ["Platform follow-the-sun"]


@freeze_time(NOW)
def test_only_the_users_organization(demo, person, signed_in, other_organization):
    outsider = signed_in(person("otto", Role.ADMIN, org=other_organization))

    page = outsider.get("/schedules/").content.decode()

    assert "Payments" not in page
    assert "No schedules match." in page
