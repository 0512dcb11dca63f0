"""`/api/v1/schedules/` CRUD: upstream's shapes, rules and the request quirks real clients send."""

import pytest

from schedules.models import Schedule
from shifts.models import OnCallShift
from tests.integrations.stalling import STALLING_HOST, stalling_resolver
from users.models import Role

pytestmark = pytest.mark.django_db

CALENDAR_ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n"
NO_SLACK = {"channel_id": None, "user_group_id": None}


@pytest.fixture
def ical_url(httpserver):
    httpserver.expect_request("/primary.ics").respond_with_data(
        CALENDAR_ICS, content_type="text/calendar"
    )
    return httpserver.url_for("/primary.ics")


@pytest.fixture
def shift(api_client) -> dict:
    return make_shift(api_client, "single_event")


def make_shift(api_client, shift_type: str, **fields) -> dict:
    body = {"type": shift_type, "start": "2025-01-06T09:00:00", "duration": 3600, **fields}
    response = api_client.post("/api/v1/on_call_shifts/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def create(api_client, **body) -> dict:
    response = api_client.post("/api/v1/schedules/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def expected_calendar(schedule_id: str, **overrides) -> dict:
    return {
        "id": schedule_id,
        "team_id": None,
        "name": "schedule test name",
        "type": "calendar",
        "time_zone": "Europe/Moscow",
        "on_call_now": [],
        "shifts": [],
        "slack": NO_SLACK,
        "ical_url_overrides": None,
        "enable_web_overrides": False,
        **overrides,
    }


def test_create_calendar_schedule(api_client):
    body = create(
        api_client,
        team_id=None,
        name="schedule test name",
        time_zone="Europe/Moscow",
        type="calendar",
    )
    assert body["id"].startswith("S") and len(body["id"]) == 13
    assert body == expected_calendar(body["id"])
    response = api_client.get(f"/api/v1/schedules/{body['id']}/")
    assert response.json() == body


def test_create_calendar_schedule_with_team_and_shifts(api_client, admin, shift):
    team = api_client.post("/api/v1/teams/", {"name": "sre"}, format="json").json()
    body = create(
        api_client,
        team_id=team["id"],
        name="schedule test name",
        time_zone="Europe/Moscow",
        type="calendar",
        shifts=[shift["id"], "ONOSUCHSHIFT1"],
    )
    assert body == expected_calendar(body["id"], team_id=team["id"], shifts=[shift["id"]])
    linked = api_client.get(f"/api/v1/on_call_shifts/{shift['id']}/").json()
    assert linked["schedule"] == body["id"]


def test_create_web_schedule_exact_keys(api_client):
    body = create(api_client, name="web", type="web", time_zone="UTC", team_id=None)
    assert body == {
        "id": body["id"],
        "team_id": None,
        "name": "web",
        "type": "web",
        "time_zone": "UTC",
        "on_call_now": [],
        "shifts": [],
        "slack": NO_SLACK,
    }


def test_create_ical_schedule_fetches_the_url(api_client, ical_url, httpserver):
    body = create(api_client, name="ical", type="ical", ical_url_primary=ical_url, team_id=None)
    assert body == {
        "id": body["id"],
        "team_id": None,
        "name": "ical",
        "type": "ical",
        "ical_url_primary": ical_url,
        "ical_url_overrides": None,
        "on_call_now": [],
        "slack": NO_SLACK,
    }
    assert len(httpserver.log) == 1


def test_schedule_names_are_not_unique(api_client):
    for _ in range(2):
        create(api_client, name="same-name", type="web", time_zone="UTC")
    assert Schedule.objects.filter(name="same-name").count() == 2


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"name": "x", "time_zone": "UTC"}, {"type": "This field is required"}),
        ({"name": "x", "type": "weekly", "time_zone": "UTC"}, {"type": "Invalid type"}),
        (
            {"name": "x", "type": "calendar", "time_zone": "Mars/Olympus"},
            {"time_zone": ["Invalid timezone"]},
        ),
        (
            {"name": "x", "type": "web", "time_zone": "asdfasdf"},
            {"time_zone": ["Invalid timezone"]},
        ),
        ({"name": "x", "type": "web"}, {"time_zone": ["This field is required."]}),
        ({"name": "x", "type": "ical"}, {"ical_url_primary": ["This field is required."]}),
        (
            {"name": "x", "type": "ical", "ical_url_primary": None},
            {"ical_url_primary": ["This field may not be null."]},
        ),
        ({"type": "calendar", "time_zone": "UTC"}, {"name": ["This field is required."]}),
        (
            {"name": "", "type": "calendar", "time_zone": "UTC"},
            {"name": ["This field may not be blank."]},
        ),
        (
            {"name": "x" * 201, "type": "calendar", "time_zone": "UTC"},
            {"name": ["Ensure this field has no more than 200 characters."]},
        ),
        (
            {"name": "x", "type": "calendar", "time_zone": "UTC", "team_id": "TNOSUCHTEAM12"},
            {"team_id": ["Object does not exist"]},
        ),
        (
            {"name": "x", "type": "calendar", "time_zone": "UTC", "slack": None},
            {"slack": ["This field may not be null."]},
        ),
    ],
    ids=[
        "missing-type",
        "unknown-type",
        "calendar-bad-zone",
        "web-bad-zone",
        "web-missing-zone",
        "ical-missing-url",
        "ical-null-url",
        "missing-name",
        "blank-name",
        "long-name",
        "unknown-team",
        "null-slack",
    ],
)
def test_create_rejects(api_client, body, expected):
    response = api_client.post("/api/v1/schedules/", body, format="json")
    assert (response.status_code, response.json()) == (400, expected)
    assert not Schedule.objects.exists()


