"""The request bodies of the two seeds, with the seeds' people: Signal's john, jane and bob
(`<name>@example.com`), and Instatus's members (user ids given by the caller)."""

import copy

SIGNAL = "/api/v1/on_call_schedules"
INSTATUS = "/on-call-schedules"
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
JOHN, JANE, BOB = "john@example.com", "jane@example.com", "bob@example.com"
WEEK = (JOHN, JANE, BOB, JOHN, JANE, BOB, BOB)

SIGNAL_WEEKLY = {
    "name": "Engineering On-Call",
    "schedule_type": "weekly",
    "timezone": "America/New_York",
    "members": [JOHN, JANE, BOB],
    "weekly_schedule": {day: {"user": email} for day, email in zip(DAYS, WEEK, strict=True)},
}
SIGNAL_ROTATION = {
    "name": "Weekly Rotation",
    "schedule_type": "custom",
    "timezone": "UTC",
    "members": [JOHN, JANE, BOB],
    "rotation_type": "weekly",
    "rotation_start": "2024-01-01T00:00:00Z",
}
SIGNAL_PATCH = {"weekly_schedule": {"monday": {"user": JANE}, "tuesday": {"user": JOHN}}}

# The keys of the seed's answers.
SIGNAL_SUMMARY_KEYS = {
    "id",
    "name",
    "schedule_type",
    "timezone",
    "enabled",
    "current_on_call",
    "created_at",
}
SIGNAL_WEEKLY_DETAIL_KEYS = {
    "id",
    "name",
    "schedule_type",
    "timezone",
    "enabled",
    "members",
    "weekly_schedule",
    "current_on_call",
    "current_shift_start",
    "current_shift_end",
}
SIGNAL_CURRENT_KEYS = {"on_call", "shift_start", "shift_end"}

INSTATUS_SCHEDULE_KEYS = {"id", "name", "description", "status", "onCallShifts"}
INSTATUS_SHIFT_KEYS = {
    "id",
    "name",
    "order",
    "members",
    "rotationType",
    "customRotationTypeValue",
    "customRotationTypeUnit",
    "startDate",
    "endDate",
    "restrictionType",
    "timeOfDayRestrictionStartTime",
    "timeOfDayRestrictionEndTime",
    "timeIntervals",
}
INSTATUS_MEMBER_KEYS = {"id", "order", "color", "workspaceMember"}
INSTATUS_INTERVAL_KEYS = {"id", "startDay", "startDayTime", "endDay", "endDayTime"}
INSTATUS_PERSON_KEYS = {"id", "name", "email", "phone", "avatar"}


def instatus_create(first: str, second: str) -> dict:
    """The seed's create body, its two members being the users `first` and `second`."""
    return {
        "name": "Primary On-call Schedule",
        "description": "This schedule is for the primary on-call team.",
        "onCallShifts": [
            {
                "name": "Primary",
                "members": [
                    {"workspaceMemberId": first, "color": "#FF5733"},
                    {"workspaceMemberId": second, "color": "#33C4FF"},
                ],
                "rotationType": "WEEKLY",
                "customRotationTypeValue": None,
                "customRotationTypeUnit": None,
                "startDate": "2023-08-08T08:00:00Z",
                "endDate": "2024-08-21T08:42:00.000Z",
                "restrictionType": "TIMEINTERVALS",
                "timeOfDayRestrictionStartTime": None,
                "timeOfDayRestrictionEndTime": None,
                "timeIntervals": [
                    {
                        "startDay": "SATURDAY",
                        "startDayTime": "1970-01-01T21:00:00.000Z",
                        "endDay": "SUNDAY",
                        "endDayTime": "1970-01-01T03:00:00.000Z",
                    }
                ],
            }
        ],
    }


def instatus_shift(members: list[str], **fields) -> dict:
    """A shift of `members` (user ids), weekly from 2024-01-01, unrestricted, with `fields`."""
    return {
        "name": "Layer",
        "members": [{"workspaceMemberId": member} for member in members],
        "rotationType": "WEEKLY",
        "startDate": "2024-01-01T00:00:00Z",
        **fields,
    }


def changed(body: dict, **fields) -> dict:
    return {**copy.deepcopy(body), **fields}
