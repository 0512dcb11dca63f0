"""Fixtures of the dialect API tests: the seeds' people, and clients sending `Bearer` tokens."""

from collections.abc import Callable

import pytest
from freezegun import freeze_time
from rest_framework.test import APIClient

from users import services
from users.models import Role, User


def bearer(user: User) -> APIClient:
    _, token = services.api_token_create(user=user, name="dialect")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture(autouse=True)
def clock(request):
    """The clock frozen at the test module's `NOW` (UTC)."""
    with freeze_time(request.module.NOW) as frozen:
        yield frozen


@pytest.fixture
def people(make_user) -> dict[str, User]:
    """john, jane and bob of Signal's seed (editors, `<name>@example.com`)."""
    return {name: make_user(name, Role.EDITOR) for name in ("john", "jane", "bob")}


@pytest.fixture
def client(admin) -> APIClient:
    """An admin of `organization`, sending `Authorization: Bearer <token>`."""
    return bearer(admin)


@pytest.fixture
def client_of() -> Callable[[User], APIClient]:
    return bearer
