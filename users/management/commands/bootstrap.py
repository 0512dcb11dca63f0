"""`manage.py bootstrap --org NAME --username U --email E [--password P]`: an admin user (who can
sign in to the pages when given a password) and a fresh API token."""

from django.core.management.base import BaseCommand, CommandError

from users import services
from users.models import Role, User
from users.passwords import MIN_LENGTH


class Command(BaseCommand):
    help = (
        "Create the organization if missing, an admin user (or reuse it) and a new API token; "
        "the token is the last line of stdout."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="organization name")
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument(
            "--password",
            help=f"password for signing in to the pages (at least {MIN_LENGTH} characters)",
        )

    def handle(
        self, *args, org: str, username: str, email: str, password: str | None = None, **options
    ):
        if password is not None and len(password) < MIN_LENGTH:
            raise CommandError(f"--password needs at least {MIN_LENGTH} characters")
        organization = services.organization_get_or_create(name=org)
        user = User.objects.filter(
            organization=organization, username=username, is_active=True
        ).first()
        if user is None:
            user = services.user_create(
                organization=organization,
                username=username,
                email=email,
                role=Role.ADMIN,
                password=password,
            )
            self.stdout.write(f"Created admin user {user.username} ({user.public_id}) in {org}")
        else:
            # The command promises an admin token: an existing user is made admin if needed.
            user = services.user_update(user=user, role=Role.ADMIN, password=password)
            self.stdout.write(f"Using existing user {user.username} ({user.public_id}) in {org}")
        _, value = services.api_token_create(user=user, name="bootstrap")
        self.stdout.write(value)
