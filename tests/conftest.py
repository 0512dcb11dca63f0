"""Shared fixtures: organizations, users with tokens, API clients."""

from collections.abc import Callable

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from timeline.cache import process_objects
from users import services
from users.models import Organization, Role, User


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached timelines, expansions or throttle counters."""
    cache.clear()
    process_objects.clear()


@pytest.fixture
def organization() -> Organization:
    return services.organization_get_or_create(name="acme")


@pytest.fixture
def other_organization() -> Organization:
    return services.organization_get_or_create(name="globex")


@pytest.fixture
def make_user(organization) -> Callable[..., User]:
    def make(username: str, role: int = Role.ADMIN, org: Organization | None = None, **fields):
        return services.user_create(
            organization=org or organization,
            username=username,
            email=fields.pop("email", f"{username}@example.com"),
            role=role,
            **fields,
        )

    return make


@pytest.fixture
def make_client() -> Callable[[User], APIClient]:
    def make(user: User) -> APIClient:
        _, token = services.api_token_create(user=user, name="test")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=token)
        return client

    return make


@pytest.fixture
def admin(make_user) -> User:
    return make_user("admin", Role.ADMIN)


@pytest.fixture
def api_client(admin, make_client) -> APIClient:
    """An API client authenticated as an admin of `organization`."""
    return make_client(admin)
