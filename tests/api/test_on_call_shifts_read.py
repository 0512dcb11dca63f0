"""`GET` and `DELETE` on `/api/v1/on_call_shifts/`: UPSTREAM-CASES OCS-01…04 and OCS-16, list
filters and pagination, delete of web-owned shifts (§c.7), roles and organization scoping."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from freezegun import freeze_time

from schedules import shift_services
from tests.api import shift_helpers as h
from tests.api.helpers import NO_PERMISSION, NOT_FOUND, ids_of, page
from users import services as user_services
from users.models import Role

pytestmark = pytest.mark.django_db


def test_list_and_filter_by_web_schedule(api_client, organization, admin):  # OCS-01
    first, second = (
        h.create_shift(api_client, duration=7200, users=[admin.public_id])["id"] for _ in "12"
    )
    schedule = h.make_schedule(organization, "web", first, name="S1")
    h.make_schedule(organization, "web", second, name="S2")

    everything = api_client.get(h.SHIFTS_URL)
    filtered = api_client.get(h.SHIFTS_URL, {"schedule_id": schedule.public_id})

    assert (everything.status_code, ids_of(everything)) == (200, [first, second])
    assert (filtered.status_code, ids_of(filtered)) == (200, [first])


def test_get_single_event_linked_to_a_calendar_schedule(api_client, organization, admin):  # OCS-02
    shift_id = h.create_shift(api_client, name="day", duration=7200, users=[admin.public_id])["id"]
    schedule = h.make_schedule(organization, "calendar", shift_id)

    response = api_client.get(h.shift_url(shift_id))

    assert response.status_code == 200
    assert response.json() == {
        "id": shift_id,
        "team_id": None,
        "schedule": schedule.public_id,
        "name": "day",
        "type": "single_event",
        "time_zone": None,
        "level": 0,
        "start": h.T0,
        "rotation_start": h.T0,
        "duration": 7200,
        "users": [admin.public_id],
    }


@pytest.mark.parametrize(
    ("schedule_type", "fields", "source"),
    [
        ("web", {}, 1),  # OCS-03
        ("calendar", {"enable_web_overrides": True}, 0),  # OCS-04
    ],
    ids=["OCS-03 override of a web schedule", "OCS-04 web-source override of a calendar"],
)
def test_get_override(api_client, organization, admin, schedule_type, fields, source):
    shift_id = h.create_shift(
        api_client, "override", name="cover", duration=32400, users=[admin.public_id], source=source
    )["id"]
    schedule = h.make_schedule(organization, schedule_type, shift_id, **fields)

    response = api_client.get(h.shift_url(shift_id))

    assert response.status_code == 200
    assert response.json() == {
        "id": shift_id,
        "team_id": None,
        "schedule": schedule.public_id,
        "name": "cover",
        "type": "override",
        "time_zone": None,
        "start": h.T0,
        "rotation_start": h.T0,
        "duration": 32400,
        "users": [admin.public_id],
    }


def test_schedule_is_null_free_else_owner_or_first_linked_calendar(api_client, organization):
    free, linked, owned = (h.create_shift(api_client, name=name)["id"] for name in "abc")
    first = h.make_schedule(organization, "calendar", linked, name="first")
    h.make_schedule(organization, "calendar", linked, name="second")
    web = h.make_schedule(organization, "web", owned)

    schedules = {
        shift_id: api_client.get(h.shift_url(shift_id)).json()["schedule"]
        for shift_id in (free, linked, owned)
    }

    assert schedules == {free: None, linked: first.public_id, owned: web.public_id}


@pytest.mark.parametrize("path", ["/api/v1/on_call_shifts", "/api/v1/on_call_shifts/"])
def test_routes_answer_with_and_without_trailing_slash(api_client, path):
    shift = h.create_shift(api_client)

    listed = api_client.get(path)
    detail = api_client.get(f"{path.rstrip('/')}/{shift['id']}")

    assert (listed.status_code, listed.json()) == (200, page([shift]))
    assert (detail.status_code, detail.json()) == (200, shift)


@pytest.fixture
def catalogue(api_client, organization):
    """Shifts spread over schedules and teams; returns ids by name and the objects used."""
    team = user_services.team_create(organization=organization, name="SRE")
    other_team = user_services.team_create(organization=organization, name="DB")
    ids = {
        name: h.create_shift(api_client, name=name, team_id=team_id)["id"]
        for name, team_id in [
            ("shared", team.public_id),
            ("Day", None),
            ("day", other_team.public_id),
            ("owned", None),
            ("free", team.public_id),
        ]
    }
    # "shared" is linked to two calendars: it must still be listed once (DECISIONS D7).
    calendar = h.make_schedule(organization, "calendar", ids["shared"], ids["day"], name="cal")
    h.make_schedule(organization, "calendar", ids["shared"], name="cal2")
    web = h.make_schedule(organization, "web", ids["owned"], name="web")
    return {"ids": ids, "calendar": calendar, "web": web, "team": team, "other_team": other_team}


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({}, ["shared", "Day", "day", "owned", "free"]),
        ({"name": "day"}, ["day"]),
        ({"name": "Day"}, ["Day"]),
        ({"name": "da"}, []),
        ({"schedule_id": "calendar"}, ["shared", "day"]),
        ({"schedule_id": "web"}, ["owned"]),
        ({"schedule_id": "SNOSUCHSCHED1"}, []),
        ({"team_id": "team"}, ["shared", "free"]),
        ({"team_id": "other_team"}, ["day"]),
        ({"team_id": "null"}, ["Day", "owned"]),
        ({"team_id": "TNOSUCHTEAM12"}, []),
        ({"team_id": "team", "schedule_id": "calendar"}, ["shared"]),
        ({"unknown": "x"}, ["shared", "Day", "day", "owned", "free"]),
    ],
    ids=lambda value: str(value) if isinstance(value, dict) else None,
)
def test_list_filters_each_shift_once_in_creation_order(api_client, catalogue, query, names):
    # Filters name objects of the catalogue by their fixture key; replace them with real ids.
    params = {
        key: catalogue[value].public_id if value in catalogue else value
        for key, value in query.items()
    }

    response = api_client.get(h.SHIFTS_URL, params)

    assert response.status_code == 200
    assert ids_of(response) == [catalogue["ids"][name] for name in names]
    assert response.json()["count"] == len(names)


def test_list_pages_of_fifty(api_client, organization):
    for index in range(51):
        shift_services.on_call_shift_create(
            organization=organization,
            name=f"s{index}",
            type="single_event",
            start=datetime(2024, 5, 6, tzinfo=UTC),
            duration=timedelta(hours=1),
        )
    all_ids = list(h.OnCallShift.objects.order_by("id").values_list("public_id", flat=True))
    base = f"{settings.BASE_URL}/api/v1/on_call_shifts/"

    first = api_client.get(h.SHIFTS_URL).json()
    last = api_client.get(h.SHIFTS_URL, {"page": 2}).json()

    assert {**first, "results": [shift["id"] for shift in first["results"]]} == {
        "count": 51,
        "next": f"{base}?page=2",
        "previous": None,
        "results": all_ids[:50],
        "current_page_number": 1,
        "page_size": 50,
        "total_pages": 2,
    }
    assert {**last, "results": [shift["id"] for shift in last["results"]]} == {
        "count": 51,
        "next": None,
        "previous": base,
        "results": all_ids[50:],
        "current_page_number": 2,
        "page_size": 50,
        "total_pages": 2,
    }


def test_empty_list(api_client):
    response = api_client.get(h.SHIFTS_URL)

    assert (response.status_code, response.json()) == (200, page([]))


def test_delete_free_shift(api_client):  # OCS-16
    shift_id = h.create_shift(api_client)["id"]

    response = api_client.delete(h.shift_url(shift_id))

    assert (response.status_code, response.content) == (204, b"")
    assert api_client.get(h.shift_url(shift_id)).status_code == 404
    assert not h.OnCallShift.objects.filter(public_id=shift_id).exists()


NOW = "2024-05-06T12:00:00"


@pytest.mark.parametrize(
    ("shift_type", "fields", "owner"),
    [
        ("single_event", {"start": "2024-05-06T12:00:01"}, "web"),
        ("recurrent_event", {"start": "2024-05-06T13:30:00", "time_zone": "UTC"}, "web"),
        ("single_event", {"start": "2024-05-01T00:00:00"}, "calendar"),
        ("single_event", {"start": "2024-05-01T00:00:00"}, None),
    ],
    ids=["web, starts in a second", "web, starts later", "calendar, started", "free, started"],
)
@freeze_time(NOW)
def test_delete_removes_a_shift_that_is_not_a_started_web_shift(
    api_client, organization, shift_type, fields, owner
):
    shift_id = h.create_shift(api_client, shift_type, **fields)["id"]
    if owner:
        h.make_schedule(organization, owner, shift_id)

    response = api_client.delete(h.shift_url(shift_id))

    assert response.status_code == 204
    assert (api_client.get(h.shift_url(shift_id)).json()) == NOT_FOUND


@pytest.mark.parametrize(
    ("shift_type", "fields", "changed"),
    [
        ("recurrent_event", {"start": "2024-05-01T09:00:00"}, {"until": NOW}),
        ("recurrent_event", {"start": NOW}, {"until": NOW}),
        (
            # 13:30 in Berlin (UTC+2) is 11:30 UTC: already started at 12:00 UTC.
            "rolling_users",
            {"start": "2024-05-06T13:30:00", "time_zone": "Europe/Berlin"},
            {"until": NOW},
        ),
        (
            "override",
            {"start": "2024-05-06T10:30:00", "duration": 3 * 3600},
            {"duration": 5400},
        ),
        (
            "override",
            {"start": "2024-05-06T10:30:00", "duration": 3600},
            {},
        ),
    ],
    ids=[
        "recurrent",
        "starts now",
        "zoned rolling",
        "running override shortened",
        "past override kept",
    ],
)
@freeze_time(NOW)
def test_delete_only_ends_a_started_web_shift(
    api_client, organization, admin, shift_type, fields, changed
):
    shift = h.create_shift(api_client, shift_type, rolling_users=[[admin.public_id]], **fields)
    schedule = h.make_schedule(organization, "web", shift["id"])
    before = api_client.get(h.shift_url(shift["id"])).json()

    response = api_client.delete(h.shift_url(shift["id"]))

    assert response.status_code == 204
    after = api_client.get(h.shift_url(shift["id"]))
    assert (after.status_code, after.json()) == (200, {**before, **changed})
    assert before["schedule"] == schedule.public_id
    if shift_type == "override":
        assert h.stored_values(shift["id"], "until") == {"until": NOW}


@pytest.fixture
def viewer_client(make_user, make_client):
    return make_client(make_user("viewer", Role.VIEWER))


WRITES = [
    ("post", lambda shift_id: h.SHIFTS_URL),
    ("put", h.shift_url),
    ("patch", h.shift_url),
    ("delete", h.shift_url),
]


def test_viewer_reads(api_client, viewer_client):
    shift = h.create_shift(api_client)

    assert viewer_client.get(h.SHIFTS_URL).json() == page([shift])
    assert viewer_client.get(h.shift_url(shift["id"])).json() == shift


@pytest.mark.parametrize(("method", "url"), WRITES, ids=[method for method, _ in WRITES])
@pytest.mark.parametrize("target", ["existing", "unknown"])
def test_viewer_cannot_write(api_client, viewer_client, method, url, target):
    shift = h.create_shift(api_client)
    shift_id = shift["id"] if target == "existing" else "ONOSUCHSHIFT1"

    response = getattr(viewer_client, method)(
        url(shift_id), h.shift_body("single_event", name="x"), format="json"
    )

    assert (response.status_code, response.json()) == (403, NO_PERMISSION)
    assert api_client.get(h.SHIFTS_URL).json() == page([shift])


def test_editor_writes(make_user, make_client):
    editor = make_client(make_user("editor", Role.EDITOR))

    shift = h.create_shift(editor, name="mine")
    renamed = editor.put(h.shift_url(shift["id"]), {"name": "ours"}, format="json")
    deleted = editor.delete(h.shift_url(shift["id"]))

    assert (renamed.status_code, renamed.json()["name"]) == (200, "ours")
    assert deleted.status_code == 204


def test_role_none_cannot_read(make_user, make_client):
    nobody = make_client(make_user("nobody", Role.NONE))

    response = nobody.get(h.SHIFTS_URL)

    assert (response.status_code, response.json()) == (403, NO_PERMISSION)


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_shift_of_another_organization_is_not_found(
    api_client, make_user, make_client, other_organization, method
):
    foreign_client = make_client(make_user("foreigner", org=other_organization))
    foreign = h.create_shift(foreign_client, name="theirs")

    response = getattr(api_client, method)(
        h.shift_url(foreign["id"]), {"name": "hijacked"}, format="json"
    )

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert foreign_client.get(h.shift_url(foreign["id"])).json() == foreign
    assert api_client.get(h.SHIFTS_URL).json() == page([])
