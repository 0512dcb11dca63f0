"""`/api/v1/users/`: upstream's read API (USR-01..04) and our management extension (§3)."""

import pytest

from tests.api.helpers import API, NO_PERMISSION, NOT_FOUND, create_team, ids_of, page
from users.models import Role, User

pytestmark = pytest.mark.django_db

USERS = f"{API}/users/"
SHORT_KEYS = {"id", "grafana_id", "email", "username", "role", "is_phone_number_verified"}


def user_url(public_id: str) -> str:
    return f"{USERS}{public_id}/"


def expected_user(user: User, **overrides) -> dict:
    """The full representation of `user` as created by `make_user` with no extra fields."""
    return {
        "id": user.public_id,
        "grafana_id": user.grafana_id,
        "email": f"{user.username}@example.com",
        "slack": None,
        "username": user.username,
        "role": "admin",
        "is_phone_number_verified": False,
        "timezone": None,
        "teams": [],
        **overrides,
    }


@pytest.fixture
def alice(make_user) -> User:
    """An admin with a Slack identity and a time zone (USR-01)."""
    return make_user(
        "alice", slack_user_id="UALICE1", slack_team_id="TSLACK1", timezone="Europe/Paris"
    )


ALICE_EXTRA = {"slack": {"user_id": "UALICE1", "team_id": "TSLACK1"}, "timezone": "Europe/Paris"}


# --- USR-01..04 ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["{id}", "current"], ids=["by-id", "current"])
def test_get_user_and_current(alice, make_client, path):
    response = make_client(alice).get(user_url(path.format(id=alice.public_id)))

    assert response.status_code == 200
    assert response.json() == expected_user(alice, **ALICE_EXTRA)


def test_list_users(api_client, admin, alice, make_user, organization):
    team = create_team(organization, "SRE")
    bob = make_user("bob", Role.EDITOR, phone_number="+15550100")
    bob.teams.set(organization.teams.all())

    response = api_client.get(USERS)

    assert response.status_code == 200
    assert response.json() == page(
        [
            expected_user(admin),
            expected_user(alice, **ALICE_EXTRA),
            expected_user(bob, role="editor", is_phone_number_verified=True, teams=[team]),
        ],
        page_size=100,
    )


def test_short_list_has_the_slim_key_set(api_client, admin, alice):
    response = api_client.get(USERS, {"short": "true"})

    assert response.status_code == 200
    assert response.json()["results"] == [
        {key: value for key, value in expected_user(user).items() if key in SHORT_KEYS}
        for user in (admin, alice)
    ]


def test_short_other_than_true_gives_the_full_representation(api_client, admin):
    response = api_client.get(USERS, {"short": "false"})

    assert response.json()["results"] == [expected_user(admin)]


@pytest.mark.parametrize(
    ("role", "label"),
    [(Role.ADMIN, "admin"), (Role.EDITOR, "editor"), (Role.VIEWER, "viewer"), (Role.NONE, "none")],
    ids=["admin", "editor", "viewer", "none"],
)
def test_roles_are_rendered_by_name(api_client, make_user, role, label):
    user = make_user("someone", role)

    response = api_client.get(user_url(user.public_id))

    assert response.json()["role"] == label


def test_user_of_another_organization_is_404(api_client, make_user, other_organization):
    stranger = make_user("stranger", org=other_organization)

    response = api_client.get(user_url(stranger.public_id))

    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_inactive_users_are_invisible(api_client, admin, make_user):
    ghost = make_user("ghost", is_active=False)

    assert ids_of(api_client.get(USERS)) == [admin.public_id]
    assert api_client.get(user_url(ghost.public_id)).status_code == 404


# --- filters ---------------------------------------------------------------------------------