@pytest.mark.parametrize(
    ("respond", "message"),
    [
        ({"response_data": "not a calendar"}, "Ical parse failed"),
        ({"response_data": "gone", "status": 404}, "Ical download failed"),
    ],
    ids=["parse", "download"],
)
def test_create_ical_schedule_with_a_bad_feed(api_client, httpserver, respond, message):
    httpserver.expect_request("/feed.ics").respond_with_data(**respond)
    body = {"name": "x", "type": "ical", "ical_url_primary": httpserver.url_for("/feed.ics")}
    response = api_client.post("/api/v1/schedules/", body, format="json")
    assert (response.status_code, response.json()) == (400, {"ical_url_primary": [message]})


def test_create_ical_schedule_unreachable_host(api_client):
    body = {"name": "x", "type": "ical", "ical_url_primary": "http://127.0.0.1:9/none.ics"}
    response = api_client.post("/api/v1/schedules/", body, format="json")
    assert response.json() == {"ical_url_primary": ["Ical download failed"]}


def test_create_ical_schedule_whose_host_never_resolves(api_client, settings, monkeypatch):
    """The resolver never answers: the request answers 400 at the download's deadline."""
    settings.HTTP_TIMEOUT = 1.0
    body = {"name": "x", "type": "ical", "ical_url_primary": f"http://{STALLING_HOST}/cal.ics"}
    with stalling_resolver(monkeypatch) as resolver:
        response = api_client.post("/api/v1/schedules/", body, format="json")
        assert resolver.stalled == 1
    assert (response.status_code, response.json()) == (
        400,
        {"ical_url_primary": ["Ical download failed"]},
    )


def test_create_ical_schedule_self_reference(api_client, settings):
    settings.BASE_URL = "https://oncall.example.com"
    body = {
        "name": "x",
        "type": "ical",
        "ical_url_primary": "https://oncall.example.com/api/v1/schedules/S1/export",
    }
    response = api_client.post("/api/v1/schedules/", body, format="json")
    assert response.json() == {"ical_url_primary": ["Potential self-reference"]}


def test_calendar_schedule_refuses_override_shifts(api_client):
    override = make_shift(api_client, "override", users=[])
    body = {"name": "x", "type": "calendar", "time_zone": "UTC", "shifts": [override["id"]]}
    response = api_client.post("/api/v1/schedules/", body, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "Shifts of type override are not supported in this schedule"},
    )


def test_calendar_schedule_with_web_overrides_accepts_override_shifts(api_client):
    """DECISIONS D5: override shifts become the override layer of such a schedule."""
    override = make_shift(api_client, "override", users=[])
    body = create(
        api_client,
        name="x",
        type="calendar",
        time_zone="UTC",
        enable_web_overrides=True,
        shifts=[override["id"]],
    )
    assert (body["shifts"], body["enable_web_overrides"]) == ([override["id"]], True)


@pytest.fixture
def calendar(api_client) -> dict:
    return create(api_client, name="schedule test name", type="calendar", time_zone="UTC")


def put(api_client, schedule_id: str, body: dict, status: int = 200) -> dict:
    response = api_client.put(f"/api/v1/schedules/{schedule_id}/", body, format="json")
    assert response.status_code == status, response.json()
    return response.json()


