"""Signing in to the pages: sessions, passwords set by admins, the throttle, roles."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from freezegun import freeze_time

from tests.api.helpers import API, NO_PERMISSION
from tests.pages.conftest import PASSWORD
from users import services
from users.admin import UserAdminForm
from users.models import Role, User

pytestmark = pytest.mark.django_db

SIGN_IN = "/sign-in/"
WRONG = "Wrong username or password."


def sign_in(client, username: str, password: str, address: str = "10.0.0.1", **extra):
    return client.post(
        SIGN_IN, {"username": username, "password": password, **extra}, REMOTE_ADDR=address
    )


def test_signing_in_opens_the_pages(client, person):
    person("alice")

    response = sign_in(client, "alice", PASSWORD)

    assert (response.status_code, response["Location"]) == (302, "/schedules/")
    assert client.get("/schedules/").status_code == 200
    assert client.get("/").url == "/schedules/"


def test_pages_send_strangers_to_sign_in(client):
    assert client.get("/").url == "/sign-in/"
    assert client.get("/schedules/?name=x").url == "/sign-in/?next=%2Fschedules%2F%3Fname%3Dx"
    assert client.get("/my-shifts/").url == "/sign-in/?next=%2Fmy-shifts%2F"


def test_sign_in_goes_on_to_next_of_this_site_only(client, person):
    person("alice")

    inside = sign_in(client, "alice", PASSWORD, next="/my-shifts/")
    client.post("/sign-out/")
    outside = sign_in(client, "alice", PASSWORD, next="https://evil.example/")

    assert (inside["Location"], outside["Location"]) == ("/my-shifts/", "/schedules/")


@pytest.mark.parametrize(
    ("username", "password"),
    [("alice", "wrong password"), ("nobody", PASSWORD), ("ALICE", PASSWORD), ("alice", "")],
)
def test_wrong_credentials_say_so_and_open_nothing(client, person, username, password):
    person("alice")

    response = sign_in(client, username, password)

    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert client.get("/schedules/").status_code == 302


@pytest.mark.parametrize(
    "change",
    [
        {"role": Role.NONE},
        {"is_active": False},
        {"password": "a new password"},
    ],
    ids=["role none", "deactivated", "new password"],
)
def test_a_change_to_the_user_ends_its_sessions(client, person, change):
    alice = person("alice")
    sign_in(client, "alice", PASSWORD)

    services.user_update(user=alice, **change)

    assert client.get("/schedules/").url == "/sign-in/?next=%2Fschedules%2F"


def test_users_without_a_password_or_with_role_none_cannot_sign_in(client, organization, person):
    services.user_create(organization=organization, username="tokens-only", email="t@e.com")
    person("silent", Role.NONE)

    assert WRONG in sign_in(client, "tokens-only", "").content.decode()
    assert WRONG in sign_in(client, "silent", PASSWORD).content.decode()


def test_the_password_picks_the_organization_among_equal_usernames(
    client, person, other_organization
):
    person("alice", password="acme's password")
    person("alice", org=other_organization, password="globex's password")

    sign_in(client, "alice", "globex's password")

    page = client.get("/schedules/").content.decode()
    assert "globex" in page
    assert "acme" not in page


def test_signing_out_ends_the_session(client, person):
    person("alice")
    sign_in(client, "alice", PASSWORD)

    assert client.get("/sign-out/").status_code == 405
    assert client.post("/sign-out/").url == SIGN_IN
    assert client.get("/schedules/").status_code == 302


def test_the_session_key_changes_at_sign_in(client, person):
    person("alice")
    client.get(SIGN_IN)
    client.session.save()
    before = client.session.session_key

    sign_in(client, "alice", PASSWORD)

    assert client.session.session_key != before


@freeze_time(datetime(2026, 3, 18, 12, tzinfo=UTC))
def test_failures_per_username_are_throttled_for_a_minute(client, person):
    person("alice")
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"):
        assert sign_in(client, "alice", "wrong", address).status_code == 200

    refused = sign_in(client, "alice", PASSWORD, "10.0.0.6")

    assert (refused.status_code, refused["Retry-After"]) == (429, "60")
    assert "Too many failed sign-ins. Try again in 60 seconds." in refused.content.decode()
    with freeze_time(datetime(2026, 3, 18, 12, 1, 1, tzinfo=UTC)):
        assert sign_in(client, "alice", PASSWORD, "10.0.0.6").status_code == 302


@freeze_time(datetime(2026, 3, 18, 12, tzinfo=UTC))
def test_failures_per_address_are_throttled(client, person):
    person("alice")
    for attempt in range(20):
        assert sign_in(client, f"user{attempt}", "wrong", "10.9.9.9").status_code == 200

    assert sign_in(client, "alice", PASSWORD, "10.9.9.9").status_code == 429
    assert sign_in(client, "alice", PASSWORD, "10.9.9.8").status_code == 302


@freeze_time(datetime(2026, 3, 18, 12, tzinfo=UTC))
def test_a_successful_sign_in_clears_the_usernames_failures(client, person):
    person("alice")
    for _ in range(4):
        sign_in(client, "alice", "wrong")
    sign_in(client, "alice", PASSWORD)
    client.post("/sign-out/")

    for _ in range(4):
        assert sign_in(client, "alice", "wrong", "10.0.0.2").status_code == 200
    assert sign_in(client, "alice", PASSWORD, "10.0.0.2").status_code == 302


def test_the_throttle_forgets_after_a_minute_of_quiet(client, person):
    person("alice")
    start = datetime(2026, 3, 18, 12, tzinfo=UTC)
    for second in range(5):
        with freeze_time(start + timedelta(seconds=second * 10)):
            sign_in(client, "alice", "wrong")

    with freeze_time(start + timedelta(seconds=59)):
        assert sign_in(client, "alice", PASSWORD).status_code == 429
    with freeze_time(start + timedelta(seconds=61)):
        assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_bootstrap_sets_the_password(client):
    out = StringIO()
    call_command(
        "bootstrap",
        "--org=acme",
        "--username=root",
        "--email=root@example.com",
        "--password=bootstrap password",
        stdout=out,
    )

    assert sign_in(client, "root", "bootstrap password").status_code == 302
    with pytest.raises(CommandError, match="at least 8 characters"):
        call_command(
            "bootstrap", "--org=acme", "--username=root", "--email=r@e.com", "--password=short"
        )


def test_bootstrap_without_a_password_keeps_the_one_there(client, person):
    person("root", Role.ADMIN)

    call_command("bootstrap", "--org=acme", "--username=root", "--email=r@e.com", stdout=StringIO())

    assert sign_in(client, "root", PASSWORD).status_code == 302


def test_admins_set_passwords_through_the_api(api_client, client, organization):
    created = api_client.post(
        f"{API}/users/",
        {"username": "bob", "email": "bob@example.com", "password": "bob's password"},
        format="json",
    )
    bob = User.objects.get(public_id=created.json()["id"])
    changed = api_client.put(
        f"{API}/users/{bob.public_id}/", {"password": "bob's new password"}, format="json"
    )
    too_short = api_client.put(
        f"{API}/users/{bob.public_id}/", {"password": "short"}, format="json"
    )

    assert "password" not in created.json()
    assert "password" not in changed.json()
    assert "password" not in api_client.get(f"{API}/users/{bob.public_id}/").json()
    assert too_short.json() == {"password": ["Ensure this field has at least 8 characters."]}
    bob.refresh_from_db()
    assert check_password("bob's new password", bob.password)
    assert sign_in(client, "bob", "bob's new password").status_code == 302


def test_only_admins_set_passwords_through_the_api(make_user, make_client, person):
    editor = make_client(make_user("ed", Role.EDITOR))
    alice = person("alice")

    response = editor.put(f"{API}/users/{alice.public_id}/", {"password": "x" * 12}, format="json")

    assert (response.status_code, response.json()) == (403, NO_PERMISSION)


def test_the_admin_form_sets_a_password_and_never_shows_the_hash(person, client):
    alice = person("alice")
    fields = {
        "organization": alice.organization_id,
        "grafana_id": alice.grafana_id,
        "username": "alice",
        "email": "alice@example.com",
        "role": Role.EDITOR,
        "is_active": True,
    }

    kept = UserAdminForm({**fields, "new_password": ""}, instance=alice)
    kept.is_valid()
    kept.save()
    assert sign_in(client, "alice", PASSWORD).status_code == 302
    changed = UserAdminForm({**fields, "new_password": "admin-set password"}, instance=alice)
    assert changed.is_valid(), changed.errors
    changed.save()

    assert "password" not in UserAdminForm(instance=alice).fields
    assert check_password("admin-set password", User.objects.get(pk=alice.pk).password)
