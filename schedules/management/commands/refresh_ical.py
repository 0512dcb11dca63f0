"""`manage.py refresh_ical [--force]`: download remote iCal feeds again (for cron)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from schedules.calendars import refresh_due_calendars


class Command(BaseCommand):
    help = "Refresh cached iCal feeds older than ICAL_REFRESH_SECONDS (all of them with --force)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="refresh every feed now")

    def handle(self, *args, force: bool, **options):
        report = refresh_due_calendars(now=timezone.now(), force=force)
        self.stdout.write(f"refreshed {report.refreshed} feed(s), {report.failed} failed")
