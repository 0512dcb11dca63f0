"""Values at the ends of their ranges are refused at write (or query) time with a 400 naming the
field, in the shape of the API they came through, and nothing stored makes a read fail
(issue 14, findings 5, 9 and 10; docs/api.md#value-ranges)."""

from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shifts.models import OnCallShift
from tests.api.helpers import API, NOT_FOUND
from tests.dialects.conftest import bearer
from tests.dialects.seeds import INSTATUS, SIGNAL, SIGNAL_ROTATION, changed, instatus_shift

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = ["Must be between 1970-01-01T00:00:00Z and 9000-01-01T00:00:00Z."]
NOW = "2026-03-01T00:00:00Z"
BIG = 2**63


@pytest.fixture(autouse=True)
def clock():
    with freeze_time(NOW):
        yield


@pytest.fixture
def member(make_user):
    return make_user("member")


@pytest.fixture
def dialect_client(admin):
    """An admin sending `Authorization: Bearer <token>`, as Signal and Instatus clients do."""
    return bearer(admin)


@pytest.fixture
def schedule_id(api_client) -> str:
    body = {"name": "Primary", "type": "calendar", "time_zone": "UTC"}
    return api_client.post(f"{API}/schedules/", body, format="json").json()["id"]


def rolling(member, **fields) -> dict:
    return {
        "type": "rolling_users",
        "frequency": "daily",
        "start": "2030-01-01T09:00:00",
        "duration": 3600,
        "rolling_users": [[member.public_id]],
        "start_rotation_from_user_index": 0,
        **fields,
    }


@pytest.mark.parametrize(
    "fields, errors",
    [
        ({"start": "9999-12-31T23:00:00", "duration": 7200}, {"start": OUT_OF_RANGE}),
        ({"start": "0001-01-01T00:00:00"}, {"start": OUT_OF_RANGE}),
        ({"start": "1969-12-31T23:59:59"}, {"start": OUT_OF_RANGE}),
        ({"start": "9000-01-01T00:00:00"}, {"start": OUT_OF_RANGE}),
        ({"until": "9999-12-31T23:59:59"}, {"until": OUT_OF_RANGE}),
        ({"rotation_start": "0001-01-01T00:00:00"}, {"rotation_start": OUT_OF_RANGE}),
        ({"level": BIG}, {"level": ["Ensure this value is less than or equal to 2147483647."]}),
        (
            {"level": -BIG},
            {"level": ["Ensure this value is greater than or equal to -2147483648."]},
        ),
        ({"interval": BIG}, {"interval": ["Ensure this value is less than or equal to 1000."]}),
        (
            {"start_rotation_from_user_index": BIG},
            {
                "start_rotation_from_user_index": [
                    "Ensure this value is less than or equal to 2147483647."
                ]
            },
        ),
    ],
)
def test_shift_fields_out_of_range(api_client, member, fields, errors):
    response = api_client.post(f"{API}/on_call_shifts/", rolling(member, **fields), format="json")
    assert (response.status_code, response.json()) == (400, errors)
    assert not OnCallShift.objects.exists()


def test_override_at_the_end_of_time(api_client, member):
    body = {
        "type": "override",
        "start": "9999-12-31T23:00:00",
        "duration": 7200,
        "users": [member.public_id],
    }
    response = api_client.post(f"{API}/on_call_shifts/", body, format="json")
    assert (response.status_code, response.json()) == (400, {"start": OUT_OF_RANGE})


def test_shift_update_out_of_range(api_client, member):
    shift = api_client.post(f"{API}/on_call_shifts/", rolling(member), format="json").json()
    response = api_client.patch(
        f"{API}/on_call_shifts/{shift['id']}/", {"until": "9999-12-31T00:00:00"}, format="json"
    )
    assert (response.status_code, response.json()) == (400, {"until": OUT_OF_RANGE})


def test_the_range_ends_are_accepted(api_client, member):
    body = rolling(member, start="1970-01-01T00:00:00", until="8999-12-31T23:59:59", interval=1000)
    response = api_client.post(f"{API}/on_call_shifts/", body, format="json")
    assert response.status_code == 201, response.json()


BOTH_DATES = {"start_date": OUT_OF_RANGE, "end_date": OUT_OF_RANGE}


