"""Export tokens: `…/export_token` routes of schedules and users (DECISIONS §3) and how the
`?token=` of the iCal routes is checked (UPSTREAM-BEHAVIOUR §e)."""

import hashlib
import json
import re
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction
from freezegun import freeze_time
from rest_framework.test import APIClient

from apikit.throttling import UserRateThrottle
from schedules.models import ExportToken, Schedule
from tests.api.helpers import API, NO_PERMISSION, NOT_FOUND, create_schedule, create_user
from users.models import Organization, Role, User

pytestmark = pytest.mark.django_db

BASE_URL = "https://oncall.example.com"
NOW = "2024-05-10T15:30:00Z"
CALENDAR = "text/calendar; charset=utf-8"
DEACTIVATED = {"detail": "Export token is deactivated"}
HEX_TOKEN = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Owner:
    """A schedule or a user, as the export token routes see it."""

    collection: str
    export_action: str
    invalid_message: str
    make: object  # (organization) -> public id

    def token_url(self, public_id: str, slash: str = "/") -> str:
        return f"{API}/{self.collection}/{public_id}/export_token{slash}"

    def export_path(self, public_id: str, slash: str = "/") -> str:
        return f"{API}/{self.collection}/{public_id}/{self.export_action}{slash}"

    @property
    def invalid(self) -> dict:
        return {"detail": self.invalid_message}


SCHEDULE = Owner(
    "schedules", "export", "Invalid schedule export token for schedule", create_schedule
)
USER = Owner("users", "schedule_export", "Invalid schedule export token for user", create_user)
OWNERS = [SCHEDULE, USER]
OWNER_IDS = ["schedule", "user"]


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE_URL


@pytest.fixture(params=OWNERS, ids=OWNER_IDS)
def owner(request) -> Owner:
    return request.param


@pytest.fixture
def owner_id(owner, organization) -> str:
    return owner.make(organization)


def create_token(client: APIClient, owner: Owner, public_id: str) -> dict:
    response = client.post(owner.token_url(public_id))
    assert response.status_code == 201, response.content
    return response.json()


def export(owner: Owner, public_id: str, query: str = "", **headers):
    """The iCal route, without any API token."""
    return APIClient().get(owner.export_path(public_id) + query, **headers)


def assert_refused(response, body: dict) -> None:
    # Upstream answers errors of the iCal routes as JSON text under the calendar content type.
    assert (response.status_code, response["Content-Type"], json.loads(response.content)) == (
        403,
        CALENDAR,
        body,
    )


# --- creating, reading, replacing and revoking ----------------------------------------------


@freeze_time(NOW)
def test_create_shows_the_value_once_with_an_absolute_export_url(api_client, owner, owner_id):
    body = create_token(api_client, owner, owner_id)

    assert HEX_TOKEN.match(body["token"])
    assert body == {
        "token": body["token"],
        "created_at": "2024-05-10T15:30:00Z",
        "export_url": f"{BASE_URL}{owner.export_path(owner_id)}?token={body['token']}",
    }
    assert api_client.get(owner.token_url(owner_id)).json() == {
        "created_at": "2024-05-10T15:30:00Z"
    }


def test_token_is_stored_hashed(api_client, owner, owner_id):
    value = create_token(api_client, owner, owner_id)["token"]

    stored = ExportToken.objects.values("prefix", "digest").get()
    assert stored == {"prefix": value[:8], "digest": hashlib.sha256(value.encode()).hexdigest()}


def test_the_export_url_opens_the_calendar(api_client, owner, owner_id):
    body = create_token(api_client, owner, owner_id)

    response = APIClient().get(body["export_url"].removeprefix(BASE_URL))

    assert (response.status_code, response["Content-Type"]) == (200, CALENDAR)
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")


