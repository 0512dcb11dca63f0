"""The last active admin of an organization can be neither demoted, deactivated nor deleted,
through the API, the services or the Django admin (issue 14, finding 11)."""

import pytest
from django.contrib.admin.sites import site
from django.forms.models import model_to_dict
from django.test import RequestFactory

from tests.api.helpers import API
from users import services
from users.models import Role, User

pytestmark = pytest.mark.django_db

LAST_ADMIN = {
    "detail": "This user is the organization's last active admin: make another user admin "
    "before demoting, deactivating or deleting them."
}


def test_the_last_admin_cannot_demote_themself(api_client, admin):
    response = api_client.put(f"{API}/users/{admin.public_id}/", {"role": "editor"}, format="json")

    assert (response.status_code, response.json()) == (400, LAST_ADMIN)
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_the_last_admin_cannot_delete_themself(api_client, admin):
    response = api_client.delete(f"{API}/users/{admin.public_id}/")

    assert (response.status_code, response.json()) == (400, LAST_ADMIN)
    admin.refresh_from_db()
    assert (admin.is_active, admin.api_tokens.filter(revoked_at__isnull=True).count()) == (True, 1)


def test_one_of_two_admins_steps_down_then_the_other_cannot(api_client, admin, make_user):
    other = make_user("other", Role.ADMIN)

    demoted = api_client.put(f"{API}/users/{other.public_id}/", {"role": "viewer"}, format="json")
    refused = api_client.delete(f"{API}/users/{admin.public_id}/")

    assert (demoted.status_code, demoted.json()["role"]) == (200, "viewer")
    assert (refused.status_code, refused.json()) == (400, LAST_ADMIN)


def test_an_admin_changing_other_fields_of_themself_is_fine(api_client, admin):
    response = api_client.put(
        f"{API}/users/{admin.public_id}/", {"username": "root"}, format="json"
    )

    assert (response.status_code, response.json()["username"]) == (200, "root")


def test_other_users_of_an_organization_without_admins_stay_editable(organization, make_user):
    editor = make_user("editor", Role.EDITOR)

    services.user_update(user=editor, role=Role.VIEWER)
    services.user_delete(user=editor)

    assert User.objects.get(pk=editor.pk).is_active is False


@pytest.mark.parametrize("change", [{"role": Role.EDITOR}, {"is_active": False}])
def test_services_refuse(admin, change):
    with pytest.raises(services.LastAdminError):
        services.user_update(user=admin, **change)
    with pytest.raises(services.LastAdminError):
        services.user_delete(user=admin)
    admin.refresh_from_db()
    assert (admin.role, admin.is_active) == (Role.ADMIN, True)


def test_an_admin_of_another_organization_does_not_count(admin, make_user, other_organization):
    make_user("foreign", Role.ADMIN, org=other_organization)

    with pytest.raises(services.LastAdminError):
        services.user_update(user=admin, role=Role.VIEWER)


# --- the Django admin ----------------------------------------------------------------------


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_superuser("operator", "op@example.com", "pw")


def admin_form(user: User, operator, **changes):
    request = RequestFactory().post("/")
    request.user = operator
    form_class = site._registry[User].get_form(request, user)
    data = {**model_to_dict(user), **changes}
    data = {key: value for key, value in data.items() if value is not None}
    return form_class(data, instance=user)


@pytest.mark.parametrize("change", [{"role": Role.VIEWER}, {"is_active": False}])
def test_the_admin_form_refuses_the_last_admins_demotion(admin, operator, change):
    form = admin_form(admin, operator, **change)

    assert form.errors == {"__all__": [LAST_ADMIN["detail"]]}


def test_the_admin_form_accepts_a_demotion_when_another_admin_remains(admin, operator, make_user):
    make_user("other", Role.ADMIN)

    assert admin_form(admin, operator, role=Role.VIEWER).errors == {}


def test_the_admin_refuses_to_delete_the_last_admin(client, admin, operator):
    client.force_login(operator)

    response = client.post(f"/admin/users/user/{admin.pk}/delete/", {"post": "yes"})
    bulk = client.post(
        "/admin/users/user/",
        {"action": "delete_selected", "_selected_action": [admin.pk], "post": "yes"},
    )

    assert (response.status_code, bulk.status_code) == (302, 302)
    assert User.objects.filter(pk=admin.pk, is_active=True, role=Role.ADMIN).exists()
