"""API tokens (DECISIONS §3): `/api/v1/tokens/`, hashed storage and `manage.py bootstrap`."""

import hashlib
import re
from io import StringIO

import pytest
from django.core.management import call_command
from freezegun import freeze_time
from rest_framework.test import APIClient

from tests.api.helpers import API, INVALID_TOKEN, NO_PERMISSION, NOT_FOUND, PUBLIC_ID, page
from users.models import ApiToken, Organization, Role, User

pytestmark = pytest.mark.django_db

TOKENS = f"{API}/tokens/"
TOKEN_VALUE = re.compile(r"^[0-9a-f]{64}$")
NOW = "2024-05-06T07:08:09Z"


def token_client(value: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=value)
    return client


def current_user_id(value: str) -> str | None:
    response = token_client(value).get(f"{API}/users/current/")
    return response.json()["id"] if response.status_code == 200 else None


@pytest.fixture
def bob(make_user) -> User:
    return make_user("bob", Role.EDITOR)


@pytest.fixture
def created(api_client, bob) -> dict:
    """The answer to creating a token for bob, at a pinned instant."""
    with freeze_time(NOW):
        response = api_client.post(TOKENS, {"name": "ci", "user_id": bob.public_id})
    assert response.status_code == 201
    return response.json()


def test_create_token(created, bob):
    assert PUBLIC_ID.match(created["id"])
    assert TOKEN_VALUE.match(created["token"])
    assert created == {
        "id": created["id"],
        "name": "ci",
        "user_id": bob.public_id,
        "token": created["token"],
        "created_at": NOW,
    }


def test_created_token_authenticates_as_its_user(created, bob):
    assert current_user_id(created["token"]) == bob.public_id


def test_each_token_is_new(api_client, bob):
    values = {
        api_client.post(TOKENS, {"name": "ci", "user_id": bob.public_id}).json()["token"]
        for _ in range(3)
    }

    assert len(values) == 3


def test_database_never_holds_the_plain_token(created):
    row = ApiToken.objects.get(public_id=created["id"])
    value = created["token"]

    assert row.prefix == value[:8]
    assert row.digest == hashlib.sha256(value.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=row.pk).values().get()
    assert not any(value in str(field) for field in stored.values())


def test_list_shows_no_values(api_client, admin, created, bob):
    own = ApiToken.objects.get(user=admin)

    response = api_client.get(TOKENS)

    assert response.status_code == 200
    assert response.json() == page(
        [
            {
                "id": own.public_id,
                "name": "test",
                "user_id": admin.public_id,
                "created_at": own.created_at.isoformat().replace("+00:00", "Z"),
            },
            {"id": created["id"], "name": "ci", "user_id": bob.public_id, "created_at": NOW},
        ]
    )


def test_revoke_token(api_client, created, admin):
    response = api_client.delete(f"{TOKENS}{created['id']}/")

    assert (response.status_code, response.content) == (204, b"")
    revoked = token_client(created["token"]).get(f"{API}/users/current/")
    assert (revoked.status_code, revoked.json()) == (403, INVALID_TOKEN)
    assert [item["id"] for item in api_client.get(TOKENS).json()["results"]] == [
        ApiToken.objects.get(user=admin).public_id
    ]
    # Revoked, not deleted; a second revocation finds nothing.
    assert ApiToken.objects.get(public_id=created["id"]).revoked_at is not None
    assert api_client.delete(f"{TOKENS}{created['id']}/").status_code == 404


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"name": "ci"}, {"user_id": ["This field is required."]}),
        ({"user_id": "{bob}"}, {"name": ["This field is required."]}),
        ({"name": "ci", "user_id": "UAAAAAAAAAAAA"}, {"user_id": ["Object does not exist"]}),
        ({"name": "", "user_id": "{bob}"}, {"name": ["This field may not be blank."]}),
    ],
    ids=["missing-user", "missing-name", "unknown-user", "blank-name"],
)
def test_create_validation(api_client, bob, body, errors):
    body = {key: value.format(bob=bob.public_id) for key, value in body.items()}

    response = api_client.post(TOKENS, body, format="json")

    assert (response.status_code, response.json()) == (400, errors)


@pytest.mark.parametrize("where", ["other-org", "inactive"])
def test_tokens_only_for_active_users_of_the_organization(
    api_client, make_user, other_organization, where
):
    if where == "other-org":
        user = make_user("stranger", org=other_organization)
    else:
        user = make_user("ghost", is_active=False)

    response = api_client.post(TOKENS, {"name": "ci", "user_id": user.public_id})

    assert (response.status_code, response.json()) == (
        400,
        {"user_id": ["Object does not exist"]},
    )


def test_token_of_another_organization_is_404(api_client, make_user, other_organization):
    stranger = make_user("stranger", org=other_organization)
    foreign = ApiToken.objects.create(
        organization=other_organization, user=stranger, name="x", prefix="0" * 8, digest="0" * 64
    )

    response = api_client.delete(f"{TOKENS}{foreign.public_id}/")

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert ApiToken.objects.get(pk=foreign.pk).revoked_at is None


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER, Role.NONE], ids=lambda r: r.label)
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_non_admins_cannot_use_token_routes(make_user, make_client, created, bob, role, method):
    url = f"{TOKENS}{created['id']}/" if method == "delete" else TOKENS

    response = getattr(make_client(make_user("caller", role)), method)(
        url, {"name": "mine", "user_id": bob.public_id}
    )

    assert (response.status_code, response.json()) == (403, NO_PERMISSION)
    assert current_user_id(created["token"]) == bob.public_id


# --- manage.py bootstrap ---------------------------------------------------------------------


def bootstrap(org: str = "initech", username: str = "root", email: str = "root@example.com"):
    out = StringIO()
    call_command("bootstrap", org=org, username=username, email=email, stdout=out)
    return out.getvalue().rstrip("\n").splitlines()


def test_bootstrap_creates_org_admin_and_token():
    lines = bootstrap()

    organization = Organization.objects.get(name="initech")
    user = User.objects.get(organization=organization)
    assert (user.username, user.email, user.role, user.is_active) == (
        "root",
        "root@example.com",
        Role.ADMIN,
        True,
    )
    token = lines[-1]
    assert TOKEN_VALUE.match(token)
    assert current_user_id(token) == user.public_id
    assert token_client(token).get(TOKENS).status_code == 200  # an admin token


def test_bootstrap_twice_reuses_org_and_user_with_a_new_token():
    first = bootstrap()[-1]
    second = bootstrap()[-1]

    assert first != second
    assert Organization.objects.filter(name="initech").count() == 1
    user = User.objects.get(username="root")
    assert current_user_id(second) == user.public_id


def test_bootstrap_uses_an_existing_organization(organization):
    token = bootstrap(org=organization.name)[-1]

    user = User.objects.get(username="root")
    assert user.organization == organization
    assert current_user_id(token) == user.public_id
