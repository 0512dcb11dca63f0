"""`manage.py bootstrap --org NAME --username U --email E`: an admin user and a fresh API token."""

from django.core.management.base import BaseCommand

from users import services
from users.models import Role, User


class Command(BaseCommand):
    help = (
        "Create the organization if missing, an admin user (or reuse it) and a new API token; "
        "the token is the last line of stdout."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="organization name")
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)

    def handle(self, *args, org: str, username: str, email: str, **options):
        organization = services.organization_get_or_create(name=org)
        user = User.objects.filter(
            organization=organization, username=username, is_active=True
        ).first()
        if user is None:
            user = services.user_create(
                organization=organization, username=username, email=email, role=Role.ADMIN
            )
            self.stdout.write(f"Created admin user {user.username} ({user.public_id}) in {org}")
        else:
            # The command promises an admin token: an existing user is made admin if needed.
            user = services.user_update(user=user, role=Role.ADMIN)
            self.stdout.write(f"Using existing user {user.username} ({user.public_id}) in {org}")
        _, value = services.api_token_create(user=user, name="bootstrap")
        self.stdout.write(value)
