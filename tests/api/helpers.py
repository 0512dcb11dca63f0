"""Shared setup for the API tests: objects made through the services, and a table of resources."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from schedules import rotation_services, shift_services, swap_services
from schedules import services as schedule_services
from schedules.models import Dialect, Schedule
from schedules.rotation_services import MemberInput, RotationInput, RotationScheduleInput
from shifts.models import LengthUnit, RotationKind
from users import services as user_services
from users.models import Organization, Role, User

API = "/api/v1"
NOT_FOUND = {"detail": "Not found."}
INVALID_TOKEN = {"detail": "Invalid token."}
INACTIVE_USER = {"detail": "Only active users are allowed to perform this action."}
NO_PERMISSION = {"detail": "You do not have permission to perform this action."}
# Ids that are well formed but belong to nobody.
UNKNOWN_IDS = {
    "schedules": "SAAAAAAAAAAAA",
    "on_call_shifts": "OAAAAAAAAAAAA",
    "users": "UAAAAAAAAAAAA",
    "teams": "TAAAAAAAAAAAA",
    "tokens": "KAAAAAAAAAAAA",
    "shift_swaps": "SSRAAAAAAAAAAAA",
}
PUBLIC_ID = re.compile(r"^[A-Z][ABCDEFGHIJKLMNPQRSTUVWXYZ1-9]{12}$")


def created(client, path: str, body: dict) -> dict:
    """POST `body` to `/api/v1/<path>/`, insist on 201 and return the created representation."""
    response = client.post(f"{API}/{path}/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def method_not_allowed(method: str) -> dict:
    return {"detail": f'Method "{method}" not allowed.'}


def page(results: list, *, page_size: int = 50, **overrides) -> dict:
    """The envelope of a single-page list answer."""
    return {
        "count": len(results),
        "next": None,
        "previous": None,
        "results": results,
        "current_page_number": 1,
        "page_size": page_size,
        "total_pages": 1,
        **overrides,
    }


def ids_of(response) -> list[str]:
    return [item["id"] for item in response.json()["results"]]


def create_schedule(organization: Organization, name: str = "Primary") -> str:
    schedule = schedule_services.schedule_create(
        organization=organization, schedule_type="calendar", name=name, time_zone="UTC"
    )
    return schedule.public_id


def create_dialect_schedule(organization: Organization, dialect: Dialect) -> str:
    """A schedule of one unrestricted daily rotation of a new user, written by `dialect`."""
    user = user_services.user_create(
        organization=organization,
        username=f"{dialect}-member",
        email=f"{dialect}-member@example.com",
        role=Role.EDITOR,
    )
    rotation = RotationInput(
        kind=RotationKind.DAILY,
        length=1,
        unit=LengthUnit.DAYS,
        time_zone="UTC",
        start=datetime(2024, 1, 1, tzinfo=UTC),
        members=(MemberInput(user=user, order=1),),
    )
    data = RotationScheduleInput(
        dialect=dialect, name="Layers", roster=(user,), rotations=(rotation,)
    )
    return rotation_services.rotation_schedule_create(
        organization=organization, data=data
    ).public_id


def create_shift(organization: Organization, name: str = "Day") -> str:
    shift = shift_services.on_call_shift_create(
        organization=organization,
        name=name,
        type="single_event",
        start=datetime(2024, 1, 1, 9, tzinfo=UTC),
        duration=timedelta(hours=1),
    )
    return shift.public_id


def daily_rotation(organization: Organization, users: list[User], start: datetime):
    """A rotation of `users` taking turns of a day from `start` (UTC)."""
    return shift_services.on_call_shift_create(
        organization=organization,
        name="daily",
        type="rolling_users",
        start=start,
        duration=timedelta(days=1),
        frequency="daily",
        interval=1,
        week_start="MO",
        rolling_users=[[user.public_id] for user in users],
        start_rotation_from_user_index=0,
        time_zone="UTC",
    )


def create_user(organization: Organization, username: str = "target", **fields) -> str:
    user = user_services.user_create(
        organization=organization,
        username=username,
        email=f"{username}@example.com",
        role=fields.pop("role", Role.EDITOR),
        **fields,
    )
    return user.public_id


def create_team(organization: Organization, name: str = "SRE") -> str:
    return user_services.team_create(organization=organization, name=name).public_id


def create_token(organization: Organization, name: str = "target") -> str:
    owner = User.objects.filter(organization=organization, username="token-owner").first()
    if owner is None:
        owner = user_services.user_create(
            organization=organization,
            username="token-owner",
            email="token-owner@example.com",
            role=Role.ADMIN,
        )
    token, _ = user_services.api_token_create(user=owner, name=name)
    return token.public_id


def token_create_body(organization: Organization) -> dict:
    return {"name": "ci", "user_id": create_user(organization, "token-holder")}


def swapper(organization: Organization) -> User:
    """The organization's user who asks for swaps (made on first use)."""
    user = User.objects.filter(organization=organization, username="swapper").first()
    return user or User.objects.get(public_id=create_user(organization, "swapper"))


