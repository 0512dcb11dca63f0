"""How often an update or a delete reads the object it writes: once before its transaction (an
unknown id is a 404 without waiting for any lock), once inside it before writing, locked until
the end (on PostgreSQL, `FOR UPDATE`), and no more. The answer is read after the write."""

import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
from rest_framework.test import APIClient

from schedules.models import Schedule
from shifts.models import OnCallShift
from tests.api.helpers import API, created
from tests.dialects.seeds import INSTATUS, SIGNAL, SIGNAL_WEEKLY, instatus_create
from users import services as user_services
from users.models import Role, Team, User

pytestmark = pytest.mark.django_db

WRITES = re.compile(r"^(UPDATE|DELETE|INSERT) ", re.IGNORECASE)


@dataclass(frozen=True)
class Reads:
    """The reads of one row: before the write's transaction, and inside it before its first
    change (with whether each took the row's lock)."""

    before: int
    inside: list[bool]


def reads_of(queries: list[dict], table: str, pk: int, public_id: str) -> Reads:
    # The row's columns (not `SELECT 1`: a check that another row has a value).
    by_key = re.compile(
        rf'^SELECT "{table}"\."id", .* FROM "{table}" .*WHERE .*"{table}"\.'
        rf"(\"id\" = {pk}(?!\d)|\"public_id\" = '{public_id}')"
    )
    before, inside, began = 0, [], False
    for query in (each["sql"] for each in queries):
        if query.startswith("SAVEPOINT"):
            began = True
        elif WRITES.match(query):
            break
        elif by_key.match(query):
            if began:
                inside.append(f'FOR UPDATE OF "{table}"' in query)
            else:
                before += 1
    return Reads(before, inside)


def once_before_and_once_locked() -> Reads:
    return Reads(before=1, inside=[connection.vendor == "postgresql"])


def sent(client: APIClient, method: str, path: str, body: dict | None, status: int) -> list:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(path, body, format="json")
    assert response.status_code == status, response.content
    return captured.captured_queries


def bearer(user: User) -> APIClient:
    _, token = user_services.api_token_create(user=user, name="dialect")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def oncall_objects(client: APIClient, make_user) -> dict[str, tuple[type, dict, dict]]:
    """Upstream's resources: (model, created body, update body) by route."""
    user = make_user("dora", Role.EDITOR)
    shift = created(
        client,
        "on_call_shifts",
        {
            "type": "single_event",
            "start": "2030-01-01T09:00:00",
            "duration": 3600,
            "users": [user.public_id],
        },
    )
    return {
        "teams": (Team, created(client, "teams", {"name": "a"}), {"name": "b"}),
        "on_call_shifts": (OnCallShift, shift, {"duration": 7200}),
        "schedules": (
            Schedule,
            created(
                client,
                "schedules",
                {"name": "s", "type": "calendar", "time_zone": "UTC", "shifts": [shift["id"]]},
            ),
            {"name": "t"},
        ),
        "users": (User, {"id": user.public_id}, {"timezone": "Europe/Berlin"}),
    }


@pytest.mark.parametrize("route", ["teams", "on_call_shifts", "schedules", "users"])
def test_an_oncall_update_and_delete_read_their_object_once_before_and_once_locked(
    api_client, make_user, route
):
    model, body, update = oncall_objects(api_client, make_user)[route]
    row = model.objects.get(public_id=body["id"])
    path = f"{API}/{route}/{body['id']}/"
    table = model._meta.db_table

    updated = sent(api_client, "put", path, update, 200)
    deleted = sent(api_client, "delete", path, None, 204)

    assert reads_of(updated, table, row.pk, row.public_id) == once_before_and_once_locked()
    assert reads_of(deleted, table, row.pk, row.public_id) == once_before_and_once_locked()


@freeze_time("2024-01-15T12:00:00Z")
@pytest.mark.parametrize(
    ("path", "method", "body"),
    [
        (SIGNAL, "patch", lambda users: SIGNAL_WEEKLY),
        (INSTATUS, "put", lambda users: instatus_create(*(user.public_id for user in users[:2]))),
    ],
    ids=["signal", "instatus"],
)
def test_a_dialect_update_and_delete_read_their_schedule_once_before_and_once_locked(
    admin, make_user, path, method, body
):
    users = [make_user(name, Role.EDITOR) for name in ("john", "jane", "bob")]
    client = bearer(admin)
    answer = client.post(path, body(users), format="json").json()
    schedule = Schedule.objects.get()
    table = Schedule._meta.db_table
    detail = f"{path}/{answer.get('data', answer)['id']}"

    updated = sent(client, method, detail, {"name": "renamed"}, 200)
    deleted = sent(client, "delete", detail, None, 204)

    assert reads_of(updated, table, schedule.pk, schedule.public_id) == (
        once_before_and_once_locked()
    )
    assert reads_of(deleted, table, schedule.pk, schedule.public_id) == (
        once_before_and_once_locked()
    )
