"""`manage.py demo_data --org NAME`: fill the organization with the demo (docs/pages.md#the-demo);
nothing happens when it has it already."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from pages.demo import demo_fill
from users import services


class Command(BaseCommand):
    help = "Fill an organization with the demo's people, teams and schedules (once)."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="organization name")

    def handle(self, *args, org: str, **options):
        organization = services.organization_get_or_create(name=org)
        demo = demo_fill(organization=organization, today=timezone.now().date())
        if demo is None:
            self.stdout.write(f"{org} has the demo already")
            return
        names = ", ".join(schedule.name for schedule in demo.schedules.values())
        self.stdout.write(f"Filled {org}: {len(demo.people)} people, schedules {names}")
