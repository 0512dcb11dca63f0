"""The reads every request makes (the token, the schedule of an on-call action) are fixed SQL
(`common.rows`): they must give the instances the ORM would, on SQLite and PostgreSQL alike."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Model
from rest_framework.test import APIClient

from common.compiled import CompiledValues, rows_of_each
from schedules import selectors as schedule_selectors
from schedules.models import Schedule
from tests.api.helpers import created
from timeline.sources import LINKED_SHIFTS, SHIFT_FIELDS
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


def test_an_on_call_route_reads_its_token_and_schedule_in_one_query(
    make_user, api_client, organization, django_assert_num_queries
):
    _, raw = services.api_token_create(user=make_user("ada"), name="laptop")
    body = {"name": "primary", "type": "web", "time_zone": "Europe/Paris"}
    public_id = created(api_client, "schedules", body)["id"]

    with django_assert_num_queries(1):
        (found,) = schedule_selectors.live_tokens_with_schedule(raw[:8], public_id)
        assert found.schedule.organization is found.token.organization
        assert found.token.organization.pk == organization.pk

    assert field_values(found.token) == field_values(api_token_lookup(raw))
    assert field_values(found.token.user) == field_values(User.objects.get(username="ada"))
    assert field_values(found.schedule) == field_values(Schedule.objects.get(public_id=public_id))
    assert found.digest == found.token.digest


def test_the_schedule_read_with_a_token_is_only_one_of_its_organization(
    make_user, api_client, other_organization
):
    stranger = make_user("eve", org=other_organization)
    _, raw = services.api_token_create(user=stranger, name="laptop")
    body = {"name": "primary", "type": "web", "time_zone": "UTC"}
    public_id = created(api_client, "schedules", body)["id"]

    (found,) = schedule_selectors.live_tokens_with_schedule(raw[:8], public_id)

    assert (found.token.user.username, found.schedule) == ("eve", None)
    assert schedule_selectors.live_tokens_with_schedule(raw[:8], "SNOSUCHSCHED") == [
        (found.token, None)
    ]
    assert schedule_selectors.live_tokens_with_schedule("00000000", public_id) == []


@pytest.mark.parametrize("action", ["final_shifts", "current_oncall", "next_oncall"])
def test_on_call_routes_answer_403_for_a_bad_token_and_404_for_a_foreign_schedule(
    api_client, make_user, make_client, other_organization, action
):
    body = {"name": "primary", "type": "web", "time_zone": "UTC"}
    public_id = created(api_client, "schedules", body)["id"]
    path = f"/api/v1/schedules/{public_id}/{action}?start_date=2030-01-01&end_date=2030-01-02"
    stranger = make_client(make_user("eve", org=other_organization))

    bad_token = APIClient().get(path, HTTP_AUTHORIZATION="0" * 64)
    foreign = stranger.get(path)

    assert (bad_token.status_code, bad_token.json()) == (403, {"detail": "Invalid token."})
    assert (foreign.status_code, foreign.json()) == (404, {"detail": "Not found."})
    assert api_client.get(path).status_code == 200


@pytest.mark.parametrize("action", ["", "final_shifts", "current_oncall", "next_oncall"])
def test_detail_routes_ignore_list_filters(api_client, action):
    """Query parameters filter lists only, as upstream's detail routes do."""
    schedule = created(
        api_client, "schedules", {"name": "primary", "type": "web", "time_zone": "UTC"}
    )
    query = "name=another&team_id=TNOTATEAM&start_date=2030-01-01&end_date=2030-01-02"

    response = api_client.get(f"/api/v1/schedules/{schedule['id']}/{action}?{query}")

    assert response.status_code == 200, response.content


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_the_token_and_schedule_read_becomes_a_prepared_statement(api_client):
    public_id = created(api_client, "schedules", {"name": "s", "type": "web", "time_zone": "UTC"})[
        "id"
    ]
    for _ in range(6):
        assert api_client.get(f"/api/v1/schedules/{public_id}/current_oncall").status_code == 200

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert any("LEFT JOIN schedules_schedule s" in statement for statement in prepared), prepared


def test_a_compiled_query_gives_the_values_the_orm_reads(api_client, schedule, alice):
    rolling_body = {
        "type": "rolling_users",
        "frequency": "weekly",
        "by_day": ["MO", "WE"],
        "week_start": "MO",
        "start": "2026-03-24T10:00:00",
        "duration": 5400,
        "rolling_users": [[alice.public_id]],
        "start_rotation_from_user_index": 0,
    }
    rolling = created(api_client, "on_call_shifts", rolling_body)["id"]
    other = created(
        api_client,
        "schedules",
        {"name": "Other", "type": "calendar", "time_zone": "UTC", "shifts": [rolling]},
    )
    pks = list(
        Schedule.objects.filter(public_id__in=[schedule["id"], other["id"]]).values_list(
            "pk", flat=True
        )
    )
    for ids in (pks[:1], pks, [*pks, -5]):
        expected = list(LINKED_SHIFTS.query(ids))

        assert LINKED_SHIFTS.rows(ids) == expected
        assert LINKED_SHIFTS.rows(ids) == expected  # compiled before
    assert len(expected) == 3
    assert [row[SHIFT_FIELDS.index("by_day") + 1] for row in expected] == [None, None, ["MO", "WE"]]


def test_queries_read_together_give_what_each_gives_alone(api_client, alice):
    """On PostgreSQL in one round trip (pipeline mode), prepared after a few runs as every
    statement is."""
    single = {"type": "single_event", "start": "2026-03-24T10:00:00", "duration": 3600}
    shift = created(api_client, "on_call_shifts", {**single, "users": [alice.public_id]})["id"]
    for name in ("one", "two"):
        body = {"name": name, "type": "calendar", "time_zone": "UTC", "shifts": [shift]}
        created(api_client, "schedules", body)
    pks = list(Schedule.objects.values_list("pk", flat=True))
    names = CompiledValues(lambda ids: Schedule.objects.filter(pk__in=ids).values_list("name"))
    queries = [(LINKED_SHIFTS, pks), (names, []), (names, [*pks, -5])]
    alone = [query.rows(ids) for query, ids in queries]

    for _ in range(7):
        assert rows_of_each(queries) == alone
    assert (len(alone[0]), alone[1], len(alone[2])) == (2, [], 2)
    assert rows_of_each(queries[:2]) == alone[:2]


def test_a_query_compiled_once_takes_its_ids_as_its_only_parameters():
    with_a_name = CompiledValues(
        lambda pks: Schedule.objects.filter(pk__in=pks, name="x").values_list("pk")
    )

    with pytest.raises(ValueError, match="only parameters"):
        with_a_name.rows([1])
    assert with_a_name.rows([]) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's timestamps")
def test_timestamps_are_read_by_psycopgs_loader_as_django_reads_them():
    from common.postgresql.base import UtcTimestamptzLoader

    berlin = datetime(2026, 3, 29, 3, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz, '2026-10-25 01:30:00+01'::timestamptz", [berlin])
        first, second = cursor.fetchone()
        loader = cursor.cursor.adapters.get_loader(cursor.cursor.description[0].type_code, 0)

    assert loader is UtcTimestamptzLoader
    assert (first, second) == (
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    )
    assert first.tzinfo is UTC and second.tzinfo is UTC
