"""Authentication (raw token in `Authorization`), the role matrix and organization scoping."""

import pytest
from rest_framework.test import APIClient

from schedules.export_tokens import export_token_create
from schedules.models import ExportToken, Schedule, ShiftSwap
from shifts.models import OnCallShift
from tests.api.helpers import (
    API,
    INACTIVE_USER,
    INVALID_TOKEN,
    NO_PERMISSION,
    NOT_FOUND,
    RESOURCE_IDS,
    RESOURCES,
    UNKNOWN_IDS,
    create_schedule,
    ids_of,
)
from users import services
from users.models import ApiToken, Role, Team, User

pytestmark = pytest.mark.django_db

CURRENT_USER = f"{API}/users/current/"
MODELS = {
    "schedules": Schedule,
    "on_call_shifts": OnCallShift,
    "users": User,
    "teams": Team,
    "tokens": ApiToken,
    "shift_swaps": ShiftSwap,
}


@pytest.fixture
def admin_token(admin) -> str:
    _, value = services.api_token_create(user=admin, name="cli")
    return value


def get_current(**headers):
    return APIClient().get(CURRENT_USER, **headers)


# --- authentication ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "   ",
        "garbage",
        "g" * 64,  # right length, not hex
        "0" * 64,  # well formed, unknown
    ],
    ids=["missing", "empty", "blank", "garbage", "not-hex", "unknown"],
)
def test_bad_tokens_are_403_invalid_token(header):
    headers = {} if header is None else {"HTTP_AUTHORIZATION": header}

    response = get_current(**headers)

    assert (response.status_code, response.json()) == (403, INVALID_TOKEN)


@pytest.mark.parametrize("scheme", ["Bearer", "Token"])
def test_a_scheme_word_before_the_token_is_rejected(admin_token, scheme):
    response = get_current(HTTP_AUTHORIZATION=f"{scheme} {admin_token}")

    assert (response.status_code, response.json()) == (403, INVALID_TOKEN)


def test_the_raw_token_authenticates(admin, admin_token):
    response = get_current(HTTP_AUTHORIZATION=admin_token)

    assert response.status_code == 200
    assert response.json()["id"] == admin.public_id


def test_x_grafana_url_is_accepted_and_ignored(admin, admin_token):
    response = get_current(
        HTTP_AUTHORIZATION=admin_token, HTTP_X_GRAFANA_URL="https://grafana.example.com/"
    )

    assert response.status_code == 200
    assert response.json()["id"] == admin.public_id


def test_token_of_an_inactive_user_is_403(admin, admin_token):
    admin.is_active = False
    admin.save()

    response = get_current(HTTP_AUTHORIZATION=admin_token)

    assert (response.status_code, response.json()) == (403, INACTIVE_USER)


def test_revoked_token_is_403_invalid_token(admin, admin_token):
    token = admin.api_tokens.get(name="cli")
    services.api_token_revoke(token=token)

    response = get_current(HTTP_AUTHORIZATION=admin_token)

    assert (response.status_code, response.json()) == (403, INVALID_TOKEN)


# --- role matrix -----------------------------------------------------------------------------

# (action, method, on detail?, success status)
ACTIONS = [
    ("list", "get", False, 200),
    ("retrieve", "get", True, 200),
    ("create", "post", False, 201),
    ("update", "put", True, 200),
    ("partial_update", "patch", True, 200),
    ("destroy", "delete", True, 204),
]
READ_ACTIONS = {"list", "retrieve"}
ROLES = [Role.ADMIN, Role.EDITOR, Role.VIEWER, Role.NONE]


def matrix_cases():
    for resource in RESOURCES:
        for action, method, on_detail, success in ACTIONS:
            if resource.name == "tokens" and action in {"retrieve", "update", "partial_update"}:
                continue  # tokens can only be listed, created and revoked (test_routing)
            needed = resource.read_role if action in READ_ACTIONS else resource.write_role
            for role in ROLES:
                expected = success if role <= needed else 403
                yield pytest.param(
                    resource,
                    method,
                    on_detail,
                    role,
                    expected,
                    id=f"{resource.name}-{action}-{role.label}-{expected}",
                )


@pytest.mark.parametrize(
    ("resource", "method", "on_detail", "role", "expected"), list(matrix_cases())
)
def test_role_matrix(
    organization, make_user, make_client, resource, method, on_detail, role, expected
):
    client = make_client(make_user("caller", role))
    if on_detail:
        url = resource.detail_url(resource.make(organization))
        body = resource.update_for(organization) if method in {"put", "patch"} else None
    else:
        url = resource.list_url
        body = resource.create_body(organization) if method == "post" else None

    response = getattr(client, method)(url, body, format="json")

    assert response.status_code == expected, response.content
    if expected == 403:
        assert response.json() == NO_PERMISSION


