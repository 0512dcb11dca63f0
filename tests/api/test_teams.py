"""`/api/v1/teams/`: upstream's read API (TEAM-01) and our management extension (DECISIONS §3)."""

import pytest

from tests.api.helpers import API, NO_PERMISSION, NOT_FOUND, PUBLIC_ID, ids_of, page
from users import services
from users.models import Role, Team

pytestmark = pytest.mark.django_db

TEAMS = f"{API}/teams/"


def team_url(public_id: str) -> str:
    return f"{TEAMS}{public_id}/"


@pytest.fixture
def sre(organization) -> Team:
    return services.team_create(
        organization=organization,
        name="SRE",
        email="sre@example.com",
        avatar_url="https://example.com/sre.png",
    )


@pytest.fixture
def sre_body(sre) -> dict:
    return {
        "id": sre.public_id,
        "grafana_id": 1,
        "name": "SRE",
        "email": "sre@example.com",
        "avatar_url": "https://example.com/sre.png",
    }


def test_list_teams(api_client, sre_body):
    response = api_client.get(TEAMS)

    assert response.status_code == 200
    assert response.json() == page([sre_body])


def test_get_team(api_client, sre, sre_body):
    response = api_client.get(team_url(sre.public_id))

    assert (response.status_code, response.json()) == (200, sre_body)


def test_viewers_read_teams(make_user, make_client, sre_body):
    response = make_client(make_user("viewer", Role.VIEWER)).get(TEAMS)

    assert response.json()["results"] == [sre_body]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("SRE", ["SRE"]), ("sre", []), ("SR", []), ("Platform", ["Platform"])],
    ids=["exact", "case-sensitive", "no-prefix-match", "other"],
)
def test_name_filter(api_client, organization, sre, name, expected):
    platform = services.team_create(organization=organization, name="Platform")
    by_name = {"SRE": sre.public_id, "Platform": platform.public_id}

    response = api_client.get(TEAMS, {"name": name})

    assert ids_of(response) == [by_name[team] for team in expected]


def test_team_of_another_organization_is_404(api_client, other_organization):
    foreign = services.team_create(organization=other_organization, name="SRE")

    response = api_client.get(team_url(foreign.public_id))

    assert (response.status_code, response.json()) == (404, NOT_FOUND)


# --- management extension ----------------------------------------------------------------------


def test_admin_creates_a_team(api_client, sre):
    response = api_client.post(TEAMS, {"name": "Platform", "email": "platform@example.com"})

    assert response.status_code == 201
    body = response.json()
    assert PUBLIC_ID.match(body["id"]) and body["id"].startswith("T")
    assert body == {
        "id": body["id"],
        "grafana_id": 2,
        "name": "Platform",
        "email": "platform@example.com",
        "avatar_url": "",
    }
    assert api_client.get(team_url(body["id"])).json() == body


def test_created_team_defaults(api_client):
    response = api_client.post(TEAMS, {"name": "Platform"})

    assert response.status_code == 201
    assert {key: response.json()[key] for key in ("grafana_id", "email", "avatar_url")} == {
        "grafana_id": 1,
        "email": None,
        "avatar_url": "",
    }


def test_grafana_id_cannot_be_chosen(api_client):
    response = api_client.post(TEAMS, {"name": "Platform", "grafana_id": 77})

    assert response.json()["grafana_id"] == 1


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"name": "SRE"}, {"name": ["A team with this name already exists."]}),
        ({}, {"name": ["This field is required."]}),
        ({"name": ""}, {"name": ["This field may not be blank."]}),
        ({"name": "x" * 201}, {"name": ["Ensure this field has no more than 200 characters."]}),
        (
            {"name": "Ops", "email": "nope"},
            {"email": ["Enter a valid email address."]},
        ),
    ],
    ids=["duplicate-name", "missing-name", "blank-name", "long-name", "invalid-email"],
)
def test_create_validation(api_client, sre, body, errors):
    response = api_client.post(TEAMS, body, format="json")

    assert (response.status_code, response.json()) == (400, errors)
    assert Team.objects.count() == 1


def test_name_may_repeat_across_organizations(api_client, other_organization):
    services.team_create(organization=other_organization, name="SRE")

    assert api_client.post(TEAMS, {"name": "SRE"}).status_code == 201


@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_is_partial(api_client, sre, sre_body, method):
    response = getattr(api_client, method)(team_url(sre.public_id), {"name": "Ops"})

    assert (response.status_code, response.json()) == (200, {**sre_body, "name": "Ops"})


@pytest.mark.parametrize(
    ("name", "expected_status"), [("SRE", 200), ("Platform", 400)], ids=["own", "taken"]
)
def test_rename_checks_uniqueness_against_others_only(
    api_client, organization, sre, name, expected_status
):
    services.team_create(organization=organization, name="Platform")

    response = api_client.patch(team_url(sre.public_id), {"name": name})

    assert response.status_code == expected_status


def test_delete_team_removes_memberships(api_client, sre, admin):
    admin.teams.set([sre])

    response = api_client.delete(team_url(sre.public_id))

    assert (response.status_code, response.content) == (204, b"")
    assert api_client.get(team_url(sre.public_id)).status_code == 404
    assert api_client.get(f"{API}/users/current/").json()["teams"] == []


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER], ids=["editor", "viewer"])
@pytest.mark.parametrize(
    ("method", "on_detail"),
    [("post", False), ("put", True), ("patch", True), ("delete", True)],
    ids=["post", "put", "patch", "delete"],
)
def test_non_admins_cannot_manage_teams(make_user, make_client, sre, role, method, on_detail):
    url = team_url(sre.public_id) if on_detail else TEAMS

    response = getattr(make_client(make_user("caller", role)), method)(url, {"name": "Hijacked"})

    assert (response.status_code, response.json()) == (403, NO_PERMISSION)
    assert list(Team.objects.values_list("name", flat=True)) == ["SRE"]