def tomorrow() -> datetime:
    """A day from the real clock: swaps must start in the future."""
    return datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)


def create_swap(organization: Organization) -> str:
    schedule = Schedule.objects.get(public_id=create_schedule(organization, "Swaps"))
    start = tomorrow()
    swap = swap_services.shift_swap_create(
        schedule=schedule,
        beneficiary=swapper(organization),
        swap_start=start,
        swap_end=start + timedelta(hours=1),
        now=datetime.now(UTC),
    )
    return swap.public_id


def swap_times() -> dict:
    start = tomorrow()
    end = start + timedelta(hours=2)
    return {"swap_start": f"{start:%Y-%m-%dT%H:%M:%SZ}", "swap_end": f"{end:%Y-%m-%dT%H:%M:%SZ}"}


def swap_update_body(organization: Organization) -> dict:
    """A full PUT body (upstream's PUT of a swap is not partial)."""
    return {"schedule": create_schedule(organization, "Swaps"), **swap_times()}


def swap_create_body(organization: Organization) -> dict:
    return {**swap_update_body(organization), "beneficiary": swapper(organization).public_id}


@dataclass(frozen=True)
class Resource:
    """One `/api/v1/<name>/` collection, as the role, scoping and routing tables see it."""

    name: str
    read_role: Role
    write_role: Role
    make: Callable[[Organization], str]
    create_body: Callable[[Organization], dict]
    # A body, or what makes one in the caller's organization.
    update_body: dict | Callable[[Organization], dict] | None = field(default=None)

    def update_for(self, organization: Organization) -> dict | None:
        if callable(self.update_body):
            return self.update_body(organization)
        return self.update_body

    @property
    def list_url(self) -> str:
        return f"{API}/{self.name}/"

    def detail_url(self, public_id: str) -> str:
        return f"{API}/{self.name}/{public_id}/"


RESOURCES = [
    Resource(
        "schedules",
        read_role=Role.VIEWER,
        write_role=Role.EDITOR,
        make=create_schedule,
        create_body=lambda org: {"name": "New", "type": "calendar", "time_zone": "UTC"},
        update_body={"name": "Renamed"},
    ),
    Resource(
        "on_call_shifts",
        read_role=Role.VIEWER,
        write_role=Role.EDITOR,
        make=create_shift,
        create_body=lambda org: {
            "name": "New",
            "type": "single_event",
            "start": "2024-01-01T09:00:00",
            "duration": 3600,
        },
        update_body={"name": "Renamed"},
    ),
    Resource(
        "users",
        read_role=Role.VIEWER,
        write_role=Role.ADMIN,
        make=create_user,
        create_body=lambda org: {"username": "newcomer", "email": "newcomer@example.com"},
        update_body={"email": "renamed@example.com"},
    ),
    Resource(
        "teams",
        read_role=Role.VIEWER,
        write_role=Role.ADMIN,
        make=create_team,
        create_body=lambda org: {"name": "New team"},
        update_body={"name": "Renamed"},
    ),
    Resource(
        "tokens",
        read_role=Role.ADMIN,
        write_role=Role.ADMIN,
        make=create_token,
        create_body=token_create_body,
    ),
    Resource(
        "shift_swaps",
        read_role=Role.VIEWER,
        write_role=Role.EDITOR,
        make=create_swap,
        create_body=swap_create_body,
        update_body=swap_update_body,
    ),
]
RESOURCE_IDS = [resource.name for resource in RESOURCES]