def test_without_a_token_get_and_delete_are_404(api_client, owner, owner_id):
    url = owner.token_url(owner_id)
    assert (api_client.get(url).status_code, api_client.get(url).json()) == (404, NOT_FOUND)
    response = api_client.delete(url)
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_a_new_token_replaces_the_old_one(api_client, owner, owner_id):
    with freeze_time("2024-05-10T08:00:00Z"):
        old = create_token(api_client, owner, owner_id)["token"]
    with freeze_time("2024-05-11T09:00:00Z"):
        new = create_token(api_client, owner, owner_id)["token"]

    assert new != old
    assert_refused(export(owner, owner_id, f"?token={old}"), DEACTIVATED)
    assert export(owner, owner_id, f"?token={new}").status_code == 200
    assert api_client.get(owner.token_url(owner_id)).json() == {
        "created_at": "2024-05-11T09:00:00Z"
    }
    assert ExportToken.objects.filter(revoked_at__isnull=True).count() == 1


def test_delete_revokes(api_client, owner, owner_id):
    value = create_token(api_client, owner, owner_id)["token"]

    response = api_client.delete(owner.token_url(owner_id))

    assert (response.status_code, response.content) == (204, b"")
    assert api_client.get(owner.token_url(owner_id)).status_code == 404
    assert_refused(export(owner, owner_id, f"?token={value}"), DEACTIVATED)
    assert api_client.delete(owner.token_url(owner_id)).status_code == 404


@pytest.mark.parametrize("slash", ["/", ""], ids=["slash", "no-slash"])
def test_routes_answer_with_and_without_trailing_slash(api_client, owner, owner_id, slash):
    url = owner.token_url(owner_id, slash)
    created = api_client.post(url)
    assert created.status_code == 201
    assert api_client.get(url).status_code == 200
    response = APIClient().get(
        owner.export_path(owner_id, slash), {"token": created.json()["token"]}
    )
    assert response.status_code == 200
    assert api_client.delete(url).status_code == 204


def test_current_user_alias(api_client, admin):
    body = create_token(api_client, USER, "current")

    assert body["export_url"] == (
        f"{BASE_URL}{API}/users/{admin.public_id}/schedule_export/?token={body['token']}"
    )
    assert api_client.get(USER.token_url(admin.public_id)).status_code == 200


# --- who may do what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "get", "post", "delete"),
    [
        (Role.ADMIN, 200, 201, 204),
        (Role.EDITOR, 200, 201, 204),
        (Role.VIEWER, 200, 403, 403),
        (Role.NONE, 403, 403, 403),
    ],
    ids=["admin", "editor", "viewer", "none"],
)
def test_roles(api_client, make_user, make_client, owner, owner_id, role, get, post, delete):
    """Another user's export token: only admins manage it (tests/api/test_auth.py has the
    whole matrix, the owner's own token included)."""
    if owner is USER and role == Role.EDITOR:
        post, delete = 403, 403
    create_token(api_client, owner, owner_id)
    client = make_client(make_user("caller", role))
    url = owner.token_url(owner_id)

    answers = [client.get(url), client.post(url), client.delete(url)]

    assert [answer.status_code for answer in answers] == [get, post, delete]
    for answer in answers:
        if answer.status_code == 403:
            assert answer.json() == NO_PERMISSION


def test_other_organizations_objects_are_404(
    api_client, owner, other_organization: Organization, make_user, make_client
):
    foreign_id = owner.make(other_organization)
    foreign_admin = make_client(make_user("their-admin", org=other_organization))
    create_token(foreign_admin, owner, foreign_id)
    url = owner.token_url(foreign_id)

    for response in (api_client.get(url), api_client.post(url), api_client.delete(url)):
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert foreign_admin.get(url).status_code == 200


def test_token_routes_need_an_api_token(owner, owner_id):
    response = APIClient().post(owner.token_url(owner_id))
    assert (response.status_code, response.json()) == (403, {"detail": "Invalid token."})


# --- the `?token=` of the iCal routes -----------------------------------------------------------


@pytest.fixture
def live_token(api_client, owner, owner_id) -> str:
    return create_token(api_client, owner, owner_id)["token"]


@pytest.mark.parametrize(
    "query",
    ["", "?token=", "?token=not-hex", f"?token={'a' * 64}", f"?token={'A' * 63}"],
    ids=["missing", "empty", "malformed", "unknown", "short"],
)
def test_wrong_token_is_refused(owner, owner_id, live_token, query):
    assert_refused(export(owner, owner_id, query), owner.invalid)


