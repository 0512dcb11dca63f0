"""Users, teams and API tokens on the wire (upstream's shapes, plus our management writes)."""

from rest_framework import serializers

from apikit.fields import TimeZoneField
from users.models import Role, Team, User
from users.passwords import MAX_LENGTH, MIN_LENGTH

ROLE_BY_NAME = {label: value for value, label in Role.choices}


def user_slack(user: User) -> dict | None:
    if not user.slack_user_id:
        return None
    return {"user_id": user.slack_user_id, "team_id": user.slack_team_id}


class UserShortSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id", read_only=True)
    role = serializers.SerializerMethodField()
    is_phone_number_verified = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "grafana_id", "email", "username", "role", "is_phone_number_verified"]

    def get_role(self, user: User) -> str:
        return Role(user.role).label

    def get_is_phone_number_verified(self, user: User) -> bool:
        return bool(user.phone_number)


class UserSerializer(UserShortSerializer):
    slack = serializers.SerializerMethodField()
    teams = serializers.SerializerMethodField()

    class Meta(UserShortSerializer.Meta):
        fields = [
            "id",
            "grafana_id",
            "email",
            "slack",
            "username",
            "role",
            "is_phone_number_verified",
            "timezone",
            "teams",
        ]

    def get_slack(self, user: User) -> dict | None:
        return user_slack(user)

    def get_teams(self, user: User) -> list[str]:
        return [team.public_id for team in user.teams.all()]


class UserSlackInput(serializers.Serializer):
    user_id = serializers.CharField(max_length=50)
    team_id = serializers.CharField(max_length=50, allow_null=True, required=False)


class UserInputSerializer(serializers.Serializer):
    """Body of POST/PUT/PATCH /users/ (an extension: upstream syncs users from Grafana)."""

    username = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=list(ROLE_BY_NAME), default="editor")
    timezone = TimeZoneField(allow_null=True, required=False)
    teams = serializers.ListField(child=serializers.CharField(), required=False)
    slack = UserSlackInput(allow_null=True, required=False)
    phone_number = serializers.CharField(max_length=32, allow_null=True, required=False)
    hide_phone_number = serializers.BooleanField(required=False)
    # Lets the user sign in to the pages; kept hashed, never returned.
    password = serializers.CharField(
        write_only=True,
        required=False,
        min_length=MIN_LENGTH,
        max_length=MAX_LENGTH,
        trim_whitespace=False,
        style={"input_type": "password"},
    )

    def validate_username(self, value: str) -> str:
        taken = User.objects.filter(
            organization=self.context["organization"], username=value, is_active=True
        )
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError("A user with this username already exists.")
        return value

    def validate_role(self, value: str) -> int:
        return ROLE_BY_NAME[value]

    def validate_teams(self, value: list[str]) -> list[Team]:
        teams = list(
            Team.objects.filter(organization=self.context["organization"], public_id__in=value)
        )
        unknown = sorted(set(value) - {team.public_id for team in teams})
        if unknown:
            raise serializers.ValidationError(f"Unknown team ids: {', '.join(unknown)}")
        return teams

    def validate(self, attrs: dict) -> dict:
        if "slack" in attrs:
            slack = attrs.pop("slack") or {}
            attrs["slack_user_id"] = slack.get("user_id")
            attrs["slack_team_id"] = slack.get("team_id")
        return attrs


class TeamSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id", read_only=True)

    class Meta:
        model = Team
        fields = ["id", "grafana_id", "name", "email", "avatar_url"]
        read_only_fields = ["grafana_id"]
        extra_kwargs = {"avatar_url": {"required": False}, "email": {"required": False}}

    def validate_name(self, value: str) -> str:
        taken = Team.objects.filter(organization=self.context["organization"], name=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError("A team with this name already exists.")
        return value


class ApiTokenSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id", read_only=True)
    name = serializers.CharField(max_length=200)
    user_id = serializers.CharField(write_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def validate_user_id(self, value: str) -> User:
        user = User.objects.filter(
            organization=self.context["organization"], public_id=value, is_active=True
        ).first()
        if user is None:
            raise serializers.ValidationError("Object does not exist")
        return user

    def to_representation(self, token):
        data = super().to_representation(token)
        data["user_id"] = token.user.public_id
        return {key: data[key] for key in ("id", "name", "user_id", "created_at")}
