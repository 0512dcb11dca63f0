"""Upstream's page envelope (UPSTREAM-BEHAVIOUR §d.4) with DECISIONS D8 (perpage capped at 100)."""

import pytest

from tests.api.helpers import API, ids_of, page
from users.models import Team

pytestmark = pytest.mark.django_db

BASE_URL = "https://oncall.example.com"
TEAMS = f"{API}/teams/"
TEAMS_URL = f"{BASE_URL}{TEAMS}"
ENVELOPE_KEYS = [
    "count",
    "next",
    "previous",
    "results",
    "current_page_number",
    "page_size",
    "total_pages",
]


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE_URL


def make_teams(organization, count: int) -> list[str]:
    """`count` teams named T001…, in creation (= list) order; returns their ids."""
    teams = Team.objects.bulk_create(
        Team(organization=organization, grafana_id=n, name=f"T{n:03}") for n in range(1, count + 1)
    )
    return [team.public_id for team in teams]


@pytest.fixture
def five_teams(organization) -> list[str]:
    return make_teams(organization, 5)


def envelope(response) -> dict:
    """The envelope without `results`, which the tests check through `ids_of`."""
    assert response.status_code == 200
    return {key: value for key, value in response.json().items() if key != "results"}


def test_envelope_keys_in_order(api_client, five_teams):
    assert list(api_client.get(TEAMS).json()) == ENVELOPE_KEYS


@pytest.mark.parametrize(
    ("resource", "page_size"),
    [("schedules", 50), ("on_call_shifts", 50), ("teams", 50), ("users", 100), ("tokens", 50)],
)
def test_default_page_sizes(api_client, resource, page_size):
    assert api_client.get(f"{API}/{resource}/").json()["page_size"] == page_size


def test_empty_collection(api_client):
    response = api_client.get(TEAMS)

    assert response.json() == page([])


@pytest.mark.parametrize(
    ("query", "expected", "ids"),
    [
        (
            {"perpage": "2"},
            {"next": f"{TEAMS_URL}?page=2&perpage=2", "previous": None, "page": 1},
            slice(0, 2),
        ),
        (
            {"perpage": "2", "page": "2"},
            {
                "next": f"{TEAMS_URL}?page=3&perpage=2",
                "previous": f"{TEAMS_URL}?perpage=2",
                "page": 2,
            },
            slice(2, 4),
        ),
        (
            {"perpage": "2", "page": "3"},
            {"next": None, "previous": f"{TEAMS_URL}?page=2&perpage=2", "page": 3},
            slice(4, 5),
        ),
    ],
    ids=["first", "middle", "last"],
)
def test_page_links(api_client, five_teams, query, expected, ids):
    response = api_client.get(TEAMS, query)

    assert envelope(response) == {
        "count": 5,
        "next": expected["next"],
        "previous": expected["previous"],
        "current_page_number": expected["page"],
        "page_size": 2,
        "total_pages": 3,
    }
    assert ids_of(response) == five_teams[ids]


def test_links_keep_other_query_parameters(api_client, five_teams):
    response = api_client.get(f"{TEAMS}?zeta=1&perpage=1&page=3&alpha=x%20y&alpha=z")

    body = response.json()
    # Re-encoded in key order, as DRF's link helpers (which upstream uses) do.
    assert body["next"] == f"{TEAMS_URL}?alpha=x+y&alpha=z&page=4&perpage=1&zeta=1"
    assert body["previous"] == f"{TEAMS_URL}?alpha=x+y&alpha=z&page=2&perpage=1&zeta=1"


def test_previous_link_to_page_one_drops_page_only(api_client, five_teams):
    response = api_client.get(TEAMS, {"page": "2", "perpage": "4", "name": ""})

    assert response.json()["previous"] == f"{TEAMS_URL}?name=&perpage=4"


def test_previous_link_without_other_parameters_has_no_query(api_client, organization):
    make_teams(organization, 51)

    response = api_client.get(TEAMS, {"page": "2"})

    assert (response.json()["previous"], response.json()["next"]) == (TEAMS_URL, None)


def test_links_follow_the_request_path(api_client, five_teams):
    response = api_client.get(f"{API}/teams", {"perpage": "2"})

    assert response.json()["next"] == f"{BASE_URL}{API}/teams?page=2&perpage=2"


@pytest.mark.parametrize(
    ("page_param", "current"),
    [("abc", 1), ("0", 1), ("-1", 1), ("", 1), ("1.5", 1), ("2", 2), ("3", 3), ("4", 3), ("99", 3)],
    ids=["text", "zero", "negative", "empty", "float", "two", "last", "beyond", "far-beyond"],
)
def test_page_parameter(api_client, five_teams, page_param, current):
    response = api_client.get(TEAMS, {"perpage": "2", "page": page_param})

    assert response.status_code == 200
    assert response.json()["current_page_number"] == current
    assert ids_of(response) == five_teams[(current - 1) * 2 : current * 2]


@pytest.mark.parametrize(
    ("perpage", "page_size"),
    [("abc", 50), ("0", 50), ("-5", 50), ("", 50), ("1", 1), ("100", 100), ("101", 100)],
    ids=["text", "zero", "negative", "empty", "one", "max", "over-max"],
)
def test_perpage_parameter(api_client, organization, perpage, page_size):
    teams = make_teams(organization, 120)

    response = api_client.get(TEAMS, {"perpage": perpage})

    body = response.json()
    assert (body["page_size"], body["total_pages"]) == (page_size, -(-120 // page_size))
    assert ids_of(response) == teams[:page_size]


def test_perpage_over_the_cap_is_used_as_the_cap(api_client, organization):
    teams = make_teams(organization, 250)

    response = api_client.get(TEAMS, {"perpage": "500", "page": "3"})

    assert envelope(response) == {
        "count": 250,
        "next": None,
        "previous": f"{TEAMS_URL}?page=2&perpage=500",
        "current_page_number": 3,
        "page_size": 100,
        "total_pages": 3,
    }
    assert ids_of(response) == teams[200:]


def test_users_default_page_size_is_100(api_client, admin, make_user):
    users = [admin.public_id] + [make_user(f"user{n:03}").public_id for n in range(100)]

    first = api_client.get(f"{API}/users/")
    second = api_client.get(first.json()["next"].removeprefix(BASE_URL))

    assert (first.json()["total_pages"], ids_of(first)) == (2, users[:100])
    assert (second.json()["current_page_number"], ids_of(second)) == (2, users[100:])


def test_filters_apply_before_paging(api_client, five_teams):
    response = api_client.get(TEAMS, {"name": "T004", "perpage": "1"})

    assert envelope(response)["count"] == 1
    assert ids_of(response) == [five_teams[3]]