def test_update_calendar_schedule(api_client, calendar):
    body = put(api_client, calendar["id"], {"name": "RENAMED", "time_zone": "Europe/Moscow"})
    assert body == expected_calendar(calendar["id"], name="RENAMED")


@pytest.mark.parametrize(
    ("update", "changed"),
    [
        ({"enable_web_overrides": True}, {"enable_web_overrides": True}),
        (
            {"ical_url_overrides": "https://some.calendar.url"},
            {"ical_url_overrides": "https://some.calendar.url"},
        ),
        ({"enable_web_overrides": None}, {}),
        ({"slack": {}}, {}),
        ({"slack": {"channel_id": "C1"}}, {"slack": {"channel_id": "C1", "user_group_id": None}}),
        ({"type": "web"}, {}),
    ],
    ids=[
        "web-overrides",
        "overrides-url",
        "null-web-overrides",
        "empty-slack",
        "slack-channel",
        "type-ignored",
    ],
)
def test_update_is_partial(api_client, calendar, update, changed):
    assert put(api_client, calendar["id"], update) == {**calendar, **changed}


def test_update_calendar_schedule_shifts_replace_the_set(api_client, calendar, shift):
    other = make_shift(api_client, "single_event")
    assert put(api_client, calendar["id"], {"shifts": [shift["id"], other["id"]]})["shifts"] == [
        shift["id"],
        other["id"],
    ]
    assert put(api_client, calendar["id"], {"shifts": [other["id"]]})["shifts"] == [other["id"]]
    assert put(api_client, calendar["id"], {"shifts": None})["shifts"] == []


def test_update_calendar_schedule_refuses_override(api_client, calendar):
    override = make_shift(api_client, "override", users=[])
    body = put(api_client, calendar["id"], {"shifts": [override["id"]]}, status=400)
    assert body == {"detail": "Shifts of type override are not supported in this schedule"}


def test_update_web_schedule_is_allowed(api_client, shift):
    """DECISIONS D6: upstream refuses web schedule updates; we treat them like calendar ones."""
    web = create(api_client, name="web", type="web", time_zone="UTC")
    override = make_shift(api_client, "override", users=[], source=0)
    body = put(
        api_client,
        web["id"],
        {"name": "RENAMED", "time_zone": "Europe/Moscow", "shifts": [shift["id"], override["id"]]},
    )
    assert body == {
        **web,
        "name": "RENAMED",
        "time_zone": "Europe/Moscow",
        "shifts": [shift["id"], override["id"]],
    }
    body = put(api_client, web["id"], {"shifts": [override["id"]]})
    assert body["shifts"] == [override["id"]]
    assert OnCallShift.objects.get(public_id=shift["id"]).schedule is None


@pytest.mark.parametrize("schedule_type", ["web", "calendar"])
def test_update_invalid_time_zone(api_client, schedule_type):
    schedule = create(api_client, name="x", type=schedule_type, time_zone="UTC")
    body = put(api_client, schedule["id"], {"time_zone": "asdfasdf"}, status=400)
    assert body == {"time_zone": ["Invalid timezone"]}


def test_update_ical_schedule_name_does_not_refetch(api_client, ical_url, httpserver):
    schedule = create(api_client, name="ical", type="ical", ical_url_primary=ical_url)
    assert put(api_client, schedule["id"], {"name": "RENAMED"})["name"] == "RENAMED"
    assert len(httpserver.log) == 1


def test_delete_calendar_schedule_keeps_linked_shifts(api_client, calendar, shift):
    put(api_client, calendar["id"], {"shifts": [shift["id"]]})
    response = api_client.delete(f"/api/v1/schedules/{calendar['id']}/")
    assert response.status_code == 204
    assert not Schedule.objects.exists()
    assert OnCallShift.objects.filter(public_id=shift["id"]).exists()


def test_delete_web_schedule_deletes_owned_shifts(api_client, shift):
    web = create(api_client, name="web", type="web", time_zone="UTC", shifts=[shift["id"]])
    assert api_client.delete(f"/api/v1/schedules/{web['id']}").status_code == 204
    assert not OnCallShift.objects.exists()