@pytest.mark.parametrize(
    "query, errors",
    [
        ("start_date=0001-01-01&end_date=0001-01-05", BOTH_DATES),
        ("start_date=9999-12-25&end_date=9999-12-31", BOTH_DATES),
        ("start_date=8999-12-25&end_date=9000-01-01", {"end_date": OUT_OF_RANGE}),
    ],
)
def test_final_shifts_windows_out_of_range(api_client, schedule_id, query, errors):
    response = api_client.get(f"{API}/schedules/{schedule_id}/final_shifts?{query}")
    assert (response.status_code, response.json()) == (400, errors)


def test_final_shifts_at_the_last_year(api_client, schedule_id):
    query = "start_date=8999-01-01&end_date=8999-12-31"
    response = api_client.get(f"{API}/schedules/{schedule_id}/final_shifts?{query}")
    assert (response.status_code, response.json()["count"]) == (200, 0)


@pytest.mark.parametrize("route", ["next_oncall", "previous_oncall"])
def test_days_out_of_range(api_client, schedule_id, route):
    response = api_client.get(f"{API}/schedules/{schedule_id}/{route}?days={BIG}")
    assert (response.status_code, response.json()) == (
        400,
        {"days": ["Ensure this value is less than or equal to 30."]},
    )


@pytest.mark.parametrize(
    "start, end, errors",
    [
        (
            "9999-12-31T22:00:00Z",
            "9999-12-31T23:59:59Z",
            {"swap_start": OUT_OF_RANGE, "swap_end": OUT_OF_RANGE},
        ),
        ("2027-01-01T00:00:00Z", "9999-12-31T23:59:59Z", {"swap_end": OUT_OF_RANGE}),
    ],
)
def test_swaps_out_of_range(api_client, schedule_id, member, start, end, errors):
    body = {
        "schedule": schedule_id,
        "swap_start": start,
        "swap_end": end,
        "beneficiary": member.public_id,
    }
    response = api_client.post(f"{API}/shift_swaps/", body, format="json")
    assert (response.status_code, response.json()) == (400, errors)


def test_swap_list_query_out_of_range(api_client):
    response = api_client.get(f"{API}/shift_swaps/?starting_after=0001-01-01T00:00:00Z")
    assert (response.status_code, response.json()) == (400, OUT_OF_RANGE)


def signal_error(field: str) -> dict:
    return {
        "error": {
            "code": "validation_error",
            "message": "Validation failed",
            "details": {field: OUT_OF_RANGE},
        }
    }


def instatus_error(field: str) -> dict:
    message = f"Validation failed: onCallShifts.0.{field}: {OUT_OF_RANGE[0].rstrip('.')}"
    return {"error": {"code": "validation_error", "message": message}}


