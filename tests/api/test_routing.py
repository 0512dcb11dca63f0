"""Routing (UPSTREAM-BEHAVIOUR §a.0, DECISIONS §1): optional trailing slash, 405s, JSON 404s."""

import pytest
from rest_framework.test import APIClient

from tests.api.helpers import (
    API,
    NOT_FOUND,
    RESOURCE_IDS,
    RESOURCES,
    method_not_allowed,
)

pytestmark = pytest.mark.django_db

METHODS = ["get", "post", "put", "patch", "delete"]
SUCCESS = {"get": 200, "post": 201, "put": 200, "patch": 200, "delete": 204}
LIST_METHODS = {"get", "post"}


def expected_status(resource, on_detail: bool, method: str) -> int:
    if on_detail:
        allowed = {"delete"} if resource.name == "tokens" else {"get", "put", "patch", "delete"}
    else:
        allowed = LIST_METHODS
    return SUCCESS[method] if method in allowed else 405


def routing_cases():
    for resource in RESOURCES:
        for on_detail in (False, True):
            for method in METHODS:
                kind = "detail" if on_detail else "list"
                status = expected_status(resource, on_detail, method)
                yield pytest.param(
                    resource, on_detail, method, status, id=f"{resource.name}-{kind}-{method}"
                )


def request(client, resource, organization, on_detail: bool, method: str, slash: bool):
    if on_detail:
        url = resource.detail_url(resource.make(organization))
        body = resource.update_for(organization) if method in {"put", "patch"} else None
    else:
        url = resource.list_url
        body = resource.create_body(organization) if method == "post" else None
    if not slash:
        url = url.rstrip("/")
    return getattr(client, method)(url, body, format="json")


@pytest.mark.parametrize("slash", [True, False], ids=["slash", "no-slash"])
@pytest.mark.parametrize(("resource", "on_detail", "method", "status"), list(routing_cases()))
def test_every_route_with_and_without_trailing_slash(
    api_client, organization, resource, on_detail, method, status, slash
):
    response = request(api_client, resource, organization, on_detail, method, slash)

    assert response.status_code == status, response.content
    if status == 405:
        assert response.json() == method_not_allowed(method.upper())


@pytest.mark.parametrize("method", ["TRACE", "LINK"])
@pytest.mark.parametrize("path", ["schedules/", "users/current"], ids=["list", "detail"])
def test_methods_no_route_knows_are_405(api_client, method, path):
    response = api_client.generic(method, f"{API}/{path}")

    assert (response.status_code, response.json()) == (405, method_not_allowed(method))


@pytest.mark.parametrize("on_detail", [False, True], ids=["list", "detail"])
@pytest.mark.parametrize("resource", RESOURCES, ids=RESOURCE_IDS)
def test_get_answers_the_same_with_and_without_slash(api_client, organization, resource, on_detail):
    url = resource.detail_url(resource.make(organization)) if on_detail else resource.list_url

    with_slash = api_client.get(url)
    without_slash = api_client.get(url.rstrip("/"))

    assert without_slash.status_code == with_slash.status_code
    assert without_slash.json() == with_slash.json()


@pytest.mark.parametrize("slash", ["/", ""], ids=["slash", "no-slash"])
def test_current_user_with_and_without_slash(api_client, admin, slash):
    response = api_client.get(f"{API}/users/current{slash}")

    assert (response.status_code, response.json()["id"]) == (200, admin.public_id)


@pytest.mark.parametrize(
    "path",
    [
        f"{API}/unknown/",
        f"{API}/unknown",
        f"{API}/",
        f"{API}",
        f"{API}/schedules/SAAAAAAAAAAAA/unknown_action/",
        f"{API}/schedules//",
        "/api/v2/schedules/",
        "/nowhere",
        "/health",  # only the API routes take an optional slash
    ],
)
@pytest.mark.parametrize("authenticated", [True, False], ids=["token", "anonymous"])
def test_unknown_paths_are_json_404(api_client, path, authenticated):
    client = api_client if authenticated else APIClient()

    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize(
    "resource", ["schedules", "on_call_shifts", "users", "teams", "shift_swaps"]
)
def test_unknown_id_is_json_404(api_client, resource):
    response = api_client.get(f"{API}/{resource}/XAAAAAAAAAAAA/")

    assert (response.status_code, response.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize("path", ["/", ""], ids=["slash", "no-slash"])
def test_routes_never_redirect(api_client, path):
    for resource in RESOURCES:
        response = api_client.get(f"{resource.list_url.rstrip('/')}{path}", follow=False)
        assert not 300 <= response.status_code < 400


def test_health_needs_no_authentication():
    response = APIClient().get("/health/")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})
