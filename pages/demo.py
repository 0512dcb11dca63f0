"""The demo organization (docs/pages.md#the-demo): six people in three zones, two teams, a
follow-the-sun rotation, a weekly primary and secondary, overrides next week and one gap;
made through the same services as the API, with dates around the week it is made in."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction

from schedules import services as schedule_services
from schedules import shift_services
from schedules.models import Schedule, ScheduleType
from shifts.models import Frequency, ShiftType
from users import services as user_services
from users.models import Organization, Role, Team, User

# Who, where, and which team.
PEOPLE = (
    ("alice", "Europe/London", "Platform"),
    ("bob", "America/New_York", "Platform"),
    ("mia", "Australia/Sydney", "Platform"),
    ("oliver", "Europe/London", "Payments"),
    ("sofia", "America/New_York", "Payments"),
    ("noah", "Australia/Sydney", "Payments"),
)
# The follow-the-sun turns of the day, in UTC: Sydney's, London's, then New York's working day.
FOLLOW_THE_SUN = (("APAC", "mia", 0), ("EMEA", "alice", 8), ("AMER", "bob", 16))
TURN = timedelta(hours=8)
WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Demo:
    organization: Organization
    people: dict[str, User]
    schedules: dict[str, Schedule]


def monday_of(day: date) -> datetime:
    monday = day - timedelta(days=day.weekday())
    return datetime.combine(monday, time(0), UTC)


def at(day: datetime, hours: int) -> datetime:
    return day + timedelta(hours=hours)


@transaction.atomic
def demo_fill(*, organization: Organization, today: date) -> Demo | None:
    """Fill `organization` with the demo; None (and nothing done) when it has its teams already."""
    if Team.objects.filter(organization=organization, name__in=("Platform", "Payments")).exists():
        return None
    teams = {
        name: user_services.team_create(organization=organization, name=name)
        for name in ("Platform", "Payments")
    }
    people = {
        name: user_services.user_create(
            organization=organization,
            username=name,
            email=f"{name}@example.com",
            role=Role.EDITOR,
            timezone=zone,
            teams=[teams[team]],
        )
        for name, zone, team in PEOPLE
    }
    this_monday = monday_of(today)
    began = this_monday - 2 * WEEK
    next_monday = this_monday + WEEK
    schedules = {
        "follow_the_sun": follow_the_sun(
            organization, teams["Platform"], people, began, next_monday
        ),
        **weekly_pair(organization, teams["Payments"], people, began),
    }
    # Next week: oliver covers Tuesday's London turn for alice, sofia takes noah's Thursday.
    schedule_services.schedule_override_add(
        schedule=schedules["follow_the_sun"],
        users=[people["oliver"]],
        start=at(next_monday + timedelta(days=1), 8),
        end=at(next_monday + timedelta(days=1), 16),
    )
    schedule_services.schedule_override_add(
        schedule=schedules["primary"],
        users=[people["sofia"]],
        start=at(next_monday + timedelta(days=3), 0),
        end=at(next_monday + timedelta(days=4), 0),
    )
    return Demo(organization, people, schedules)


def follow_the_sun(
    organization: Organization,
    team: Team,
    people: dict[str, User],
    began: datetime,
    next_monday: datetime,
) -> Schedule:
    """Three daily turns of 8 hours, one per zone. London's turn stops after next Tuesday and
    starts again on Thursday: next Wednesday's London hours are the demo's gap."""
    wednesday = next_monday + timedelta(days=2)
    turns: list[tuple[str, str, datetime, datetime | None]] = []
    for name, person, hour in FOLLOW_THE_SUN:
        if name == "EMEA":
            turns.append(
                (f"{name} ({person}) until next Tuesday", person, at(began, hour), wednesday)
            )
            thursday = at(wednesday + timedelta(days=1), hour)
            turns.append((f"{name} ({person}) from next Thursday", person, thursday, None))
        else:
            turns.append((f"{name} ({person})", person, at(began, hour), None))
    shifts = [
        shift_services.on_call_shift_create(
            organization=organization,
            users=[people[person]],
            name=name,
            team=team,
            type=ShiftType.RECURRENT_EVENT,
            time_zone="UTC",
            start=start,
            until=until,
            duration=TURN,
            frequency=Frequency.DAILY,
            interval=1,
        )
        for name, person, start, until in turns
    ]
    return schedule_services.schedule_create(
        organization=organization,
        schedule_type=ScheduleType.CALENDAR,
        name="Platform follow-the-sun",
        team=team,
        time_zone="UTC",
        enable_web_overrides=True,
        shifts=shifts,
    )


def weekly_pair(
    organization: Organization, team: Team, people: dict[str, User], began: datetime
) -> dict[str, Schedule]:
    """Payments' weekly primary and secondary: the same three people a turn apart, handing
    over on Monday at 09:00 London time."""
    turns = [[people[name].public_id] for name in ("oliver", "sofia", "noah")]
    schedules = {}
    for key, label, first in (
        ("primary", "Payments primary", 0),
        ("secondary", "Payments secondary", 1),
    ):
        shift = shift_services.on_call_shift_create(
            organization=organization,
            name=f"{label} weekly",
            team=team,
            type=ShiftType.ROLLING_USERS,
            time_zone="Europe/London",
            start=at(began, 9),
            duration=WEEK,
            frequency=Frequency.WEEKLY,
            interval=1,
            week_start="MO",
            rolling_users=turns,
            start_rotation_from_user_index=first,
        )
        schedules[key] = schedule_services.schedule_create(
            organization=organization,
            schedule_type=ScheduleType.CALENDAR,
            name=label,
            team=team,
            time_zone="Europe/London",
            enable_web_overrides=True,
            shifts=[shift],
        )
    return schedules