def test_token_of_another_schedule_or_user_is_refused(api_client, owner, owner_id, organization):
    other_id = owner.make(organization, "other")
    other_token = create_token(api_client, owner, other_id)["token"]

    assert_refused(export(owner, owner_id, f"?token={other_token}"), owner.invalid)


def test_a_schedule_token_does_not_open_a_user_export_and_back(api_client, organization):
    schedule_id, user_id = create_schedule(organization), create_user(organization)
    schedule_token = create_token(api_client, SCHEDULE, schedule_id)["token"]
    user_token = create_token(api_client, USER, user_id)["token"]

    assert_refused(export(USER, user_id, f"?token={schedule_token}"), USER.invalid)
    assert_refused(export(SCHEDULE, schedule_id, f"?token={user_token}"), SCHEDULE.invalid)


def test_unknown_id_is_refused_not_404(owner, live_token):
    unknown = "SAAAAAAAAAAAA" if owner is SCHEDULE else "UAAAAAAAAAAAA"
    assert_refused(export(owner, unknown, f"?token={live_token}"), owner.invalid)


def test_api_token_does_not_open_the_export(api_client, owner, owner_id, live_token):
    response = api_client.get(owner.export_path(owner_id))
    assert_refused(response, owner.invalid)


def test_any_accept_header_gets_the_calendar(owner, owner_id, live_token):
    response = export(owner, owner_id, f"?token={live_token}", HTTP_ACCEPT="application/json")
    assert (response.status_code, response["Content-Type"]) == (200, CALENDAR)


def test_deleted_user_export_is_deactivated(api_client, organization):
    user_id = create_user(organization)
    value = create_token(api_client, USER, user_id)["token"]

    assert api_client.delete(f"{API}/users/{user_id}/").status_code == 204

    assert_refused(export(USER, user_id, f"?token={value}"), DEACTIVATED)


def test_deleted_schedule_takes_its_token_along(api_client, organization):
    schedule_id = create_schedule(organization)
    value = create_token(api_client, SCHEDULE, schedule_id)["token"]

    assert api_client.delete(f"{API}/schedules/{schedule_id}/").status_code == 204

    assert_refused(export(SCHEDULE, schedule_id, f"?token={value}"), SCHEDULE.invalid)
    assert not ExportToken.objects.exists()


# --- throttling ------------------------------------------------------------------------------


@pytest.fixture
def small_rate(monkeypatch):
    # DRF reads the rate when the throttle class is defined, so settings overrides come too late.
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"public_api": "2/minute"})
    cache.clear()
    yield
    cache.clear()


def test_exports_are_throttled_per_token(api_client, owner, owner_id, organization, small_rate):
    other_id = owner.make(organization, "other")
    with freeze_time(NOW):
        value = create_token(api_client, owner, owner_id)["token"]
        other = create_token(api_client, owner, other_id)["token"]
        cache.clear()
        statuses = [export(owner, owner_id, f"?token={value}").status_code for _ in range(3)]
        throttled = export(owner, owner_id, f"?token={value}")
        other_answer = export(owner, other_id, f"?token={other}")

    assert statuses == [200, 200, 429]
    assert json.loads(throttled.content) == {
        "detail": "Request was throttled. Expected available in 60 seconds."
    }
    assert throttled["RateLimit-Reset"] == "60"
    assert other_answer.status_code == 200


# --- the stored row -------------------------------------------------------------------------


@pytest.mark.parametrize("owners", [(), ("schedule", "user")], ids=["neither", "both"])
def test_a_token_belongs_to_exactly_one_schedule_or_user(organization, owners):
    fields = {
        "schedule": Schedule.objects.get(public_id=create_schedule(organization)),
        "user": User.objects.get(public_id=create_user(organization)),
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportToken.objects.create(
            organization=organization,
            prefix="0" * 8,
            digest="0" * 64,
            **{name: fields[name] for name in owners},
        )
