"""Serializer fields shared by several resources, with upstream's messages."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rest_framework import serializers

from users.models import Role, Team

# `Etc/UTC`-style aliases are all valid; we validate against the installed tz database.
VALID_TIME_ZONES = frozenset(available_timezones())


def is_valid_time_zone(name: str) -> bool:
    if name not in VALID_TIME_ZONES:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


class TimeZoneField(serializers.CharField):
    default_error_messages = {"invalid_time_zone": "Invalid timezone"}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not is_valid_time_zone(value):
            self.fail("invalid_time_zone")
        return value


class TeamIdField(serializers.Field):
    """A team public id; `""`, `"null"` and null all mean "no team" (Terraform sends `""`).

    Non-admins may only use teams they belong to, as upstream's "available teams".
    """

    default_error_messages = {"does_not_exist": "Object does not exist"}

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data in ("", "null"):
            return True, None
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        user = self.context["request"].user
        teams = Team.objects.filter(organization=user.organization)
        if user.role != Role.ADMIN:
            teams = teams.filter(members=user)
        team = teams.filter(public_id=str(data)).first()
        if team is None:
            self.fail("does_not_exist")
        return team

    def to_representation(self, value):
        return value.public_id if value else None


class SlackSerializer(serializers.Serializer):
    """Slack channel and user group of a schedule; always rendered as an object."""

    channel_id = serializers.CharField(allow_null=True, required=False, max_length=50)
    user_group_id = serializers.CharField(allow_null=True, required=False, max_length=50)