@pytest.mark.parametrize(
    ("role", "method"),
    [
        (Role.VIEWER, "delete"),
        (Role.VIEWER, "put"),
        (Role.VIEWER, "patch"),
        (Role.NONE, "get"),
    ],
    ids=["viewer-delete", "viewer-put", "viewer-patch", "none-get"],
)
@pytest.mark.parametrize(
    "resource", ["schedules", "on_call_shifts", "users", "teams", "shift_swaps"]
)
def test_permission_is_checked_before_the_object_lookup(
    make_user, make_client, role, method, resource
):
    client = make_client(make_user("caller", role))

    response = getattr(client, method)(f"{API}/{resource}/{UNKNOWN_IDS[resource]}/", {})

    assert (response.status_code, response.json()) == (403, NO_PERMISSION)


def test_editor_cannot_touch_tokens_even_when_the_id_is_unknown(make_user, make_client):
    client = make_client(make_user("caller", Role.EDITOR))

    response = client.delete(f"{API}/tokens/{UNKNOWN_IDS['tokens']}/")

    assert (response.status_code, response.json()) == (403, NO_PERMISSION)


# --- export tokens: a user's is managed by the user or an admin; a schedule's by editors --------

EXPORT_TOKEN_SUCCESS = {"get": 200, "post": 201, "delete": 204}


def export_token_cases():
    for role in ROLES:
        for method, success in EXPORT_TOKEN_SUCCESS.items():
            for whose in ("own", "other's", "admin's"):
                if role == Role.NONE:
                    expected = 403
                elif method == "get" or role == Role.ADMIN or whose == "own":
                    expected = success
                else:
                    expected = 403
                yield pytest.param(
                    role, method, whose, expected, id=f"{role.label}-{method}-{whose}-{expected}"
                )


@pytest.mark.parametrize(("role", "method", "whose", "expected"), list(export_token_cases()))
def test_user_export_token_matrix(make_user, make_client, role, method, whose, expected):
    caller = make_user("caller", role)
    target = {
        "own": caller,
        "other's": make_user("other", Role.EDITOR),
        "admin's": make_user("boss", Role.ADMIN),
    }[whose]
    export_token_create(user=target)
    url = f"{API}/users/{target.public_id}/export_token/"

    response = getattr(make_client(caller), method)(url)

    assert response.status_code == expected, response.content
    live = ExportToken.objects.filter(user=target, revoked_at__isnull=True).count()
    if expected == 403:
        assert (response.json(), live) == (NO_PERMISSION, 1)


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_current_names_the_caller_for_export_tokens(make_user, make_client, role):
    caller = make_user("caller", role)

    response = make_client(caller).post(f"{API}/users/current/export_token/")

    assert response.status_code == 201
    assert ExportToken.objects.get(revoked_at__isnull=True).user == caller


@pytest.mark.parametrize(("method", "success"), [("post", 201), ("delete", 204), ("get", 200)])
@pytest.mark.parametrize("role", ROLES)
def test_schedule_export_token_matrix(organization, make_user, make_client, role, method, success):
    schedule = Schedule.objects.get(public_id=create_schedule(organization))
    export_token_create(schedule=schedule)
    client = make_client(make_user("caller", role))

    response = getattr(client, method)(f"{API}/schedules/{schedule.public_id}/export_token/")

    needed = Role.VIEWER if method == "get" else Role.EDITOR
    assert response.status_code == (success if role <= needed else 403), response.content


# --- organization scoping --------------------------------------------------------------------

SCOPED = [resource for resource in RESOURCES if resource.name != "tokens"]


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
@pytest.mark.parametrize("resource", SCOPED, ids=[r.name for r in SCOPED])
def test_objects_of_another_organization_are_404(
    api_client, organization, other_organization, resource, method
):
    foreign_id = resource.make(other_organization)

    response = getattr(api_client, method)(
        resource.detail_url(foreign_id), resource.update_for(organization), format="json"
    )

    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_tokens_of_another_organization_cannot_be_revoked(api_client, other_organization):
    foreign_id = RESOURCES[RESOURCE_IDS.index("tokens")].make(other_organization)

    response = api_client.delete(f"{API}/tokens/{foreign_id}/")

    assert (response.status_code, response.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize("resource", RESOURCES, ids=RESOURCE_IDS)
def test_lists_show_only_the_callers_organization(
    api_client, organization, other_organization, resource
):
    resource.make(organization)
    resource.make(other_organization)

    response = api_client.get(resource.list_url)

    assert response.status_code == 200
    listed = set(ids_of(response))
    assert listed == public_ids(resource, organization)
    assert not listed & public_ids(resource, other_organization)


def public_ids(resource, organization) -> set[str]:
    """Every id of `resource` in `organization` (incl. the caller and its own token)."""
    scope = "schedule__organization" if resource.name == "shift_swaps" else "organization"
    queryset = MODELS[resource.name].objects.filter(**{scope: organization})
    return set(queryset.values_list("public_id", flat=True))
