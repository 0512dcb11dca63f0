"""Fields of other resources' bodies that name objects of this app."""

from rest_framework import serializers

from users.models import Role, Team


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
