"""Pages tests: people with passwords, the demo organization, a signed-in client."""

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client

from pages.demo import Demo, demo_fill
from users import services
from users.models import Organization, Role, User

PASSWORD = "correct horse battery"
# The demo is made in the week of this Wednesday; tests freeze "now" inside it.
DEMO_DAY = date(2026, 3, 18)


@pytest.fixture
def demo(organization: Organization) -> Demo:
    filled = demo_fill(organization=organization, today=DEMO_DAY)
    assert filled is not None
    return filled


@pytest.fixture
def person(organization) -> Callable[..., User]:
    def make(username: str, role: int = Role.EDITOR, **fields) -> User:
        return services.user_create(
            organization=fields.pop("org", organization),
            username=username,
            email=f"{username}@example.com",
            role=role,
            password=fields.pop("password", PASSWORD),
            **fields,
        )

    return make


@pytest.fixture
def signed_in(client) -> Callable[[User], Client]:
    def sign_in(user: User, password: str = PASSWORD) -> Client:
        response = client.post("/sign-in/", {"username": user.username, "password": password})
        assert response.status_code == 302, response.content
        return client

    return sign_in
