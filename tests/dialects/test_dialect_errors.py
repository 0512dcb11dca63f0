"""What both dialects answer on every route (docs/dialects.md#errors): their tokens and roles,
other organizations' ids, unknown paths, methods, throttling and bodies that are not JSON, each
in the dialect's error shape."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from apikit.throttling import UserRateThrottle
from tests.api.test_server_errors import INTERNAL_ERROR, queries_fail
from tests.dialects.seeds import INSTATUS, SIGNAL, SIGNAL_ROTATION, instatus_shift
from users import services
from users.models import Role

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Dialect:
    name: str
    base: str
    missing: str
    invalid: str
    # (method, path after the base; `{id}` is a schedule's id)
    routes: tuple[tuple[str, str], ...]

    def body(self, user) -> dict:
        if self.name == "signal":
            return {**SIGNAL_ROTATION, "members": [user.email]}
        return {"name": "Layers", "onCallShifts": [instatus_shift([user.public_id])]}

    def create(self, client: APIClient, user) -> str:
        response = client.post(self.base, self.body(user), format="json")
        assert response.status_code == 201, response.json()
        data = response.json()
        return (data["data"] if self.name == "signal" else data)["id"]


SIGNAL_DIALECT = Dialect(
    "signal",
    SIGNAL,
    "missing_api_key",
    "invalid_api_key",
    (
        ("get", ""),
        ("post", ""),
        ("get", "/{id}"),
        ("patch", "/{id}"),
        ("put", "/{id}"),
        ("delete", "/{id}"),
        ("get", "/{id}/current"),
    ),
)
INSTATUS_DIALECT = Dialect(
    "instatus",
    INSTATUS,
    "unauthorized",
    "unauthorized",
    (
        ("get", ""),
        ("post", ""),
        ("get", "/{id}"),
        ("put", "/{id}"),
        ("delete", "/{id}"),
        ("get", "/{id}/members"),
    ),
)
DIALECTS = (SIGNAL_DIALECT, INSTATUS_DIALECT)
ROUTES = [(dialect, route) for dialect in DIALECTS for route in dialect.routes]
DETAIL_ROUTES = [(dialect, route) for dialect, route in ROUTES if "{id}" in route[1]]
WRITES = [(dialect, route) for dialect, route in ROUTES if route[0] != "get"]


def ids(cases) -> list[str]:
    return [f"{dialect.name} {method} {path}" for dialect, (method, path) in cases]


def error(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


NOW = "2024-01-15T12:00:00Z"


@pytest.fixture
def schedules(client, admin) -> dict[str, str]:
    return {dialect.name: dialect.create(client, admin) for dialect in DIALECTS}


def call(client: APIClient, dialect: Dialect, route: tuple[str, str], schedule_id: str):
    method, path = route
    return getattr(client, method)(dialect.base + path.format(id=schedule_id), {}, format="json")


@pytest.mark.parametrize(("dialect", "route"), ROUTES, ids=ids(ROUTES))
def test_no_token_is_401_missing(dialect, route, schedules):
    response = call(APIClient(), dialect, route, schedules[dialect.name])

    assert response.status_code == 401
    assert response.json()["error"]["code"] == dialect.missing
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
@pytest.mark.parametrize("kind", ["unknown", "revoked", "deleted user", "bad scheme"])
def test_a_bad_token_is_401_invalid(dialect, kind, make_user, schedules):
    user = make_user("holder")
    token_row, token = services.api_token_create(user=user, name="bad")
    header = f"Bearer {token}"
    if kind == "unknown":
        header = "Bearer " + "0" * 64
    elif kind == "revoked":
        services.api_token_revoke(token=token_row)
    elif kind == "deleted user":
        services.user_delete(user=user)
    else:
        header = f"Basic {token}"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get(dialect.base)

    assert (response.status_code, response.json()) == (
        401,
        error(dialect.invalid, "Invalid API key"),
    )


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
def test_the_bare_token_works_too(dialect, admin, schedules):
    _, token = services.api_token_create(user=admin, name="bare")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=token)

    assert client.get(dialect.base).status_code == 200


@pytest.mark.parametrize(("dialect", "route"), WRITES, ids=ids(WRITES))
def test_a_viewer_reads_but_may_not_write(dialect, route, make_user, client_of, schedules):
    viewer = client_of(make_user("viewer", Role.VIEWER))
    schedule_id = schedules[dialect.name]

    response = call(viewer, dialect, route, schedule_id)

    assert (response.status_code, response.json()) == (
        403,
        error("forbidden", "You do not have permission to perform this action."),
    )
    assert viewer.get(f"{dialect.base}/{schedule_id}").status_code == 200


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
def test_role_none_reads_nothing(dialect, make_user, client_of, schedules):
    response = client_of(make_user("nobody", Role.NONE)).get(dialect.base)

    assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(("dialect", "route"), DETAIL_ROUTES, ids=ids(DETAIL_ROUTES))
def test_other_organizations_ids_are_404(
    dialect, route, client, make_user, other_organization, client_of, schedules
):
    stranger = make_user("stranger", org=other_organization)
    theirs = dialect.create(client_of(stranger), stranger)
    other_dialect = next(d for d in DIALECTS if d is not dialect)

    for schedule_id in (theirs, "SAAAAAAAAAAAA", schedules[other_dialect.name]):
        response = call(client, dialect, route, schedule_id)
        assert (response.status_code, response.json()) == (404, error("not_found", "Not found."))
    assert client_of(stranger).get(f"{dialect.base}/{theirs}").status_code == 200


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
def test_unknown_paths_and_methods(dialect, client, schedules):
    unknown = client.get(f"{dialect.base}/{schedules[dialect.name]}/nothing/here")
    method = client.delete(dialect.base)

    assert (unknown.status_code, unknown.json()) == (404, error("not_found", "Not found."))
    assert (method.status_code, method.json()) == (
        405,
        error("method_not_allowed", 'Method "DELETE" not allowed.'),
    )


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
def test_bodies_must_be_json(dialect, client):
    response = client.post(dialect.base, "name=x", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
def test_throttled(dialect, client, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"public_api": "2/minute"})
    cache.clear()
    statuses = [client.get(dialect.base).status_code for _ in range(3)]
    response = client.get(dialect.base)

    assert statuses == [200, 200, 429]
    assert response.json() == error(
        "rate_limited", "Request was throttled. Expected available in 60 seconds."
    )
    assert response["Retry-After"] == "60"


@pytest.mark.parametrize("base", [SIGNAL, INSTATUS, f"/v1{INSTATUS}"])
def test_an_unexpected_failure_answers_json(client, base):
    client.raise_request_exception = False
    with queries_fail("schedules_schedule", RuntimeError("forced failure")):
        response = client.get(base)

    assert (response.status_code, response.json()) == (500, INTERNAL_ERROR)


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
def test_a_body_over_the_limit_is_413(dialect, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = client.post(dialect.base, {"name": "x" * 200}, format="json")

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