@pytest.fixture
def people(admin, make_user) -> dict[str, User]:
    """One user per role; the admin fixture is the fourth (role admin)."""
    return {
        "admin": admin,
        "Carol": make_user("Carol", Role.EDITOR, email="Carol.Smith@Example.com"),
        "dave": make_user("dave", Role.VIEWER),
        "erin": make_user("erin", Role.NONE),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"username": "carol"}, ["Carol"]),
        ({"username": "CAROL"}, ["Carol"]),
        ({"username": "car"}, []),
        ({"email": "carol.smith@example.com"}, ["Carol"]),
        ({"email": "CAROL.SMITH@EXAMPLE.COM"}, ["Carol"]),
        ({"email": "carol"}, []),
        ({"roles": "0"}, ["admin"]),
        ({"roles": "3"}, ["erin"]),
        ({"roles": ["1", "2"]}, ["Carol", "dave"]),
        ({"roles": ["0", "1", "2", "3"]}, ["admin", "Carol", "dave", "erin"]),
        ({"roles": "2", "username": "Dave"}, ["dave"]),
        ({"unknown": "x"}, ["admin", "Carol", "dave", "erin"]),
    ],
    ids=[
        "username-iexact",
        "username-upper",
        "username-no-prefix-match",
        "email-iexact",
        "email-upper",
        "email-no-partial-match",
        "role-admin",
        "role-none",
        "roles-repeated",
        "roles-all",
        "roles-and-username",
        "unknown-param-ignored",
    ],
)
def test_filters(api_client, people, query, expected):
    response = api_client.get(USERS, query)

    assert response.status_code == 200
    assert ids_of(response) == [people[name].public_id for name in expected]


def test_unknown_role_code_is_400(api_client):
    response = api_client.get(USERS, {"roles": "7"})

    assert (response.status_code, response.json()) == (
        400,
        {"roles": ["Select a valid choice. 7 is not one of the available choices."]},
    )


# --- management extension (DECISIONS §3) ------------------------------------------------------


def test_admin_creates_a_user(api_client, admin, organization):
    team = create_team(organization, "SRE")
    body = {
        "username": "frank",
        "email": "frank@example.com",
        "role": "viewer",
        "timezone": "America/Chicago",
        "teams": [team],
        "slack": {"user_id": "UFRANK1", "team_id": "TSLACK1"},
    }

    response = api_client.post(USERS, body, format="json")

    assert response.status_code == 201
    frank = User.objects.get(username="frank")
    expected = {
        "id": frank.public_id,
        "grafana_id": admin.grafana_id + 1,
        "email": "frank@example.com",
        "slack": {"user_id": "UFRANK1", "team_id": "TSLACK1"},
        "username": "frank",
        "role": "viewer",
        "is_phone_number_verified": False,
        "timezone": "America/Chicago",
        "teams": [team],
    }
    assert response.json() == expected
    assert api_client.get(user_url(frank.public_id)).json() == expected


def test_created_user_defaults(api_client):
    response = api_client.post(USERS, {"username": "gina", "email": "gina@example.com"})

    assert response.status_code == 201
    body = response.json()
    assert (body["role"], body["slack"], body["timezone"], body["teams"]) == (
        "editor",
        None,
        None,
        [],
    )


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"username": "admin"},
            {"username": ["A user with this username already exists."]},
        ),
        ({"role": "boss"}, {"role": ['"boss" is not a valid choice.']}),
        ({"role": 0}, {"role": ['"0" is not a valid choice.']}),
        ({"timezone": "Mars/Olympus"}, {"timezone": ["Invalid timezone"]}),
        ({"teams": ["TAAAAAAAAAAAA"]}, {"teams": ["Unknown team ids: TAAAAAAAAAAAA"]}),
        ({"email": "not-an-email"}, {"email": ["Enter a valid email address."]}),
        ({"username": ""}, {"username": ["This field may not be blank."]}),
        ({"username": None}, {"username": ["This field may not be null."]}),
    ],
    ids=[
        "duplicate-username",
        "invalid-role",
        "role-as-code",
        "invalid-timezone",
        "unknown-team",
        "invalid-email",
        "blank-username",
        "null-username",
    ],
)
def test_create_validation(api_client, body, errors):
    count = User.objects.count()

    response = api_client.post(
        USERS, {"username": "new", "email": "new@example.com", **body}, format="json"
    )

    assert (response.status_code, response.json()) == (400, errors)
    assert User.objects.count() == count