@pytest.mark.parametrize(
    "value", ["9999-12-31T23:00:00Z", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00"]
)
def test_signal_rotation_start_out_of_range(dialect_client, value):
    body = changed(SIGNAL_ROTATION, rotation_start=value, timezone="Pacific/Kiritimati")
    response = dialect_client.post(SIGNAL, body, format="json")
    assert (response.status_code, response.json()) == (400, signal_error("rotation_start"))


@pytest.mark.parametrize("field", ["startDate", "endDate"])
@pytest.mark.parametrize("value", ["9999-12-31T23:00:00Z", "0001-01-01T00:00:00Z"])
def test_instatus_dates_out_of_range(dialect_client, member, field, value):
    body = {"name": "x", "onCallShifts": [instatus_shift([member.public_id], **{field: value})]}
    response = dialect_client.post(INSTATUS, body, format="json")
    assert (response.status_code, response.json()) == (400, instatus_error(field))


def test_instatus_time_of_day_without_a_utc_time(dialect_client, member):
    interval = {
        "startDay": "MONDAY",
        "startDayTime": "0001-01-01T00:00:00+01:00",
        "endDay": "MONDAY",
        "endDayTime": "10:00",
    }
    shift = instatus_shift(
        [member.public_id], restrictionType="TIMEINTERVALS", timeIntervals=[interval]
    )
    response = dialect_client.post(INSTATUS, {"name": "x", "onCallShifts": [shift]}, format="json")
    assert response.status_code == 400
    assert "timeIntervals.0.startDayTime" in response.json()["error"]["message"]


DEEP = "[" * 100_000


@pytest.mark.parametrize(
    "path, body",
    [
        (
            f"{API}/on_call_shifts/",
            {"detail": "JSON parse error - the body is nested too deeply"},
        ),
        (
            SIGNAL,
            {
                "error": {
                    "code": "validation_error",
                    "message": "Validation failed",
                    "details": {"body": ["JSON parse error - the body is nested too deeply"]},
                }
            },
        ),
        (
            INSTATUS,
            {
                "error": {
                    "code": "validation_error",
                    "message": "Validation failed: body: JSON parse error - the body is nested "
                    "too deeply",
                }
            },
        ),
    ],
)
def test_deeply_nested_body(api_client, dialect_client, path, body):
    client = api_client if path.startswith(f"{API}/on_call") else dialect_client
    response = client.post(path, data=DEEP, content_type="application/json")
    assert (response.status_code, response.json()) == (400, body)


SUFFIXED = [
    "schedules/{schedule}/current_oncall.json",
    "schedules/{schedule}/final_shifts.json",
    "schedules/{schedule}/next_oncall.json",
    "schedules/{schedule}/previous_oncall.json",
    "schedules/{schedule}/export.json",
    "schedules/{schedule}/export_token.json",
    "users/{user}/export_token.json",
    "users/{user}/schedule_export.json",
    "schedules.json",
    "schedules/{schedule}.json",
]


@pytest.mark.parametrize("path", SUFFIXED)
def test_format_suffix_routes_are_unknown(api_client, schedule_id, member, path):
    url = f"{API}/{path.format(schedule=schedule_id, user=member.public_id)}"
    response = api_client.get(url)
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_a_stored_shift_out_of_range_is_ignored(api_client, schedule_id, member):
    """A row stored before the range was enforced: reads answer, without it."""
    shift = api_client.post(f"{API}/on_call_shifts/", rolling(member), format="json").json()
    last_hour = datetime(9999, 12, 31, 23, tzinfo=UTC)
    OnCallShift.objects.filter(public_id=shift["id"]).update(
        start=last_hour, rotation_start=last_hour, duration=timedelta(hours=2)
    )
    body = {"name": "Primary", "type": "calendar", "time_zone": "UTC", "shifts": [shift["id"]]}
    response = api_client.put(f"{API}/schedules/{schedule_id}/", body, format="json")
    assert (response.status_code, response.json()["on_call_now"]) == (200, [])
    response = api_client.get(f"{API}/schedules/")
    assert (response.status_code, response.json()["results"][0]["on_call_now"]) == (200, [])
    query = "start_date=8999-12-01&end_date=8999-12-31"
    response = api_client.get(f"{API}/schedules/{schedule_id}/final_shifts?{query}")
    assert (response.status_code, response.json()["count"]) == (200, 0)


# Instants from year 1 to year 9999 and integers well past 64 bits: every answer is a 201 or a
# 400 naming the field, and a created shift reads back.
EDGE_INSTANTS = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(1, 1, 3)),
    st.datetimes(min_value=datetime(1969, 12, 30), max_value=datetime(1970, 1, 2)),
    st.datetimes(min_value=datetime(8999, 12, 30), max_value=datetime(9000, 1, 2)),
    st.datetimes(min_value=datetime(9999, 12, 29), max_value=datetime(9999, 12, 31, 23, 59, 59)),
)
EDGE_INTEGERS = st.one_of(
    st.integers(min_value=-(2**65), max_value=2**65),
    st.sampled_from([2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**63 - 1, 2**63, 1000, 1001]),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=EDGE_INSTANTS,
    field=st.sampled_from(["level", "interval", "start_rotation_from_user_index"]),
    number=EDGE_INTEGERS,
    zone=st.sampled_from(["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"]),
)
def test_edge_values_never_fail(api_client, member, start, field, number, zone):
    body = rolling(
        member,
        start=start.strftime("%Y-%m-%dT%H:%M:%S").rjust(19, "0"),
        time_zone=zone,
        duration=7200,
        **{field: number},
    )
    response = api_client.post(f"{API}/on_call_shifts/", body, format="json")
    assert response.status_code in (201, 400), response.content[:300]
    if response.status_code == 400:
        # Upstream's own rule for intervals below 1 names no field.
        errors = response.json()
        assert set(errors) <= {"start", field} or errors == {"detail": "Invalid value for interval"}
        return
    shift = response.json()
    schedule = {"name": "edge", "type": "calendar", "time_zone": zone, "shifts": [shift["id"]]}
    created = api_client.post(f"{API}/schedules/", schedule, format="json")
    assert created.status_code == 201, created.content[:300]
    day = start.date().isoformat().rjust(10, "0")
    query = f"start_date={day}&end_date={day}T23:59"
    response = api_client.get(f"{API}/schedules/{created.json()['id']}/final_shifts?{query}")
    assert response.status_code == 200, response.content[:300]
