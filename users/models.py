"""Organizations, the people in them, their teams and their API tokens."""

from django.db import models

from common.ids import PublicIdField


class Organization(models.Model):
    public_id = PublicIdField(prefix="O")
    name = models.CharField(max_length=200, unique=True)
    # Set when a Slack workspace is connected; Slack ids are then stored upper-cased.
    slack_team_id = models.CharField(max_length=50, null=True, blank=True)
    # Upstream's "Override phone number privacy for API" organization setting.
    override_phone_privacy = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped by every write to the organization's users (who may be on call, names, e-mails);
    # part of the cache keys of every schedule's final shifts.
    users_version = models.PositiveBigIntegerField(default=0)
    # When a write last bumped `users_version` (docs/oncall-events.md#edits).
    users_changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    public_id = PublicIdField(prefix="T")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="teams")
    grafana_id = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    email = models.EmailField(null=True, blank=True)
    avatar_url = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="team_name_unique_in_org")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.IntegerChoices):
    """Upstream's legacy basic roles; the integer codes are what the `roles` filter takes."""

    ADMIN = 0, "admin"
    EDITOR = 1, "editor"
    VIEWER = 2, "viewer"
    NONE = 3, "none"


# Only these roles may be on call (upstream: users holding `notifications:read`).
ON_CALL_ROLES = (Role.ADMIN, Role.EDITOR)


class User(models.Model):
    public_id = PublicIdField(prefix="U")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="users")
    grafana_id = models.PositiveIntegerField()
    username = models.CharField(max_length=150)
    email = models.EmailField()
    role = models.PositiveSmallIntegerField(choices=Role.choices, default=Role.EDITOR)
    timezone = models.CharField(max_length=100, null=True, blank=True)
    teams = models.ManyToManyField(Team, blank=True, related_name="members")
    slack_user_id = models.CharField(max_length=50, null=True, blank=True)
    slack_team_id = models.CharField(max_length=50, null=True, blank=True)
    phone_number = models.CharField(max_length=32, null=True, blank=True)
    hide_phone_number = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A hash from django.contrib.auth.hashers, for signing in to the pages (docs/pages.md);
    # empty: the user cannot sign in there (API tokens still work).
    password = models.CharField(max_length=128, blank=True, default="")

    class Meta:
        ordering = ["id"]
        constraints = [
            # Deleted users are kept inactive (shifts still name them), freeing their username.
            models.UniqueConstraint(
                fields=["organization", "username"],
                condition=models.Q(is_active=True),
                name="username_unique_in_org",
            )
        ]

    def __str__(self) -> str:
        return self.username

    # DRF treats the token's user as request.user.
    is_authenticated = True

    @property
    def can_be_on_call(self) -> bool:
        return self.is_active and self.role in ON_CALL_ROLES


class HashedSecret(models.Model):
    """A secret kept as an 8-character lookup prefix and a SHA-256 digest (`users.tokens`)."""

    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class ApiToken(HashedSecret):
    """An API key: only a lookup prefix and a SHA-256 digest are stored, never the token."""

    public_id = PublicIdField(prefix="K")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="api_tokens"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