def test_create_requires_username_and_email(api_client):
    response = api_client.post(USERS, {}, format="json")

    assert (response.status_code, response.json()) == (
        400,
        {"username": ["This field is required."], "email": ["This field is required."]},
    )


def test_team_of_another_organization_is_unknown(api_client, other_organization):
    foreign_team = create_team(other_organization, "Theirs")

    response = api_client.post(
        USERS,
        {"username": "new", "email": "new@example.com", "teams": [foreign_team]},
        format="json",
    )

    assert (response.status_code, response.json()) == (
        400,
        {"teams": [f"Unknown team ids: {foreign_team}"]},
    )


def test_username_may_repeat_across_organizations(api_client, make_user, other_organization):
    make_user("frank", org=other_organization)

    response = api_client.post(USERS, {"username": "frank", "email": "frank@example.com"})

    assert response.status_code == 201


@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_is_partial(api_client, alice, method):
    response = getattr(api_client, method)(
        user_url(alice.public_id), {"role": "viewer"}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == expected_user(alice, role="viewer", **ALICE_EXTRA)


def test_update_replaces_teams_and_slack(api_client, alice, organization):
    old, new = create_team(organization, "Old"), create_team(organization, "New")
    alice.teams.set(organization.teams.filter(public_id=old))

    response = api_client.patch(
        user_url(alice.public_id), {"teams": [new], "slack": None}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == expected_user(alice, teams=[new], slack=None, timezone="Europe/Paris")


@pytest.mark.parametrize(
    ("username", "expected_status"),
    [("alice", 200), ("admin", 400)],
    ids=["own-name", "taken-name"],
)
def test_rename_checks_uniqueness_against_others_only(api_client, alice, username, expected_status):
    response = api_client.patch(user_url(alice.public_id), {"username": username})

    assert response.status_code == expected_status


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"timezone": "Nowhere"}, {"timezone": ["Invalid timezone"]}),
        ({"role": "root"}, {"role": ['"root" is not a valid choice.']}),
        ({"teams": ["TAAAAAAAAAAAA"]}, {"teams": ["Unknown team ids: TAAAAAAAAAAAA"]}),
    ],
    ids=["timezone", "role", "teams"],
)
def test_update_validation(api_client, alice, body, errors):
    response = api_client.patch(user_url(alice.public_id), body, format="json")

    assert (response.status_code, response.json()) == (400, errors)
    alice.refresh_from_db()
    assert (alice.timezone, alice.role) == ("Europe/Paris", Role.ADMIN)


def test_delete_user(api_client, alice, make_client):
    alice_client = make_client(alice)

    response = api_client.delete(user_url(alice.public_id))

    assert (response.status_code, response.content) == (204, b"")
    assert api_client.get(user_url(alice.public_id)).status_code == 404
    # Its tokens go with it.
    assert alice_client.get(USERS).status_code == 403


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER], ids=["editor", "viewer"])
@pytest.mark.parametrize(
    ("method", "on_detail"),
    [("post", False), ("put", True), ("patch", True), ("delete", True)],
    ids=["post", "put", "patch", "delete"],
)
def test_non_admins_cannot_manage_users(make_user, make_client, alice, role, method, on_detail):
    caller = make_user("caller", role)
    url = user_url(alice.public_id) if on_detail else USERS
    body = {"username": "x", "email": "x@example.com", "role": "admin"}

    response = getattr(make_client(caller), method)(url, body, format="json")

    assert (response.status_code, response.json()) == (403, NO_PERMISSION)
    alice.refresh_from_db()
    assert (alice.username, alice.role, User.objects.count()) == ("alice", Role.ADMIN, 2)
