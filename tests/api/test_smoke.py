import pytest

pytestmark = pytest.mark.django_db


def test_users_current_is_the_token_user(api_client, admin):
    response = api_client.get("/api/v1/users/current")
    assert response.status_code == 200
    assert response.json()["id"] == admin.public_id
