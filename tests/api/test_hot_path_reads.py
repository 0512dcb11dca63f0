"""The reads every request makes (the token, the schedule of an on-call action) are fixed SQL
(`oncall.rows`): they must give the instances the ORM would, on SQLite and PostgreSQL alike."""

import pytest
from django.db.models import Model

from schedules import selectors as schedule_selectors
from schedules.models import Schedule
from tests.api.helpers import created
from users import services
from users.models import ApiToken, Organization, User
from users.selectors import api_token_lookup

pytestmark = pytest.mark.django_db


def field_values(instance: Model) -> dict:
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


def test_the_token_comes_with_the_values_the_orm_reads(make_user, organization):
    user = make_user("ada", phone_number="+15551234567", hide_phone_number=True, timezone="UTC")
    token, raw = services.api_token_create(user=user, name="laptop")
    Organization.objects.filter(pk=organization.pk).update(override_phone_privacy=True)

    found = api_token_lookup(raw)

    assert field_values(found) == field_values(ApiToken.objects.get(pk=token.pk))
    assert field_values(found.user) == field_values(User.objects.get(pk=user.pk))
    assert field_values(found.user.organization) == field_values(
        Organization.objects.get(pk=organization.pk)
    )
    assert found.user.organization.override_phone_privacy is True
    assert found.user.hide_phone_number is True
    assert found.created_at.tzinfo is not None


def test_the_token_user_and_organization_are_one_query(make_user, django_assert_num_queries):
    _, raw = services.api_token_create(user=make_user("ada"), name="laptop")

    with django_assert_num_queries(1):
        found = api_token_lookup(raw)
        assert (found.user.username, found.organization.name) == ("ada", "acme")
        assert found.user.organization is found.organization


def test_revoked_wrong_and_malformed_tokens_are_not_found(make_user, django_assert_num_queries):
    token, raw = services.api_token_create(user=make_user("ada"), name="laptop")
    wrong = raw[:8] + ("0" if raw[8] != "0" else "1") + raw[9:]
    assert api_token_lookup(wrong) is None

    services.api_token_revoke(token=token)
    assert api_token_lookup(raw) is None

    with django_assert_num_queries(0):
        assert api_token_lookup("not-a-token") is None


def test_the_schedule_of_an_on_call_action_is_the_row_the_orm_reads(
    api_client, organization, other_organization
):
    body = {"name": "primary", "type": "web", "time_zone": "Europe/Paris"}
    public_id = created(api_client, "schedules", body)["id"]

    found = schedule_selectors.schedule_bare(organization=organization, public_id=public_id)

    assert field_values(found) == field_values(Schedule.objects.get(public_id=public_id))
    assert found.organization is organization
    assert (
        schedule_selectors.schedule_bare(organization=other_organization, public_id=public_id)
        is None
    )


@pytest.mark.parametrize("action", ["", "final_shifts", "current_oncall", "next_oncall"])
def test_detail_routes_ignore_list_filters(api_client, action):
    """Query parameters filter lists only, as upstream's detail routes do."""
    schedule = created(
        api_client, "schedules", {"name": "primary", "type": "web", "time_zone": "UTC"}
    )
    query = "name=another&team_id=TNOTATEAM&start_date=2030-01-01&end_date=2030-01-02"

    response = api_client.get(f"/api/v1/schedules/{schedule['id']}/{action}?{query}")

    assert response.status_code == 200, response.content
