"""Helpers for the `/api/v1/on_call_shifts/` tests: request bodies, expected bodies, setup."""

from schedules import services as schedule_services
from schedules.models import Schedule
from shifts.models import OnCallShift
from users.models import Organization

SHIFTS_URL = "/api/v1/on_call_shifts/"

# A Monday; every wall-clock value below is sent and expected in the strict upstream format.
T0 = "2024-05-06T10:00:00"
T0_PLUS_30D = "2024-06-05T10:00:00"

INVALID_DATETIME = {"detail": "Invalid datetime format, should be \"yyyy-mm-dd'T'hh:mm:ss\""}
INVALID_SHIFT_TYPE = {"detail": "Invalid shift type"}
INVALID_FREQUENCY = {"detail": "Invalid frequency type"}
INVALID_INTERVAL = {"detail": "Invalid value for interval"}
INTERVAL_REQUIRED = {"detail": "Field 'interval' must be a positive integer"}
FREQUENCY_REQUIRED = {"detail": "Field 'frequency' is required for this on-call shift type"}
WEEK_START_REQUIRED = {"detail": "Field 'week_start' is required for frequency type 'weekly'"}
INVALID_WEEK_START = {
    "detail": "Invalid day format for week start field. "
    "Should be one of the following: 'MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'"
}
INVALID_BY_DAY = {
    "detail": "Invalid day value in by_day field. "
    "Valid values: 'MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'"
}
INVALID_BY_MONTH = {"detail": "Invalid month value in by_month field. Valid values: from 1 to 12"}
INVALID_BY_MONTHDAY = {
    "detail": "Invalid monthday value in by_monthday field. "
    "Valid values: from 1 to 31 and from -31 to -1"
}
START_INDEX_REQUIRED = {
    "detail": "Field 'start_rotation_from_user_index' is required for this on-call shift type"
}
DAILY_DAY_LIMITS = {
    "detail": "Day limits are temporarily disabled for on-call shifts with type 'rolling_users' "
    "and frequency 'daily'"
}
INTERVAL_OVER_DAYS = {
    "detail": "Interval must be less than or equal to the number of selected days"
}
INVALID_TIME_ZONE = {"time_zone": ["Invalid timezone"]}
INVALID_DURATION = {
    "duration": [
        "Duration has wrong format. Use one of these formats instead: [DD] [HH:[MM:]]ss[.uuuuuu]."
    ]
}

# Response key sets per type, written out from UPSTREAM-BEHAVIOUR §c.4 (not from the code).
SINGLE_EVENT_KEYS = {
    "id",
    "team_id",
    "schedule",
    "name",
    "type",
    "time_zone",
    "level",
    "start",
    "rotation_start",
    "duration",
    "users",
}
RECURRENCE_KEYS = {"frequency", "interval", "until", "by_day", "by_month", "by_monthday"}
KEYS_BY_TYPE = {
    "single_event": SINGLE_EVENT_KEYS,
    "recurrent_event": SINGLE_EVENT_KEYS | RECURRENCE_KEYS,
    "rolling_users": (SINGLE_EVENT_KEYS - {"users"})
    | RECURRENCE_KEYS
    | {"rolling_users", "start_rotation_from_user_index"},
    "override": SINGLE_EVENT_KEYS - {"level"},
}

# What an unset field reads as, for `expected_shift`.
UNSET = {
    "team_id": None,
    "schedule": None,
    "name": None,
    "time_zone": None,
    "level": 0,
    "start": T0,
    "rotation_start": T0,
    "duration": 3600,
    "users": [],
    "frequency": None,
    "interval": None,
    "until": None,
    "week_start": "SU",
    "by_day": None,
    "by_month": None,
    "by_monthday": None,
    "rolling_users": None,
    "start_rotation_from_user_index": None,
}

# The smallest accepted body per type (rolling shifts still need their `rolling_users`).
MINIMAL_BODIES = {
    "single_event": {"type": "single_event", "start": T0, "duration": 3600},
    "recurrent_event": {
        "type": "recurrent_event",
        "start": T0,
        "duration": 3600,
        "frequency": "daily",
    },
    "rolling_users": {
        "type": "rolling_users",
        "start": T0,
        "duration": 3600,
        "frequency": "daily",
        "start_rotation_from_user_index": 0,
    },
    "override": {"type": "override", "start": T0, "duration": 3600},
}
SHIFT_TYPES = list(MINIMAL_BODIES)


def shift_url(shift_id: str) -> str:
    return f"{SHIFTS_URL}{shift_id}/"


def shift_body(shift_type: str, **fields) -> dict:
    return {**MINIMAL_BODIES[shift_type], **fields}


def post_shift(client, shift_type: str, **fields):
    return client.post(SHIFTS_URL, shift_body(shift_type, **fields), format="json")


def create_shift(client, shift_type: str = "single_event", **fields) -> dict:
    """POST a shift and return its representation (the POST must succeed)."""
    response = post_shift(client, shift_type, **fields)
    assert response.status_code == 201, response.json()
    return response.json()


def expected_shift(shift_type: str, shift_id: str, **fields) -> dict:
    """The whole representation of a shift of `shift_type`: `fields` over the unset values,
    restricted to the type's key set (+ `week_start` when weekly)."""
    keys = set(KEYS_BY_TYPE[shift_type])
    if fields.get("frequency") == "weekly":
        keys.add("week_start")
    unexpected = set(fields) - keys
    assert not unexpected, f"{unexpected} are not keys of a {shift_type} shift"
    values = {**UNSET, "type": shift_type, "id": shift_id, **fields}
    return {key: values[key] for key in keys}


def stored(shift_id: str) -> OnCallShift:
    return OnCallShift.objects.get(public_id=shift_id)


def make_schedule(
    organization: Organization, schedule_type: str, *shift_ids: str, name: str = "Primary", **fields
) -> Schedule:
    """A calendar schedule linking, or a web schedule owning, the given shifts."""
    return schedule_services.schedule_create(
        organization=organization,
        schedule_type=schedule_type,
        name=name,
        time_zone="UTC",
        shifts=list(OnCallShift.objects.filter(public_id__in=shift_ids)),
        **fields,
    )


def stored_values(shift_id: str, *names: str) -> dict:
    """Stored fields of a shift as comparable plain values: wall-clock strings for datetimes,
    integer seconds for the duration and usernames for `users`."""
    shift = stored(shift_id)
    values = {}
    for name in names:
        value = getattr(shift, name)
        if name == "users":
            value = [user.username for user in value.all()]
        elif name in ("start", "rotation_start", "until") and value is not None:
            value = value.strftime("%Y-%m-%dT%H:%M:%S")
        elif name == "duration":
            value = int(value.total_seconds())
        values[name] = value
    return values