def test_list_in_creation_order_with_filters(api_client, calendar):
    team = api_client.post("/api/v1/teams/", {"name": "sre"}, format="json").json()
    web = create(api_client, name="web", type="web", time_zone="UTC", team_id=team["id"])

    def listed(query: str = "") -> list[str]:
        response = api_client.get(f"/api/v1/schedules/{query}")
        assert response.status_code == 200
        return [item["id"] for item in response.json()["results"]]

    assert listed() == [calendar["id"], web["id"]]
    assert listed("?name=web") == [web["id"]]
    assert listed("?name=WEB") == []
    assert listed(f"?team_id={team['id']}") == [web["id"]]
    assert listed("?team_id=null") == [calendar["id"]]
    assert listed("?team_id=TNOSUCHTEAM12") == []


def test_list_envelope(api_client, calendar):
    assert api_client.get("/api/v1/schedules/").json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [calendar],
        "current_page_number": 1,
        "page_size": 50,
        "total_pages": 1,
    }


def test_slack_ids_upper_cased_when_a_workspace_is_connected(api_client, organization):
    organization.slack_team_id = "T0WORKSPACE"
    organization.save()
    body = create(
        api_client,
        name="x",
        type="calendar",
        time_zone="UTC",
        slack={"channel_id": "c0abc", "user_group_id": "s0grp"},
    )
    assert body["slack"] == {"channel_id": "C0ABC", "user_group_id": "S0GRP"}


def test_slack_ids_kept_as_given_without_a_workspace(api_client):
    body = create(
        api_client, name="x", type="calendar", time_zone="UTC", slack={"channel_id": "c0abc"}
    )
    assert body["slack"] == {"channel_id": "c0abc", "user_group_id": None}


class TestClientQuirks:
    """DECISIONS §4: bodies sent by the Terraform provider, migrators and scripts."""

    def test_terraform_calendar_body(self, api_client, shift):
        body = create(
            api_client,
            name="tf",
            type="calendar",
            team_id="",
            time_zone="UTC",
            slack={"channel_id": None, "user_group_id": None},
            ical_url_primary=None,
            ical_url_overrides=None,
            enable_web_overrides=False,
            shifts=[shift["id"]],
        )
        assert body == {
            **expected_calendar(body["id"], name="tf", time_zone="UTC"),
            "shifts": [shift["id"]],
        }

    def test_team_id_string_null(self, api_client):
        assert (
            create(api_client, name="x", type="web", time_zone="UTC", team_id="null")["team_id"]
            is None
        )

    def test_shifts_null(self, api_client):
        assert (
            create(api_client, name="x", type="calendar", time_zone="UTC", shifts=None)["shifts"]
            == []
        )

    def test_migrator_web_schedule_with_shifts_and_overrides(self, api_client, make_user):
        alice = make_user("alice")
        rotation = make_shift(
            api_client,
            "rolling_users",
            frequency="daily",
            rolling_users=[[alice.public_id]],
            start_rotation_from_user_index=0,
            source=0,
        )
        override = make_shift(api_client, "override", users=[alice.public_id], source=0)
        body = create(
            api_client,
            name="migrated",
            type="web",
            time_zone="UTC",
            shifts=[rotation["id"], override["id"]],
        )
        assert body["shifts"] == [rotation["id"], override["id"]]
        assert (
            api_client.get(f"/api/v1/on_call_shifts/{override['id']}").json()["schedule"]
            == body["id"]
        )

    def test_update_body_without_type(self, api_client, calendar):
        assert put(api_client, calendar["id"], {"name": "renamed"})["type"] == "calendar"

    @pytest.mark.parametrize("schedule_type", ["calendar", "web", "ical"])
    def test_get_representation_sent_back_as_put_body(
        self, api_client, ical_url, shift, schedule_type
    ):
        fields = {"ical": {"ical_url_primary": ical_url}}.get(
            schedule_type, {"time_zone": "Europe/Berlin", "shifts": [shift["id"]]}
        )
        schedule = create(api_client, name="round trip", type=schedule_type, **fields)
        body = {key: value for key, value in schedule.items() if key not in ("id", "on_call_now")}
        assert put(api_client, schedule["id"], body) == schedule


def test_viewer_cannot_write(make_user, make_client, calendar):
    viewer = make_client(make_user("viewer", Role.VIEWER))
    assert viewer.get(f"/api/v1/schedules/{calendar['id']}").status_code == 200
    response = viewer.put(f"/api/v1/schedules/{calendar['id']}", {"name": "x"}, format="json")
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "You do not have permission to perform this action."},
    )


def test_editor_writes_schedules(make_user, make_client):
    editor = make_client(make_user("editor", Role.EDITOR))
    body = {"name": "x", "type": "web", "time_zone": "UTC"}
    assert editor.post("/api/v1/schedules/", body, format="json").status_code == 201
